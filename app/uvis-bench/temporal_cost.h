#pragma once
// uvis-bench --temporal: what temporal sampling costs per frame against full MC, on a panning
// sequence whose motion is known (one pixel a frame), so that it needs no optical flow and runs
// with the engine alone — on the GPU host of .ci/gpu-check too. How well the maps follow full MC
// is --video's question (it needs a real video and OpenCV).

#include <nlohmann/json.hpp>

#include <memory>
#include <string>

#include "core/runtime/device.h"

namespace uvis {
class Model;
}

namespace uvis::bench {

struct Options;

// For one input size: full MC at T = o.videoSamples, then temporal sampling with each k of
// o.fresh; passes and median ms per frame, printed as a table; the rows as JSON.
nlohmann::json timeTemporal(const Options& o, const std::string& label, const std::shared_ptr<Model>& model,
                            DeviceKind device);

}  // namespace uvis::bench
