#include "ui/plots.h"

#include <algorithm>

namespace uvis {
namespace {

// Axes with ticks at 0, 0.5, 1 of each range; returns the plotting rectangle.
QRectF axes(QPainter& p, const QRectF& area, const QString& title, const QString& xLabel, const QString& yLabel,
            double yMax, const QString& yFormat = "%1") {
    const QFontMetrics fm = p.fontMetrics();
    const QRectF plot = area.adjusted(fm.horizontalAdvance("00.000") + 12, fm.height() + 8, -10, -2 * fm.height() - 8);
    p.save();
    p.setPen(QPen(Qt::black, 1));
    p.drawText(QRectF(area.left(), area.top(), area.width(), fm.height() + 4), Qt::AlignCenter, title);
    p.drawRect(plot);
    for (double t : {0.0, 0.5, 1.0}) {
        const double x = plot.left() + t * plot.width(), y = plot.bottom() - t * plot.height();
        p.drawLine(QPointF(x, plot.bottom()), QPointF(x, plot.bottom() + 4));
        p.drawText(QRectF(x - 30, plot.bottom() + 4, 60, fm.height()), Qt::AlignHCenter, QString::number(t, 'g', 2));
        p.drawLine(QPointF(plot.left() - 4, y), QPointF(plot.left(), y));
        p.drawText(QRectF(area.left(), y - fm.height() / 2.0, plot.left() - area.left() - 6, fm.height()),
                   Qt::AlignRight | Qt::AlignVCenter, yFormat.arg(t * yMax, 0, 'g', 3));
    }
    p.drawText(QRectF(plot.left(), plot.bottom() + fm.height() + 4, plot.width(), fm.height()), Qt::AlignCenter, xLabel);
    p.drawText(QRectF(plot.left() + 4, plot.top() + 2, plot.width() - 8, fm.height()), Qt::AlignLeft, yLabel);
    p.restore();
    return plot;
}

QPointF at(const QRectF& plot, double x, double y, double yMax) {
    return QPointF(plot.left() + x * plot.width(), plot.bottom() - std::clamp(y / yMax, 0.0, 1.0) * plot.height());
}

}  // namespace

void paintReliability(QPainter& p, const QRectF& area, const SegmentationMetrics& m) {
    const QRectF plot = axes(p, area, QString("Reliability  (ECE %1, %2 bins)").arg(m.ece, 0, 'f', 4).arg(m.reliability.size()),
                             "confidence", "accuracy", 1.0);
    p.save();
    p.setRenderHint(QPainter::Antialiasing);
    for (const ReliabilityBin& b : m.reliability) {
        if (b.count == 0) continue;
        const QPointF topLeft = at(plot, b.lower, b.accuracy, 1.0), bottomRight = at(plot, b.upper, 0, 1.0);
        p.fillRect(QRectF(topLeft, bottomRight).adjusted(1, 0, -1, 0), QColor(60, 110, 230, 200));
        // The gap between accuracy and confidence: what ECE adds up.
        const QPointF confidence = at(plot, b.lower, b.confidence, 1.0);
        p.fillRect(QRectF(QPointF(topLeft.x(), std::min(topLeft.y(), confidence.y())),
                          QPointF(bottomRight.x(), std::max(topLeft.y(), confidence.y())))
                       .adjusted(1, 0, -1, 0),
                   QColor(230, 60, 40, 110));
    }
    p.setPen(QPen(Qt::darkGray, 1, Qt::DashLine));
    p.drawLine(at(plot, 0, 0, 1), at(plot, 1, 1, 1));  // perfect calibration
    p.restore();
}

void paintSparsification(QPainter& p, const QRectF& area, const DepthMetrics& m, bool absRel) {
    const SparsificationCurve& c = absRel ? m.absRelCurve : m.rmseCurve;
    if (c.model.empty()) return;
    const double yMax = std::max(1e-9, *std::max_element(c.model.begin(), c.model.end()) * 1.05);
    const QString name = absRel ? "abs-rel" : "RMSE (m)";
    const QRectF plot = axes(p, area, QString("Sparsification %1  (AUSE %2, AURG %3)")
                                          .arg(absRel ? "abs-rel" : "RMSE")
                                          .arg(c.ause, 0, 'g', 3)
                                          .arg(c.aurg, 0, 'g', 3),
                             "fraction of pixels removed (most uncertain first)", name, yMax);
    p.save();
    p.setRenderHint(QPainter::Antialiasing);
    auto line = [&](const std::vector<double>& y, QPen pen) {
        p.setPen(pen);
        QPolygonF poly;
        for (size_t i = 0; i < y.size(); ++i) poly << at(plot, c.fraction[i], y[i], yMax);
        p.drawPolyline(poly);
    };
    line(std::vector<double>(c.model.size(), c.model.front()), QPen(Qt::gray, 1, Qt::DashLine));  // random order
    line(c.oracle, QPen(QColor(40, 170, 70), 2));
    line(c.model, QPen(QColor(230, 120, 20), 2));
    const QFontMetrics fm = p.fontMetrics();
    int y = static_cast<int>(plot.top()) + fm.height() + 6;
    for (auto [label, colour] : {std::pair{"model", QColor(230, 120, 20)}, {"oracle", QColor(40, 170, 70)},
                                 {"random", QColor(Qt::gray)}}) {
        p.setPen(QPen(colour, 2));
        p.drawLine(QPointF(plot.right() - 90, y - 4), QPointF(plot.right() - 70, y - 4));
        p.setPen(Qt::black);
        p.drawText(QPointF(plot.right() - 64, y), label);
        y += fm.height();
    }
    p.restore();
}

QImage reliabilityImage(const SegmentationMetrics& m, QSize size) {
    QImage image(size, QImage::Format_RGB888);
    image.fill(Qt::white);
    QPainter p(&image);
    paintReliability(p, QRectF(QPointF(0, 0), QSizeF(size)).adjusted(4, 4, -4, -4), m);
    return image;
}

QImage sparsificationImage(const DepthMetrics& m, bool absRel, QSize size) {
    QImage image(size, QImage::Format_RGB888);
    image.fill(Qt::white);
    QPainter p(&image);
    paintSparsification(p, QRectF(QPointF(0, 0), QSizeF(size)).adjusted(4, 4, -4, -4), m, absRel);
    return image;
}

PlotView::PlotView(QWidget* parent) : QWidget(parent) { setMinimumSize(260, 200); }

void PlotView::setPainter(std::function<void(QPainter&, const QRectF&)> paint) {
    paint_ = std::move(paint);
    update();
}

void PlotView::setEmptyText(const QString& text) {
    empty_ = text;
    update();
}

void PlotView::paintEvent(QPaintEvent*) {
    QPainter p(this);
    p.fillRect(rect(), Qt::white);
    if (paint_) paint_(p, QRectF(rect()).adjusted(2, 2, -2, -2));
    else p.drawText(rect(), Qt::AlignCenter | Qt::TextWordWrap, empty_);
}

}  // namespace uvis
