#include "core/engine/internal/weighted_stats.h"

#include "core/engine/internal/streaming_stats.h"

namespace uvis {
namespace {

// Σ_t w_t x_t / Σ_t w_t over dim 0 of x [N,C,H,W] with w [N,1,H,W] → [C,H,W].
torch::Tensor weightedMean(const torch::Tensor& x, const torch::Tensor& w, const torch::Tensor& total) {
    return (x * w).sum(0) / total;
}

void depthMaps(const WeightedSamples& s, UncertaintyMaps* maps) {
    // Float64 as in the streaming statistics: centimetre spreads of metres.
    const auto w = s.weights.to(torch::kFloat64).unsqueeze(1);  // [N,1,H,W]
    const auto total = w.sum(0);                                 // [1,H,W]
    const auto mu = s.depthMean.to(torch::kFloat64);
    const auto mean = weightedMean(mu, w, total);
    const auto epistemic = weightedMean((mu - mean).square(), w, total);
    const auto logMu = mu.clamp_min(1e-3).log();
    const auto logMean = weightedMean(logMu, w, total);
    const auto epistemicLog = weightedMean((logMu - logMean).square(), w, total);
    torch::Tensor aleatoric, aleatoricLog;
    if (s.depthLogVar.defined()) {
        const auto variance = s.depthLogVar.to(torch::kFloat64).exp();
        aleatoric = weightedMean(variance, w, total)[0];
        aleatoricLog = weightedMean(variance / mu.clamp_min(1e-3).square(), w, total)[0];
    }
    setDepthMaps(mean[0], epistemic[0], epistemicLog[0], aleatoric, aleatoricLog, maps);
}

void segmentationMaps(const WeightedSamples& s, UncertaintyMaps* maps) {
    const auto w = s.weights.to(torch::kFloat32).unsqueeze(1);  // [N,1,H,W]
    const auto total = w.sum(0);                                 // [1,H,W]
    const auto p = s.segProbabilities.to(torch::kFloat32);
    const auto probMean = weightedMean(p, w, total).contiguous();                     // [K,H,W]
    const auto expectedEntropy = weightedMean(entropy(p, 1).unsqueeze(1), w, total)[0];  // [H,W]
    torch::Tensor logitVar;
    if (s.segLogVar.defined())
        logitVar = weightedMean(s.segLogVar.to(torch::kFloat32).exp().mean(1, /*keepdim=*/true), w, total)[0];
    setSegmentationMaps(probMean, expectedEntropy.contiguous(), logitVar, maps);
}

}  // namespace

UncertaintyMaps weightedMaps(const WeightedSamples& samples, const Calibration& calibration) {
    UncertaintyMaps maps;
    if (samples.depthMean.defined()) depthMaps(samples, &maps);
    if (samples.segProbabilities.defined()) segmentationMaps(samples, &maps);
    applyCalibration(calibration, &maps);
    return maps;
}

}  // namespace uvis
