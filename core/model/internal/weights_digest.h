#pragma once
// Internal to the model part (LibTorch types): the model and engine libraries, the trainer, their
// tests and the benchmark define UVIS_MODEL_INTERNALS; nothing else may include this header.
#ifndef UVIS_MODEL_INTERNALS
#error "core/model/internal is internal to the model and the engine: include core/model/model_loader.h instead"
#endif
// The SHA-256 of a network's weights (SPEC §4 "weights_sha256"), recorded in the card of a .uvis
// archive when it is written and checked when it is loaded: a flipped byte in the tensor data
// changes no shape and loads silently otherwise. Internal to the engine (LibTorch types).

#include <torch/nn/module.h>

#include <string>

namespace uvis {

// Lower-case hex. Covers every parameter and buffer by name, dtype, shape and value, in the
// module's registration order, independent of the memory format (channels-last or not) and device.
std::string weightsSha256(const torch::nn::Module& module);

}  // namespace uvis
