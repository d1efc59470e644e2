#pragma once
// Internal to the engine (LibTorch types): the engine library, its tests and the benchmark define
// UVIS_ENGINE_INTERNALS; nothing else may include this header.
#ifndef UVIS_ENGINE_INTERNALS
#error "core/engine/internal is internal to the engine: include core/engine/uncertainty_engine.h instead"
#endif
// The engine's entry point for callers that already hold a tensor (internal: LibTorch).

#include <functional>

#include <torch/torch.h>

#include "core/engine/uncertainty_engine.h"
#include "core/model/internal/model.h"

namespace uvis {

// One chunk of passes as the statistics take them, for a caller that keeps the samples
// themselves (temporal sampling carries them to later frames): [c,1,H,W] depth in metres and its
// log variance, [c,K,H,W] class probabilities (after the calibration's temperature) and the logit
// log variance [c,1|K,H,W]; absent outputs undefined.
struct PassChunk {
    torch::Tensor depthMean, depthLogVar, segProbabilities, segLogVar;
};
using PassSink = std::function<void(const PassChunk&)>;

// `image`: [1,3,H,W] float32 (any device; moved to the model's). Runs under InferenceMode in
// the calling thread. `sink`, when given, sees every chunk the statistics take.
SamplingResult runSampling(Model& model, const torch::Tensor& image, const SamplingSettings& settings,
                       const ProgressFn& progress = {}, const PassSink& sink = {});

// Why `image` cannot be a tensor (its sizes and values disagree); empty when it can.
std::string malformedImage(const ImageTensor& image);
// `image` as a [1,C,H,W] float32 tensor that owns its values.
torch::Tensor imageTensor(const ImageTensor& image);

}  // namespace uvis
