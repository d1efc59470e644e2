#include "core/runtime/device.h"

#include <torch/cuda.h>

#include <algorithm>
#include <cctype>

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

std::string deviceName(DeviceKind kind) { return kind == DeviceKind::Cuda ? "cuda" : "cpu"; }

bool parseDeviceKind(const std::string& text, DeviceKind* out) {
    std::string lower = text;
    std::transform(lower.begin(), lower.end(), lower.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    if (lower == "cpu") *out = DeviceKind::Cpu;
    else if (lower == "cuda" || lower == "gpu") *out = DeviceKind::Cuda;
    else return false;
    return true;
}

}  // namespace uvis
