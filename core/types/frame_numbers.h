#pragma once
// One convention for naming video frames everywhere — the application, uvis-cli's messages,
// --frames A:B, summary.json ("#frame=N"), frames.csv/json and exported folder names: frames
// count from 0, as OpenCV and the files do. "frame 0" is the first frame of a video.

#include <string>

namespace uvis {

inline std::string frameName(int index) { return "frame " + std::to_string(index); }

// The id of a rendered sequence's frame files (frame_00012_rgb.png, …_depth.npy, …_labels.png).
inline std::string frameFileId(int index) {
    std::string digits = std::to_string(index);
    return "frame_" + std::string(digits.size() < 5 ? 5 - digits.size() : 0, '0') + digits;
}

}  // namespace uvis
