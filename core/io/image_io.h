#pragma once
// Decoding and encoding images with OpenCV's codecs; messages name the file and the problem.

#include <string>

#include "core/types/image.h"
#include "core/types/maps.h"

namespace uvis {

std::string openCvVersion();  // "4.6.0"

struct RgbImageResult {
    RgbImage image;
    std::string error;
    // Decoded, but not all there: a JPEG that ends before its end-of-image marker decodes with
    // the missing part filled grey (libjpeg only says so on stderr).
    std::string warning;
    // The size the file has, when `image` was decoded smaller (readRgbImage's reduction or
    // shrinkToFit); 0 when the image is at the file's own size.
    int fileWidth = 0, fileHeight = 0;
};
// `reduction` 2, 4 or 8 decodes at that fraction of the size: a JPEG through libjpeg's DCT
// scaling, without ever holding the full-size picture (other formats decode whole, then shrink).
RgbImageResult readRgbImage(const std::string& path, int reduction = 1);

// The image shrunk (area-averaged) so that its longer side is at most `maxSide`; unchanged if it
// already fits. Records the file size in the result.
void shrinkToFit(RgbImageResult* result, int maxSide);

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
