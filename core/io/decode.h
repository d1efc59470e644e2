#pragma once
// OpenCV-typed helpers of uvis_io, for the libraries that decode with OpenCV themselves (video
// readers): not for headers that ui/ includes.

#include <opencv2/imgcodecs.hpp>

#include <string>

#include "core/image.h"

namespace uvis {

// One image decode with messages that name the file.
cv::Mat decodeImage(const std::string& path, int flags, std::string* error);

// A decoded 8-bit BGR picture (OpenCV's order) as the engine's RGB image.
RgbImage rgbFromBgr(const cv::Mat& bgr);

}  // namespace uvis
