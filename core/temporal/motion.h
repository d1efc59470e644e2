#pragma once
// How the scene moved between two video frames, in plain buffers: what temporal sampling needs to
// carry samples from one frame to the next, whoever measured it (optical flow in
// frame_motion.h; a known motion in a benchmark). No OpenCV or LibTorch types.

#include <cstdint>
#include <functional>
#include <vector>

namespace uvis {

// A video frame as 8-bit grey, row by row.
struct GreyFrame {
    int width = 0, height = 0;
    std::vector<std::uint8_t> pixels;
};

struct FrameMotion {
    // For each pixel of the current frame, row by row, the position (x, y) of the same scene
    // point in the previous frame (2 floats a pixel).
    std::vector<float> source;
    // 1 where the point can be followed (visible in both frames, inside the previous one); 0 where
    // it was hidden, left the picture or the motion there is unreliable.
    std::vector<std::uint8_t> followed;
    double followedShare = 0;  // of all pixels
    double residual = 0;       // mean |current − warped previous| on followed pixels, grey levels
    bool cut = false;          // the frames do not show the same scene: nothing is carried
};

// The motion from `previous` to `current` (frames of one size).
using MotionEstimator = std::function<FrameMotion(const GreyFrame& previous, const GreyFrame& current)>;

}  // namespace uvis
