#pragma once
// The size an image file says it has, read from its header alone (Qt's image readers), so that a
// size bomb — a 20,000×20,000 PNG of 4.6 MB, or a header that lies — is refused before anything
// is decoded. Qt Core layer (Qt Gui's readers; no display needed).

#include <QSize>
#include <QString>

#include <optional>

#include "core/io/image_io.h"

namespace uvis {

constexpr long long kDefaultMaxPixels = 50'000'000;  // 50 MP: an 8,000×6,000 photo is 48 MP

// The header's width and height; none when Qt cannot read this format's header (then the decoder
// alone decides).
std::optional<QSize> imageHeaderSize(const QString& path);

// Empty when the image may be decoded; else "PATH: image too large (W×H, limit …)".
QString checkImageSize(const QString& path, long long maxPixels = kDefaultMaxPixels);

// An image to analyse: refused from its header above `maxPixels`, else decoded (readRgbImage).
RgbImageResult readImageWithinLimit(const QString& path, long long maxPixels = kDefaultMaxPixels);

}  // namespace uvis
