#pragma once
// Plain result buffers of the engine: what the UI, the exporters and the tests read.
// No LibTorch types here (ui/ includes this).

#include <cstddef>
#include <cstdint>
#include <vector>

namespace uvis {

// A row-major [height, width] map of one value per pixel.
template <typename T>
struct Map {
    int width = 0;
    int height = 0;
    std::vector<T> values;

    bool empty() const { return values.empty(); }
    T at(int x, int y) const { return values[static_cast<size_t>(y) * width + x]; }
};

using FloatMap = Map<float>;
using ClassMap = Map<std::uint8_t>;

// The label of ground-truth pixels to ignore (SPEC: 255).
constexpr std::uint8_t kIgnoreLabel = 255;

// SPEC §2 aggregates over the T Monte-Carlo passes done so far. Maps the model cannot produce
// (a depth-only model has no segmentation) stay empty.
struct UncertaintyMaps {
    int samplesDone = 0;
    int samplesRequested = 0;
    // Video with temporal sampling (core/temporal): samples of earlier frames carried into these
    // statistics besides the samplesDone fresh ones; 0 otherwise.
    int carriedSamples = 0;

    bool hasDepth = false;
    FloatMap depthMean;          // μ̄, metres
    FloatMap depthAleatoricVar;  // (1/T) Σ exp(s_t), m²; empty when the model has no depth_logvar
    FloatMap depthEpistemicVar;  // (1/T) Σ μ_t² − μ̄², m², never negative
    // Scale-free (SPEC §5): a variance in m² is dominated by far pixels and shrinks with the
    // predicted depth; these are variances of log depth (√: a relative σ, σ/μ).
    FloatMap depthEpistemicLogVar;  // population variance over passes of log μ_t
    FloatMap depthAleatoricLogVar;  // (1/T) Σ exp(s_t) / μ_t²; empty without depth_logvar

    bool hasSegmentation = false;
    int classCount = 0;
    ClassMap segClass;              // argmax p̄
    FloatMap segConfidence;         // max p̄
    FloatMap segEntropy;            // H[p̄], nats (predictive entropy)
    FloatMap segExpectedEntropy;    // (1/T) Σ H[p_t], nats (aleatoric)
    FloatMap segMutualInfo;         // H[p̄] − (1/T) Σ H[p_t], nats (epistemic, BALD), ≥ 0
    FloatMap segLogitVar;           // (1/T) Σ exp(v_t), averaged over classes; empty without v
    std::vector<float> segMeanProbabilities;  // p̄ as [K, height, width], for the inspector

    // The calibration the maps were computed under (core/calibration/calibration.h); 1 and 1: none.
    double temperature = 1.0;
    double depthVarianceScale = 1.0;
    bool calibrated() const { return temperature != 1.0 || depthVarianceScale != 1.0; }

    bool complete() const { return samplesDone >= samplesRequested && samplesRequested > 0; }
};

// SPEC §2's predictive variance of depth, aleatoric + epistemic; the epistemic variance alone for
// a model without a variance head (depth_logvar is optional, SPEC §4).
inline FloatMap depthPredictiveVariance(const UncertaintyMaps& m) {
    FloatMap total = m.depthEpistemicVar;
    if (m.depthAleatoricVar.values.size() == total.values.size())
        for (size_t i = 0; i < total.values.size(); ++i) total.values[i] += m.depthAleatoricVar.values[i];
    return total;
}

}  // namespace uvis
