#include "ui/view_picture.h"

#include <algorithm>
#include <limits>
#include <cmath>

namespace uvis {

QImage toQImage(const RgbaImage& image) {
    if (image.pixels.empty()) return {};
    return QImage(image.pixels.data(), image.width, image.height, image.width * 4, QImage::Format_RGBA8888).copy();
}

QImage toQImage(const RgbImage& image) {
    if (image.pixels.empty()) return {};
    return QImage(image.pixels.data(), image.width, image.height, image.width * 3, QImage::Format_RGB888).copy();
}

namespace {
constexpr int kBarHeight = 10;
constexpr int kSwatch = 10;

// The rows paintLegend needs in an area `width` wide: the same start (4 px in) and the same wrap
// (at the area's last pixel), or the last row is cut off.
int swatchRows(const RenderedView& view, int width, const QFontMetrics& fm) {
    int rows = 1, x = 4;
    for (const ClassInfo& c : view.classes) {
        const int w = kSwatch + 4 + fm.horizontalAdvance(QString::fromStdString(c.name)) + 10;
        if (x + w > width - 1 && x > 4) {
            ++rows;
            x = 4;
        }
        x += w;
    }
    return rows;
}
}  // namespace

int legendHeight(const RenderedView& view, int width, const QFont& font) {
    const QFontMetrics fm{font};
    if (view.legend) return kBarHeight + fm.height() + 6;
    if (!view.classes.empty()) return swatchRows(view, width, fm) * (fm.height() + 2) + 4;
    return 0;
}

std::vector<std::pair<QString, QRect>> tickLabels(const Legend& legend, const QRect& bar, const QRect& area,
                                                  const QFontMetrics& fm) {
    // The range's ends first, at the bar's ends (what the first and last shades mean); then the
    // nice ticks that fit between them. In a narrow view or a tight range neighbouring labels ran
    // together ("4.02 m4.04 m"): a label that would touch another is left out.
    std::vector<std::pair<QString, QRect>> out;
    const int gap = fm.horizontalAdvance("  ");
    const int top = bar.bottom() + 3;
    const QString low = QString::fromStdString(legend.lowLabel), high = QString::fromStdString(legend.highLabel);
    const int lowRight = low.isEmpty() ? std::numeric_limits<int>::min() / 2 : area.left() + fm.horizontalAdvance(low);
    const int highWidth = fm.horizontalAdvance(high);
    const int highLeft = high.isEmpty() ? std::numeric_limits<int>::max() / 2 : std::max(lowRight + gap, area.right() - highWidth);
    if (!low.isEmpty()) out.emplace_back(low, QRect(area.left(), top, lowRight - area.left(), fm.height()));
    int lastRight = lowRight;
    for (const LegendTick& t : legend.ticks) {
        const int x = bar.left() + static_cast<int>(std::lround(t.position * bar.width()));
        const QString label = QString::fromStdString(t.label);
        const int w = fm.horizontalAdvance(label);
        const int left = std::clamp(x - w / 2, area.left(), std::max(area.left(), area.right() - w));
        if (left < lastRight + gap || left + w + gap > highLeft || label == low || label == high) continue;
        out.emplace_back(label, QRect(left, top, w, fm.height()));
        lastRight = left + w;
    }
    if (!high.isEmpty() && highLeft + highWidth <= area.right() + 1)
        out.emplace_back(high, QRect(highLeft, top, highWidth, fm.height()));
    return out;
}

void paintLegend(QPainter& p, const QRect& area, const RenderedView& view) {
    const QFontMetrics fm = p.fontMetrics();
    if (view.legend) {
        const Legend& legend = *view.legend;
        // Tick labels carry the unit ("20 m"); a legend without ticks names it at the end.
        const QString unit = legend.ticks.empty() ? QString::fromStdString(legend.unit) : QString();
        const int unitWidth = unit.isEmpty() ? 0 : fm.horizontalAdvance(unit) + 8;
        const QRect bar(area.left() + 4, area.top() + 2, std::max(10, area.width() - unitWidth - 8), kBarHeight);
        QImage strip(256, 1, QImage::Format_RGB888);
        for (int i = 0; i < 256; ++i) {
            const auto c = colormapColor(view.colormap, i / 255.f);
            strip.setPixel(i, 0, qRgb(c[0], c[1], c[2]));
        }
        p.drawImage(bar, strip);
        if (!unit.isEmpty())
            p.drawText(QRect(bar.right() + 6, area.top(), unitWidth, kBarHeight + 4), Qt::AlignLeft | Qt::AlignVCenter, unit);
        for (const LegendTick& t : legend.ticks) {
            const int x = bar.left() + static_cast<int>(std::lround(t.position * bar.width()));
            p.drawLine(x, bar.bottom(), x, bar.bottom() + 3);
        }
        for (const auto& [label, rect] : tickLabels(legend, bar, area, fm))
            p.drawText(rect.left(), rect.top() + fm.ascent(), label);
        if (view.threshold) {
            const float span = legend.range.high - legend.range.low;
            const float t = span > 0 ? std::clamp((*view.threshold - legend.range.low) / span, 0.f, 1.f) : 0.f;
            const int x = bar.left() + static_cast<int>(std::lround(t * bar.width()));
            p.save();
            p.setPen(QPen(QColor(kHighlight[0], kHighlight[1], kHighlight[2]), 3));
            p.drawLine(x, bar.top() - 2, x, bar.bottom() + 2);
            p.restore();
        }
        return;
    }
    int x = area.left() + 4, y = area.top() + 2;
    for (const ClassInfo& c : view.classes) {
        const QString name = QString::fromStdString(c.name);
        const int w = kSwatch + 4 + fm.horizontalAdvance(name) + 10;
        if (x + w > area.right() && x > area.left() + 4) {
            x = area.left() + 4;
            y += fm.height() + 2;
        }
        p.fillRect(QRect(x, y + (fm.height() - kSwatch) / 2, kSwatch, kSwatch), QColor(c.color[0], c.color[1], c.color[2]));
        p.drawText(x + kSwatch + 4, y + fm.ascent(), name);
        x += w;
    }
}

QFont exportFont(int width, bool bold) {
    QFont font;
    font.setPixelSize(std::max(14, width / 32));
    font.setBold(bold);
    return font;
}

namespace {

// Title, the picture at `size` (nearest-neighbour: pixels stay pixels in a paper figure), legend.
QImage drawViewPicture(const RenderedView& view, const QImage& picture, QSize size) {
    const QFont titleFont = exportFont(size.width(), true), textFont = exportFont(size.width());
    const int title = QFontMetrics(titleFont).height() + 10;
    const int legend = legendHeight(view, size.width(), textFont);
    QImage out(size.width(), title + size.height() + legend + 8, QImage::Format_RGB888);
    out.fill(Qt::white);
    QPainter p(&out);
    p.setRenderHint(QPainter::TextAntialiasing);
    p.setPen(Qt::black);
    p.setFont(titleFont);
    p.drawText(QRect(4, 0, size.width() - 8, title), Qt::AlignLeft | Qt::AlignVCenter, QString::fromStdString(view.title));
    const QRect target(0, title, size.width(), size.height());
    p.setFont(textFont);
    if (picture.isNull()) {
        p.fillRect(target, QColor(40, 40, 40));
        p.setPen(Qt::white);
        p.drawText(target, Qt::AlignCenter | Qt::TextWordWrap, QString::fromStdString(view.message));
        p.setPen(Qt::black);
    } else {
        p.drawImage(target, picture.scaled(size, Qt::IgnoreAspectRatio, Qt::FastTransformation));
    }
    paintLegend(p, QRect(0, title + size.height() + 4, size.width(), legend), view);
    return out;
}

}  // namespace

int viewPictureWidth(const RenderedView& view, int minWidth) {
    const int width = view.image.width;
    return width <= 0 ? minWidth : width * std::max(1, (minWidth + width - 1) / width);
}

QImage viewPicture(const RenderedView& view, QSize scene, int width) {
    const int height = scene.isEmpty() ? width * 3 / 4 : std::max(1, static_cast<int>(std::lround(
                                                                        double(width) * scene.height() / scene.width())));
    return drawViewPicture(view, toQImage(view.image), QSize(width, height));
}

QString sheetHeaderLine(const SheetHeader& h) {
    return QString("%1 · T = %2 · p = %3 · seed %4 · %5")
        .arg(h.method)
        .arg(h.samples)
        .arg(h.dropout, 0, 'f', 2)
        .arg(h.seed)
        .arg(h.date);
}

QImage compositeSheet(const std::vector<RenderedView>& views, const SheetHeader& header, int cellWidth) {
    // Every cell has the input's aspect ratio (the views are all at the input's geometry).
    int cellPictureHeight = cellWidth * 3 / 4;
    for (const RenderedView& v : views)
        if (!v.image.pixels.empty()) {
            cellPictureHeight = std::max(1, cellWidth * v.image.height / v.image.width);
            break;
        }
    std::vector<QImage> cells;
    int cellHeight = 0;
    for (const RenderedView& v : views) {
        cells.push_back(drawViewPicture(v, toQImage(v.image), QSize(cellWidth, cellPictureHeight)));
        cellHeight = std::max(cellHeight, cells.back().height());
    }
    const int columns = 3, rows = (static_cast<int>(cells.size()) + columns - 1) / columns;
    const int width = columns * cellWidth;
    const QFont titleFont = exportFont(width / 2, true), textFont = exportFont(width / 2);
    const int line1 = QFontMetrics(titleFont).height(), line2 = QFontMetrics(textFont).height();
    const int band = 8 + line1 + 4 + 2 * line2 + 10;  // input; model; settings; margins
    QImage sheet(width, band + rows * cellHeight, QImage::Format_RGB888);
    sheet.fill(Qt::white);
    QPainter p(&sheet);
    p.setRenderHint(QPainter::TextAntialiasing);
    p.setPen(Qt::black);
    const QRect text(8, 8, width - 16, band - 16);
    p.setFont(titleFont);
    p.drawText(QRect(text.left(), text.top(), text.width(), line1), Qt::AlignLeft | Qt::AlignVCenter,
               QFontMetrics(titleFont).elidedText(header.input, Qt::ElideMiddle, text.width()));
    p.setFont(textFont);
    p.drawText(QRect(text.left(), text.top() + line1 + 4, text.width(), line2), Qt::AlignLeft | Qt::AlignVCenter,
               QFontMetrics(textFont).elidedText("model: " + header.model, Qt::ElideMiddle, text.width()));
    p.drawText(QRect(text.left(), text.top() + line1 + 4 + line2, text.width(), line2), Qt::AlignLeft | Qt::AlignVCenter,
               sheetHeaderLine(header));
    p.setPen(QColor(180, 180, 180));
    p.drawLine(0, band - 2, width, band - 2);
    for (size_t i = 0; i < cells.size(); ++i)
        p.drawImage(static_cast<int>(i % columns) * cellWidth, band + static_cast<int>(i / columns) * cellHeight,
                    cells[i]);
    return sheet;
}

}  // namespace uvis
