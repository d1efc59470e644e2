#pragma once
// Drawing a rendered view with Qt: its picture as a QImage, its legend (a colour bar with ticks
// and the unit, or class swatches), and the whole view as one picture with title and legend for
// export. QImage and QPainter only (no QPixmap), so exports can draw off the GUI thread.

#include <QImage>
#include <QPainter>

#include "core/imaging/map_views.h"

namespace uvis {

QImage toQImage(const RgbaImage& image);  // deep copy, Format_RGBA8888
QImage toQImage(const RgbImage& image);   // deep copy, Format_RGB888

int legendHeight(const RenderedView& view, int width);
void paintLegend(QPainter& painter, const QRect& area, const RenderedView& view);

// Title above, picture (at least `minWidth` wide, scaled by whole factors), legend below.
QImage viewPicture(const RenderedView& view, int minWidth = 480);

// The six views in a 3 × 2 sheet, as on screen.
QImage compositeSheet(const std::vector<RenderedView>& views, int cellWidth = 480);

}  // namespace uvis
