#include "core/services/batch/image_header.h"

#include <QImageReader>

namespace uvis {

std::optional<QSize> imageHeaderSize(const QString& path) {
    QImageReader reader(path);
    reader.setDecideFormatFromContent(true);
    const QSize size = reader.size();  // the header only
    if (!size.isValid()) return std::nullopt;
    return size;
}

namespace {

// The refusal for a header size above the limit; empty when it is within it.
QString sizeRefusal(const QString& path, const std::optional<QSize>& size, long long maxPixels) {
    if (!size) return {};
    const long long pixels = static_cast<long long>(size->width()) * size->height();
    if (pixels <= maxPixels) return {};
    return QString("%1: image too large (%2×%3 = %4 MP, limit %5 MP)")
        .arg(path)
        .arg(size->width())
        .arg(size->height())
        .arg(pixels / 1e6, 0, 'f', 1)
        .arg(maxPixels / 1e6, 0, 'f', 1);
}

}  // namespace

RgbImageResult readImageWithinLimit(const QString& path, long long maxPixels, int maxSide) {
    // The header is read once: for the pixel limit and for the reduction.
    const std::optional<QSize> header = imageHeaderSize(path);
    if (const QString tooLarge = sizeRefusal(path, header, maxPixels); !tooLarge.isEmpty()) {
        RgbImageResult refused;
        refused.error = tooLarge.toStdString();
        return refused;
    }
    // The largest power-of-two reduction that keeps the longer side at or above maxSide.
    int reduction = 1;
    const int side = header ? std::max(header->width(), header->height()) : 0;
    while (reduction < 8 && maxSide > 0 && side / (reduction * 2) >= maxSide) reduction *= 2;
    RgbImageResult r = readRgbImage(path.toStdString(), reduction);
    if (!r.error.empty()) return r;
    if (reduction > 1 && header) {
        r.fileWidth = header->width();
        r.fileHeight = header->height();
    }
    shrinkToFit(&r, maxSide);
    return r;
}

std::string reductionNote(const RgbImageResult& image, int maxSide) {
    if (image.fileWidth == 0) return {};
    return "the image is analysed at " + std::to_string(image.image.width) + "×" + std::to_string(image.image.height) +
           ", reduced from the file's " + std::to_string(image.fileWidth) + "×" + std::to_string(image.fileHeight) +
           " (longer side at most " + std::to_string(maxSide) + ")";
}

}  // namespace uvis
