#pragma once
// Internal to the engine (LibTorch types): the engine library, its tests and the benchmark define
// UVIS_ENGINE_INTERNALS; nothing else may include this header.
#ifndef UVIS_ENGINE_INTERNALS
#error "core/engine/internal is internal to the engine: include core/engine/uncertainty_engine.h instead"
#endif
// Streaming SPEC §2 statistics (internal: LibTorch). Each accumulator takes one chunk of passes
// at a time; memory does not grow with the number of passes, and a snapshot after any chunk is
// the estimate from the passes seen so far.

#include <torch/torch.h>

#include "core/calibration/calibration.h"
#include "core/types/maps.h"

namespace uvis {

// Every statistic is a running mean updated pass by pass (Welford): identical passes leave the
// means exactly unchanged, so p = 0 gives exactly zero epistemic variance and mutual information.
// All updates run in place on buffers allocated by the first pass: fresh multi-megabyte
// temporaries per pass cost more (page faults) than the arithmetic.
//
// Depth: μ̄ and M2 = Σ (μ_t − μ̄)² by Welford's update, epistemic variance M2 / T, aleatoric
// variance as the running mean of exp(s_t). Float64: float32 is too coarse for the variance of
// metres with centimetre spread. Scale-free (SPEC §5): the same Welford update on
// log μ_t (epistemic variance of log depth) and the running mean of exp(s_t) / μ_t² (aleatoric,
// the delta-method variance of log depth); √ of either is a relative σ.
class DepthAccumulator {
public:
    // mean, logVar: [c,1,H,W]; every row is one pass.
    void add(const torch::Tensor& mean, const torch::Tensor& logVar);
    int64_t count() const { return count_; }
    void snapshot(UncertaintyMaps* maps) const;

private:
    int64_t count_ = 0;
    torch::Tensor mean_, m2_, aleatoricMean_;  // [H,W] float64
    torch::Tensor logMean_, logM2_, relativeAleatoricMean_;
    torch::Tensor x_, delta_;                  // [H,W] float64 scratch
};

// Segmentation: running means of p_t, H[p_t] and exp(v_t); the entropy of p̄ and the mutual
// information at snapshot time. H[p_t] and H[p̄] go through the same [K,H,W] entropy, so equal
// distributions give bit-equal entropies. Float32: probabilities and entropies are O(1), and the
// running means stay within 1e-6 of the float64 two-pass values for T ≤ 1024.
class SegAccumulator {
public:
    // probabilities: [c,K,H,W] (rows sum to 1); logVar: [c,1|K,H,W] or undefined.
    void add(const torch::Tensor& probabilities, const torch::Tensor& logVar);
    int64_t count() const { return count_; }
    void snapshot(UncertaintyMaps* maps) const;

private:
    int64_t count_ = 0;
    torch::Tensor probMean_;      // [K,H,W]
    torch::Tensor entropyMean_;   // [H,W]
    torch::Tensor logitVarMean_;  // [H,W], undefined without a logit variance
    torch::Tensor scratchK_, scratch_;  // [K,H,W] and [H,W]
};

// The maps from the statistics, however they were accumulated (streamed here, or weighted over
// carried samples): depth [H,W] float64 (the variances may be a hair below 0 from rounding; the
// aleatoric ones undefined without a variance head), segmentation p̄ [K,H,W], the mean entropy and
// logit variance [H,W] (the latter undefined without v).
void setDepthMaps(const torch::Tensor& mean, const torch::Tensor& epistemicVar, const torch::Tensor& epistemicLogVar,
                  const torch::Tensor& aleatoricVar, const torch::Tensor& aleatoricLogVar, UncertaintyMaps* maps);
void setSegmentationMaps(const torch::Tensor& probMean, const torch::Tensor& expectedEntropy,
                         const torch::Tensor& logitVarMean, UncertaintyMaps* maps);
// The calibration's variance scale on the depth variances, and both its numbers on the maps.
void applyCalibration(const Calibration& calibration, UncertaintyMaps* maps);
FloatMap toFloatMap(const torch::Tensor& t);

// −Σ_k p_k log p_k along `dim`, with 0 log 0 = 0.
torch::Tensor entropy(const torch::Tensor& probabilities, int64_t dim);
// The same for one [K,H,W] distribution into `out` [H,W], using `scratch` [K,H,W].
void entropyInto(const torch::Tensor& probabilities, torch::Tensor& scratch, torch::Tensor& out);

// p_t per pass: softmax(f_t), or with noiseSamples N > 0 the mean of N softmaxes of
// f_t + σ_t ε_n (Kendall & Gal eq. 12), the noise drawn per pass from `rng` on the CPU.
torch::Tensor passProbabilities(const torch::Tensor& logits, const torch::Tensor& logVar,
                                int noiseSamples, at::Generator& rng);

}  // namespace uvis
