#pragma once
// Drawing a rendered view with Qt: its picture as a QImage, its legend (a colour bar with ticks
// and the unit, or class swatches), and the whole view as one picture with title and legend for
// export. QImage and QPainter only (no QPixmap), so exports can draw off the GUI thread.

#include <QImage>
#include <QPainter>

#include <utility>
#include <vector>

#include "core/imaging/map_views.h"

namespace uvis {

QImage toQImage(const RgbaImage& image);  // deep copy, Format_RGBA8888
QImage toQImage(const RgbImage& image);   // deep copy, Format_RGB888

// In `font` (the widget's on screen, exportFont in pictures).
int legendHeight(const RenderedView& view, int width, const QFont& font = QFont());
void paintLegend(QPainter& painter, const QRect& area, const RenderedView& view);
// The tick labels a colour bar `bar` inside `area` draws, with their rectangles: those that would
// touch the label before them are left out, so no two labels run into one another.
std::vector<std::pair<QString, QRect>> tickLabels(const Legend& legend, const QRect& bar, const QRect& area,
                                                  const QFontMetrics& metrics);

// Text in an exported picture `width` pixels wide: readable when the figure is printed a column
// wide (about 1/32 of the width, at least 14 px), whatever the screen's font.
QFont exportFont(int width, bool bold = false);

// The width a view's picture needs: at least `minWidth`, its pixels scaled by a whole factor.
int viewPictureWidth(const RenderedView& view, int minWidth = 480);
// Title above, the picture `width` wide at the aspect of `scene` (the input image), legend below.
// Maps at the model's resolution are stretched over the scene as on screen, so that every
// exported view shows a scene point at the same place as the input's picture.
QImage viewPicture(const RenderedView& view, QSize scene, int width);

// What a sheet says it shows, in a header band: enough to reproduce it.
struct SheetHeader {
    QString input;                 // the file (and frame)
    QString model;                 // name (file)
    QString method = "MC dropout";
    int samples = 0;               // T
    double dropout = 0;            // p
    quint64 seed = 0;
    QString date;                  // when it was made, ISO 8601
};
QString sheetHeaderLine(const SheetHeader& header);  // "MC dropout · T = 16 · p = 0.20 · seed 0 · <date>"

// The six views in a 3 × 2 sheet, as on screen, under the header band; each cell drawn at its
// final width (nothing is shrunk after the text is drawn).
QImage compositeSheet(const std::vector<RenderedView>& views, const SheetHeader& header, int cellWidth = 560);

}  // namespace uvis
