#include "ui/timeline_view.h"

#include <QMouseEvent>
#include <QPainter>

#include <cmath>

namespace uvis {

TimelineView::TimelineView(QWidget* parent) : QWidget(parent) {
    setMinimumHeight(90);
    setSizePolicy(QSizePolicy::Expanding, QSizePolicy::Fixed);
    setToolTip("Per-frame uncertainty: mean (blue) and 95th percentile (red). Click to jump to a frame.");
}

void TimelineView::reset(int frameCount, const QString& series, const QString& unit) {
    frameCount_ = frameCount;
    series_ = series;
    unit_ = unit;
    points_.clear();
    update();
}

void TimelineView::setPoint(int frame, double mean, double p95) {
    points_[frame] = {mean, p95};
    update();
}

void TimelineView::setCurrentFrame(int frame) {
    current_ = frame;
    update();
}

void TimelineView::setBookmarks(const QList<int>& frames) {
    bookmarks_ = frames;
    update();
}

QRectF TimelineView::plotArea() const { return QRectF(rect()).adjusted(8, fontMetrics().height() + 4, -8, -6); }

double TimelineView::xOf(int frame) const {
    const QRectF a = plotArea();
    return a.left() + (frameCount_ > 1 ? static_cast<double>(frame) / (frameCount_ - 1) : 0.0) * a.width();
}

int TimelineView::frameNear(double x) const {
    int best = -1;
    double distance = 1e300;
    for (const auto& [frame, values] : points_) {
        const double d = std::abs(xOf(frame) - x);
        if (d < distance) {
            distance = d;
            best = frame;
        }
    }
    return best;
}

void TimelineView::paintEvent(QPaintEvent*) {
    QPainter p(this);
    p.fillRect(rect(), QColor(250, 250, 250));
    const QRectF a = plotArea();
    p.setPen(QColor(200, 200, 200));
    p.drawRect(a);
    double high = 0;
    for (const auto& [frame, v] : points_)
        if (std::isfinite(v.second)) high = std::max(high, v.second);
    p.setPen(Qt::black);
    p.drawText(QRectF(8, 0, width() - 16, fontMetrics().height() + 2), Qt::AlignLeft | Qt::AlignVCenter,
               points_.empty() ? QString("Uncertainty timeline: Video → Analyse the whole video")
                               : QString("%1: mean (blue) and 95th percentile (red), 0–%2 %3 · %4 frames analysed")
                                     .arg(series_)
                                     .arg(high, 0, 'g', 3)
                                     .arg(unit_)
                                     .arg(points_.size()));
    p.setRenderHint(QPainter::Antialiasing);
    for (int b : bookmarks_) {
        p.setPen(QPen(QColor(250, 170, 0), 2));
        p.drawLine(QPointF(xOf(b), a.top()), QPointF(xOf(b), a.bottom()));
    }
    if (high > 0) {
        for (int which : {1, 0}) {
            QPolygonF line;
            for (const auto& [frame, v] : points_) {
                const double value = which ? v.second : v.first;
                line << QPointF(xOf(frame), a.bottom() - value / high * a.height());
            }
            p.setPen(QPen(which ? QColor(220, 50, 40) : QColor(50, 90, 220), 1.5));
            p.drawPolyline(line);
            for (const QPointF& q : line) p.drawEllipse(q, 1.5, 1.5);
        }
    }
    if (current_ >= 0 && frameCount_ > 0) {
        p.setPen(QPen(Qt::black, 1, Qt::DashLine));
        p.drawLine(QPointF(xOf(current_), a.top()), QPointF(xOf(current_), a.bottom()));
    }
}

void TimelineView::mousePressEvent(QMouseEvent* e) {
    const int frame = frameNear(e->position().x());
    if (frame >= 0) Q_EMIT frameClicked(frame);
}

}  // namespace uvis
