#pragma once
// Internal to the model part (LibTorch types): the model and engine libraries, the trainer, their
// tests and the benchmark define UVIS_MODEL_INTERNALS; nothing else may include this header.
#ifndef UVIS_MODEL_INTERNALS
#error "core/model/internal is internal to the model and the engine: include core/model/model_loader.h instead"
#endif
// Reduced-precision passes (internal: LibTorch). LibTorch's autocast state is thread-local, so
// the scope must live in the thread that runs the passes, like InferenceMode.

#include <torch/torch.h>

#include "core/types/uncertainty_method.h"
#include "core/model/internal/model.h"

namespace uvis {

class AutocastScope {
public:
    // Turns autocast on for `device`'s kind when `precision` asks for bf16; otherwise does nothing.
    AutocastScope(Precision precision, const torch::Device& device);
    ~AutocastScope();
    AutocastScope(const AutocastScope&) = delete;
    AutocastScope& operator=(const AutocastScope&) = delete;

private:
    bool active_ = false;
    bool cuda_ = false;
    bool wasEnabled_ = false;
    at::ScalarType previousType_ = at::kFloat;
};

// Whether this thread runs under autocast (on the CPU or on CUDA).
bool autocastActive();

// Every defined output in float32: the statistics never accumulate in 16 bits.
void outputsToFloat32(ModelOutputs& outputs);

}  // namespace uvis
