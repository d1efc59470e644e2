#pragma once
// uvis-bench --precision: what bf16 passes (autocast) cost and change against float32 passes,
// measured in one run on one model and input with the same seed: the speed ratio and the
// fidelity of every uncertainty map.

#include <nlohmann/json.hpp>

#include <memory>
#include <string>

#include "core/runtime/device.h"

namespace uvis {
class Model;
}

namespace uvis::bench {

// One row per map and a speed line for T = `samples`; returns the rows as JSON.
nlohmann::json comparePrecision(Model& model, const std::string& sizeLabel, int width, int height, int samples,
                                double dropout, int repeats, DeviceKind device);

}  // namespace uvis::bench
