#pragma once
// uvis-bench --video: temporal sampling against full MC on a video, measured in one run — passes
// and milliseconds per frame, how closely each frame's epistemic and mutual-information maps
// follow full MC's (Pearson r), and with rendered ground truth the depth AUSE and segmentation ECE.

#include <nlohmann/json.hpp>

#include <string>
#include <vector>

#include "core/engine/uncertainty_engine.h"

namespace uvis::bench {

struct VideoBenchOptions {
    std::string video;
    std::string truthDir;  // frame_NNNNN_{depth.npy,labels.png} as `uvis-train render --video` writes them
    int samples = 16;      // T of full MC and of the temporal runs
    int frames = 40;       // the first N frames
    std::vector<int> fresh{1, 2, 4};
    std::uint64_t seed = 0;
};

// Prints the table; returns its rows as JSON, or throws std::runtime_error naming the file.
nlohmann::json benchVideo(UncertaintyEngine& engine, const VideoBenchOptions& o);

}  // namespace uvis::bench
