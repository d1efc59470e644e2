#include "core/runtime/device.h"

#include <torch/cuda.h>

#include <torch/version.h>

namespace uvis {

std::string libTorchVersion() { return TORCH_VERSION; }

bool cudaAvailable() { return torch::cuda::is_available(); }

DeviceChoice resolveDevice(DeviceKind requested) {
    DeviceChoice choice;
    if (requested == DeviceKind::Cuda && !cudaAvailable()) {
        choice.kind = DeviceKind::Cpu;
        choice.message =
            "CUDA was requested but this LibTorch has no usable CUDA device; running on the CPU";
        return choice;
    }
    choice.kind = requested;
    return choice;
}

}  // namespace uvis
