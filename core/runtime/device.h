#pragma once
// Where inference runs. CUDA when LibTorch has it and it is asked for; otherwise the CPU, with a
// message that says why.

#include <string>

namespace uvis {

std::string libTorchVersion();  // "1.13.1"

enum class DeviceKind { Cpu, Cuda };

struct DeviceChoice {
    DeviceKind kind = DeviceKind::Cpu;
    std::string message;  // non-empty when the request could not be met
};

bool cudaAvailable();
DeviceChoice resolveDevice(DeviceKind requested);
std::string deviceName(DeviceKind kind);
// "cpu" / "cuda" (case-insensitive); false for anything else.
bool parseDeviceKind(const std::string& text, DeviceKind* out);

}  // namespace uvis
