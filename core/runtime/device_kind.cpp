#include "core/runtime/device.h"

// The device's names apart from device.cpp: without LibTorch, for the parts of a program that
// parse a command line before LibTorch is loaded.

#include <algorithm>
#include <cctype>

namespace uvis {

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
