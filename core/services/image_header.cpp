#include "core/services/image_header.h"

#include <QImageReader>

namespace uvis {

std::optional<QSize> imageHeaderSize(const QString& path) {
    QImageReader reader(path);
    reader.setDecideFormatFromContent(true);
    const QSize size = reader.size();  // the header only
    if (!size.isValid()) return std::nullopt;
    return size;
}

QString checkImageSize(const QString& path, long long maxPixels) {
    const std::optional<QSize> size = imageHeaderSize(path);
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

RgbImageResult readImageWithinLimit(const QString& path, long long maxPixels) {
    if (const QString tooLarge = checkImageSize(path, maxPixels); !tooLarge.isEmpty())
        return {RgbImage{}, tooLarge.toStdString(), {}};
    return readRgbImage(path.toStdString());
}

}  // namespace uvis
