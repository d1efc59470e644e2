#pragma once
// uvis-bench --verify: the engine's correctness on a device, checked where it runs (a GPU host
// may have neither Qt nor the Qt Test suite): the same seed gives the same maps on the device as
// on the CPU (dropout masks are drawn on the CPU, SPEC §2), p = 0 gives exactly zero epistemic
// variance and mutual information, chunking does not change the result, and every map is finite.

#include <string>

#include "core/runtime/device.h"

namespace uvis::bench {

// Prints one line per check and returns the number of failed checks.
int verifyDevice(DeviceKind device, int width, int classes, const std::string& size);

}  // namespace uvis::bench
