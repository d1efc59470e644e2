#include "core/imaging/resample.h"

#include <opencv2/imgproc.hpp>

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

}  // namespace uvis
