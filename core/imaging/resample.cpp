#include "core/imaging/resample.h"

#include <opencv2/imgproc.hpp>

#include <algorithm>
#include <cmath>

namespace uvis {
namespace {

template <typename T>
Map<T> resize(const Map<T>& map, int width, int height, int cvType, int interpolation) {
    Map<T> out;
    if (map.empty() || width <= 0 || height <= 0) return out;
    out.width = width;
    out.height = height;
    out.values.resize(static_cast<size_t>(width) * height);
    const cv::Mat src(map.height, map.width, cvType, const_cast<T*>(map.values.data()));
    cv::Mat dst(height, width, cvType, out.values.data());
    cv::resize(src, dst, dst.size(), 0, 0, interpolation);  // writes into out.values
    return out;
}

}  // namespace

FloatMap resizeBilinear(const FloatMap& map, int width, int height) {
    return resize(map, width, height, CV_32FC1, cv::INTER_LINEAR);
}

ClassMap resizeNearest(const ClassMap& map, int width, int height) {
    return resize(map, width, height, CV_8UC1, cv::INTER_NEAREST);
}

FloatMap resizeNearest(const FloatMap& map, int width, int height) {
    return resize(map, width, height, CV_32FC1, cv::INTER_NEAREST);
}

RgbImage reduceToFit(const RgbImage& image, int maxSide) {
    const int longest = std::max(image.width, image.height);
    if (maxSide <= 0 || longest <= maxSide || image.pixels.empty()) return image;
    const double scale = static_cast<double>(maxSide) / longest;
    RgbImage out;
    out.width = std::max(1, static_cast<int>(std::lround(image.width * scale)));
    out.height = std::max(1, static_cast<int>(std::lround(image.height * scale)));
    out.pixels.resize(static_cast<size_t>(out.width) * out.height * 3);
    const cv::Mat from(image.height, image.width, CV_8UC3, const_cast<std::uint8_t*>(image.pixels.data()));
    cv::Mat to(out.height, out.width, CV_8UC3, out.pixels.data());
    cv::resize(from, to, to.size(), 0, 0, cv::INTER_AREA);
    return out;
}

}  // namespace uvis
