#pragma once
// Internal to uvis_io (OpenCV types): one image decode with messages that name the file.

#include <opencv2/imgcodecs.hpp>

#include <string>

namespace uvis {

cv::Mat decodeImage(const std::string& path, int flags, std::string* error);

}  // namespace uvis
