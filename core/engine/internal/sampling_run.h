#pragma once
// Internal to the engine (LibTorch types): the engine library, its tests and the benchmark define
// UVIS_ENGINE_INTERNALS; nothing else may include this header.
#ifndef UVIS_ENGINE_INTERNALS
#error "core/engine/internal is internal to the engine: include core/engine/uncertainty_engine.h instead"
#endif
// The engine's entry point for callers that already hold a tensor (internal: LibTorch).

#include <torch/torch.h>

#include "core/engine/uncertainty_engine.h"
#include "core/model/internal/model.h"

namespace uvis {

// `image`: [1,3,H,W] float32 (any device; moved to the model's). Runs under InferenceMode in
// the calling thread.
SamplingResult runSampling(Model& model, const torch::Tensor& image, const SamplingSettings& settings,
                       const ProgressFn& progress = {});

}  // namespace uvis
