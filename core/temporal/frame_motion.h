#pragma once
// The motion between two video frames measured by dense optical flow (OpenCV's DIS) both ways:
// where the two agree, a point visible in both frames; and whether the frames show the same
// scene at all (a cut is detected, not assumed). OpenCV stays inside.

#include "core/temporal/motion.h"

namespace uvis {

// A MotionEstimator (motion.h).
FrameMotion estimateMotion(const GreyFrame& previous, const GreyFrame& current);

}  // namespace uvis
