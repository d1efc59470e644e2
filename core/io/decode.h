#pragma once
// OpenCV-typed helpers of uvis_io, for the libraries that decode with OpenCV themselves (video
// readers): not for headers that ui/ includes.

#include <opencv2/imgcodecs.hpp>
#include <opencv2/videoio.hpp>

#include <string>

#include "core/types/image.h"

namespace uvis {

// One image decode with messages that name the file.
cv::Mat decodeImage(const std::string& path, int flags, std::string* error);

// A video file opened for reading with OpenCV's FFmpeg backend only: a file that FFmpeg cannot
// read is refused at once instead of falling through OpenCV's other backends, the last of which
// (gPhoto2) scans the USB bus for cameras. `capture` is released first.
bool openVideoFile(cv::VideoCapture& capture, const std::string& path);

// A decoded 8-bit BGR picture (OpenCV's order) as the engine's RGB image.
RgbImage rgbFromBgr(const cv::Mat& bgr);

}  // namespace uvis
