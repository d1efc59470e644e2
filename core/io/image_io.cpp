#include "core/io/image_io.h"

#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <fstream>

#include "core/imaging/resample.h"
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

namespace {

// A JPEG stream ends with the end-of-image marker FF D9 (ITU T.81 B.2.1); a file cut short does
// not, and libjpeg then fills the rest of the picture grey. Trailing padding is allowed.
bool jpegLacksEndMarker(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    unsigned char soi[2] = {0, 0};
    if (!in.read(reinterpret_cast<char*>(soi), 2) || soi[0] != 0xFF || soi[1] != 0xD8) return false;  // not JPEG
    in.seekg(0, std::ios::end);
    const std::streamoff size = in.tellg();
    const std::streamoff tail = std::min<std::streamoff>(size, 4096);
    std::string bytes(static_cast<size_t>(tail), '\0');
    in.seekg(size - tail);
    in.read(bytes.data(), tail);
    return bytes.rfind("\xFF\xD9") == std::string::npos;
}

}  // namespace

RgbImageResult readRgbImage(const std::string& path, int reduction) {
    RgbImageResult r;
    const int flags = reduction >= 8   ? cv::IMREAD_REDUCED_COLOR_8
                      : reduction >= 4 ? cv::IMREAD_REDUCED_COLOR_4
                      : reduction >= 2 ? cv::IMREAD_REDUCED_COLOR_2
                                       : cv::IMREAD_COLOR;
    const cv::Mat bgr = decodeImage(path, flags, &r.error);
    if (bgr.empty()) return r;
    r.image = rgbFromBgr(bgr);
    if (jpegLacksEndMarker(path))
        r.warning = path + ": the JPEG data ends early (truncated file): the missing part of the picture is grey fill";
    return r;
}

void shrinkToFit(RgbImageResult* r, int maxSide) {
    RgbImage& image = r->image;
    const int side = std::max(image.width, image.height);
    if (maxSide <= 0 || side <= maxSide || image.pixels.empty()) return;
    if (r->fileWidth == 0) {
        r->fileWidth = image.width;
        r->fileHeight = image.height;
    }
    image = reduceToFit(image, maxSide);
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
