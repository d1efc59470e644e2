#pragma once
// How the scene moved between two video frames, for carrying samples from one to the next: dense
// optical flow both ways (OpenCV's DIS), where the two agree (a point visible in both frames),
// and whether the frames show the same scene at all (a cut is detected, not assumed).

#include <opencv2/core.hpp>

namespace uvis {

struct FrameMotion {
    // CV_32FC2, the current frame's size: for each of its pixels, the position (x, y) of the same
    // scene point in the previous frame — the map cv::remap takes.
    cv::Mat source;
    // CV_8U, 1 where the point can be followed: the backward flow lands inside the previous frame
    // and the forward flow from there comes back (Sundaram et al. 2010's check); 0 where it was
    // hidden, left the picture or the flow is unreliable.
    cv::Mat followed;
    double followedShare = 0;  // of all pixels
    double residual = 0;       // mean |current − warped previous| on followed pixels, grey levels
    bool cut = false;          // too little followed, or the warped previous frame does not match
};

// `previous` and `current`: CV_8UC1 of one size.
FrameMotion estimateMotion(const cv::Mat& previous, const cv::Mat& current);

}  // namespace uvis
