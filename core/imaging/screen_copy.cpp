#include "core/imaging/screen_copy.h"

#include <opencv2/imgproc.hpp>

#include <algorithm>
#include <cmath>

namespace uvis {

RgbImage reduceToFit(const RgbImage& image, int maxSide) {
    const int longest = std::max(image.width, image.height);
    if (longest <= maxSide || image.pixels.empty()) return image;
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

const RgbImage& ScreenCopy::of(const SharedImage& source) {
    static const RgbImage none;
    if (!source) return none;
    if (source != source_) {
        source_ = source;
        const int longest = std::max(source->width, source->height);
        copy_ = longest <= kScreenCopySide ? source : std::make_shared<const RgbImage>(reduceToFit(*source));
    }
    return *copy_;
}

}  // namespace uvis
