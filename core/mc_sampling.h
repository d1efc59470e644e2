#pragma once
// The engine's entry point for callers that already hold a tensor (internal: LibTorch).

#include <torch/torch.h>

#include "core/mc_engine.h"
#include "core/model.h"

namespace uvis {

// `image`: [1,3,H,W] float32 (any device; moved to the model's). Runs under InferenceMode in
// the calling thread.
McResult runMonteCarlo(Model& model, const torch::Tensor& image, const McSettings& settings,
                       const ProgressFn& progress = {});

}  // namespace uvis
