#pragma once
// Internal to the engine (LibTorch types): the engine library, its tests and the benchmark define
// UVIS_ENGINE_INTERNALS; nothing else may include this header.
#ifndef UVIS_ENGINE_INTERNALS
#error "core/engine/internal is internal to the engine: include core/engine/uncertainty_engine.h instead"
#endif
// SPEC §2 statistics over samples that count unequally, pixel by pixel: temporal sampling weighs
// a sample carried from an earlier frame by its age and drops it (weight 0) where the optical flow
// says that scene point was not visible. Every mean of §2 becomes a weighted mean, every variance
// the weighted population variance; with equal weights they are §2's.

#include <torch/torch.h>

#include "core/calibration/calibration.h"
#include "core/types/maps.h"

namespace uvis {

// N samples at one input size; outputs the model has not stay undefined.
struct WeightedSamples {
    torch::Tensor depthMean;         // [N,1,H,W], metres
    torch::Tensor depthLogVar;       // [N,1,H,W]
    torch::Tensor segProbabilities;  // [N,K,H,W], after the calibration's temperature
    torch::Tensor segLogVar;         // [N,1|K,H,W]
    torch::Tensor weights;           // [N,H,W], ≥ 0, every pixel's sum > 0
};

// The maps (calibrated like the engine's); samplesDone and samplesRequested are left to the caller.
UncertaintyMaps weightedMaps(const WeightedSamples& samples, const Calibration& calibration);

}  // namespace uvis
