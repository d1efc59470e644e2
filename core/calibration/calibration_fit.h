#pragma once
// Fitting the calibration of SPEC §2 from per-pass samples at probe pixels (the engine's
// SamplingSettings::probePixels), by minimising the NLL. Pure arithmetic: no LibTorch, no files.

#include <cstddef>
#include <vector>

namespace uvis {

// Segmentation: for each probe pixel, the logits of every pass and the true class.
struct SegmentationProbes {
    int classes = 0;
    int passes = 0;
    std::vector<float> logits;  // [pixel][pass][class]
    std::vector<int> labels;    // [pixel]
    std::size_t pixels() const { return labels.size(); }
};

// −mean log p̄(y) with p̄ = (1/T) Σ_t softmax(f_t / τ).
double segmentationNll(const SegmentationProbes& probes, double temperature);

// τ minimising segmentationNll: golden-section search on log τ over [0.05, 20] (the NLL of a
// softmax is unimodal in the temperature). 1 without probes.
double fitTemperature(const SegmentationProbes& probes);

// Depth: for each probe pixel, the predictive mean and (uncalibrated) variance, and the truth.
struct DepthProbes {
    std::vector<double> mean, variance, truth;
    std::size_t pixels() const { return truth.size(); }
};

// The Gaussian NLL of N(μ̄, c·v) is minimal at c = mean (y − μ̄)² / v (pixels with v > 0).
double fitVarianceScale(const DepthProbes& probes);

}  // namespace uvis
