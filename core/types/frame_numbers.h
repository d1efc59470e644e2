#pragma once
// One convention for naming video frames everywhere — the application, uvis-cli's messages,
// --frames A:B, summary.json ("#frame=N"), frames.csv/json and exported folder names: frames
// count from 0, as OpenCV and the files do. "frame 0" is the first frame of a video.

#include <string>

namespace uvis {

inline std::string frameName(int index) { return "frame " + std::to_string(index); }

}  // namespace uvis
