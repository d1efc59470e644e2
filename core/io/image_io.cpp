#include "core/io/image_io.h"

#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>

#include <filesystem>

#include "core/io/atomic_file.h"
#include "core/io/decode.h"

namespace uvis {

std::string openCvVersion() { return CV_VERSION; }
namespace {

std::string encodePng(const std::string& path, const cv::Mat& mat) {
    std::vector<uchar> bytes;
    try {
        if (!cv::imencode(".png", mat, bytes)) return path + ": PNG encoding failed";
    } catch (const cv::Exception& e) {
        return path + ": PNG encoding failed (" + e.msg + ")";
    }
    return writeFileAtomically(path, std::string(bytes.begin(), bytes.end()));
}

}  // namespace

RgbImageResult readRgbImage(const std::string& path) {
    RgbImageResult r;
    const cv::Mat bgr = decodeImage(path, cv::IMREAD_COLOR, &r.error);
    if (bgr.empty()) return r;
    r.image = rgbFromBgr(bgr);
    return r;
}

ClassMapResult readClassPng(const std::string& path) {
    ClassMapResult r;
    const cv::Mat m = decodeImage(path, cv::IMREAD_UNCHANGED, &r.error);
    if (m.empty()) return r;
    if (m.type() != CV_8UC1) {
        r.error = path + ": a label image must be single-channel 8-bit class indices";
        return r;
    }
    r.map.width = m.cols;
    r.map.height = m.rows;
    r.map.values.assign(m.data, m.data + m.total());
    return r;
}

std::string writeRgbPng(const std::string& path, const RgbImage& image) {
    cv::Mat rgb(image.height, image.width, CV_8UC3, const_cast<std::uint8_t*>(image.pixels.data()));
    cv::Mat bgr;
    cv::cvtColor(rgb, bgr, cv::COLOR_RGB2BGR);
    return encodePng(path, bgr);
}

std::string writeRgbaPng(const std::string& path, int width, int height, const std::uint8_t* rgba) {
    cv::Mat src(height, width, CV_8UC4, const_cast<std::uint8_t*>(rgba));
    cv::Mat bgra;
    cv::cvtColor(src, bgra, cv::COLOR_RGBA2BGRA);
    return encodePng(path, bgra);
}

std::string writeClassPng(const std::string& path, const ClassMap& map) {
    return encodePng(path, cv::Mat(map.height, map.width, CV_8UC1, const_cast<std::uint8_t*>(map.values.data())));
}

}  // namespace uvis
