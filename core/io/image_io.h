#pragma once
// Decoding and encoding images with OpenCV's codecs; messages name the file and the problem.

#include <string>

#include "core/image.h"
#include "core/maps.h"

namespace uvis {

std::string openCvVersion();  // "4.6.0"

struct RgbImageResult {
    RgbImage image;
    std::string error;
    // Decoded, but not all there: a JPEG that ends before its end-of-image marker decodes with
    // the missing part filled grey (libjpeg only says so on stderr).
    std::string warning;
};
RgbImageResult readRgbImage(const std::string& path);

struct ClassMapResult {
    ClassMap map;
    std::string error;
};
// A single-channel 8-bit PNG of class indices.
ClassMapResult readClassPng(const std::string& path);

// PNG encoders, written atomically. RGBA for colour maps with transparency.
std::string writeRgbPng(const std::string& path, const RgbImage& image);
std::string writeRgbaPng(const std::string& path, int width, int height, const std::uint8_t* rgba);
std::string writeClassPng(const std::string& path, const ClassMap& map);

}  // namespace uvis
