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
// Images are analysed at most this large (longer side): the model sees a few hundred pixels, and
// maps at a 48 MP photo's own size are gigabytes.
constexpr int kDefaultMaxImageSide = 4096;

// The header's width and height; none when Qt cannot read this format's header (then the decoder
// alone decides).
std::optional<QSize> imageHeaderSize(const QString& path);

// An image to analyse: refused from its header above `maxPixels`, else decoded so that its longer
// side is at most `maxSide` — a large JPEG decoded reduced (never below maxSide), then shrunk;
// `fileWidth`/`fileHeight` in the result say so.
RgbImageResult readImageWithinLimit(const QString& path, long long maxPixels = kDefaultMaxPixels,
                                    int maxSide = kDefaultMaxImageSide);

// "the image is analysed at W×H, reduced from the file's W0×H0 (longer side at most N)"; empty when
// the image was not reduced.
std::string reductionNote(const RgbImageResult& image, int maxSide);

}  // namespace uvis
