#include "core/io/decode.h"

#include <opencv2/imgproc.hpp>

#include <filesystem>

namespace uvis {

// Decodes with OpenCV; an empty Mat and `*error` naming the file when that fails.
cv::Mat decodeImage(const std::string& path, int flags, std::string* error) {
    std::error_code ec;
    if (!std::filesystem::exists(path, ec)) {
        *error = path + ": no such file";
        return {};
    }
    if (!std::filesystem::is_regular_file(path, ec)) {
        *error = path + ": not a regular file";
        return {};
    }
    cv::Mat m;
    try {
        m = cv::imread(path, flags);
    } catch (const cv::Exception& e) {
        *error = path + ": cannot decode the image (" + e.msg + ")";
        return {};
    }
    if (m.empty()) *error = path + ": not an image OpenCV can decode, or the file is corrupt or truncated";
    return m;
}

RgbImage rgbFromBgr(const cv::Mat& bgr) {
    cv::Mat rgb;
    cv::cvtColor(bgr, rgb, cv::COLOR_BGR2RGB);  // a new, continuous matrix
    return RgbImage{rgb.cols, rgb.rows, std::vector<std::uint8_t>(rgb.data, rgb.data + rgb.total() * 3)};
}

}  // namespace uvis
