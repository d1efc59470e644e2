#include "ui/timeline_view.h"

#include <QActionGroup>
#include <QContextMenuEvent>
#include <QMenu>
#include <QMouseEvent>
#include <QPainter>

#include <algorithm>
#include <cmath>

#include "core/types/frame_numbers.h"
#include "core/imaging/legend.h"

namespace uvis {

TimelineView::TimelineView(QWidget* parent) : QWidget(parent) {
    setMinimumHeight(110);
    setSizePolicy(QSizePolicy::Expanding, QSizePolicy::Fixed);
    setMouseTracking(true);
    setToolTip("Per-frame uncertainty: mean (blue) and 95th percentile (red). Hover to read a frame, "
               "click to jump to it; right-click for the scale.");
}

void TimelineView::reset(int frameCount, const QString& series, const QString& unit) {
    frameCount_ = frameCount;
    series_ = series;
    unit_ = unit;
    points_.clear();
    hovered_ = -1;
    axes_ = {};
    update();
}

void TimelineView::setScale(Scale scale) {
    scale_ = scale;
    axes_ = {};
    update();
}

void TimelineView::setPoint(int frame, double mean, double p95) {
    points_[frame] = {mean, p95};
    axes_ = {};
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

QRectF TimelineView::plotArea() const {
    const int line = fontMetrics().height();
    return QRectF(rect()).adjusted(8, line + 4, -8, -(line + 8));  // title above, frame numbers below
}

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

double TimelineView::seriesHigh(bool p95) const {
    double high = 0;
    for (const auto& [frame, v] : points_)
        for (bool which : {false, true})
            if ((scale_ == Scale::Shared || which == p95) && std::isfinite(which ? v.second : v.first))
                high = std::max(high, which ? v.second : v.first);
    return high;
}

std::pair<double, double> TimelineView::linearRange(bool p95) const {
    // From just under the smallest value to the largest: curves that vary little far from 0 used
    // to be squeezed into the top of a plot that started at 0. The title gives the range.
    const double high = seriesHigh(p95);
    double low = high;
    for (const auto& [frame, v] : points_)
        for (bool which : {false, true})
            if ((scale_ == Scale::Shared || which == p95) && std::isfinite(which ? v.second : v.first))
                low = std::min(low, which ? v.second : v.first);
    if (!(high > low)) return {0.0, high};
    return {std::max(0.0, low - 0.05 * (high - low)), high};
}

double TimelineView::seriesLow(bool p95) const {
    double low = 0;
    for (const auto& [frame, v] : points_) {
        const double value = p95 ? v.second : v.first;
        if (std::isfinite(value) && value > 0 && (low == 0 || value < low)) low = value;
    }
    return low;
}

std::pair<double, double> TimelineView::axis(bool p95) const {
    // Once per change of the points or the scale, not once per point drawn.
    std::optional<std::pair<double, double>>& cached = axes_[p95 ? 1 : 0];
    if (!cached) {
        if (scale_ == Scale::Log)  // both series on one log axis from the smallest positive value to the largest
            cached = std::pair{std::min(seriesLow(false) > 0 ? seriesLow(false) : 1e300,
                                        seriesLow(true) > 0 ? seriesLow(true) : 1e300),
                               std::max(seriesHigh(false), seriesHigh(true))};
        else
            cached = linearRange(p95);
    }
    return *cached;
}

double TimelineView::yOf(double value, bool p95) const {
    const QRectF a = plotArea();
    const auto [low, high] = axis(p95);
    if (scale_ == Scale::Log) {
        if (!(low < high) || !(value > 0)) return a.bottom();
        return a.bottom() - (std::log(value) - std::log(low)) / (std::log(high) - std::log(low)) * a.height();
    }
    return high > low ? a.bottom() - (value - low) / (high - low) * a.height() : a.bottom();
}

QString TimelineView::readout(int frame) const {
    const auto it = points_.find(frame);
    if (it == points_.end()) return {};
    return QString("%1: mean %2 %4, 95th percentile %3 %4")
        .arg(QString::fromStdString(frameName(frame)))
        .arg(it->second.first, 0, 'g', 3)
        .arg(it->second.second, 0, 'g', 3)
        .arg(unit_);
}

void TimelineView::paintEvent(QPaintEvent*) {
    QPainter p(this);
    p.fillRect(rect(), QColor(250, 250, 250));
    const QRectF a = plotArea();
    p.setPen(QColor(200, 200, 200));
    p.drawRect(a);
    p.setPen(Qt::black);
    QString title;
    if (points_.empty()) title = "Uncertainty timeline: Video → Analyse the whole video";
    else if (hovered_ >= 0) title = series_ + " · " + readout(hovered_);
    else if (scale_ == Scale::EachItsOwn)
        title = QString("%1: mean (blue, %2–%3 %6) and 95th percentile (red, %4–%5 %6), each its own scale · %7 frames")
                    .arg(series_)
                    .arg(axis(false).first, 0, 'g', 3)
                    .arg(axis(false).second, 0, 'g', 3)
                    .arg(axis(true).first, 0, 'g', 3)
                    .arg(axis(true).second, 0, 'g', 3)
                    .arg(unit_)
                    .arg(points_.size());
    else
        title = QString("%1: mean (blue) and 95th percentile (red), %2 %3–%4 %5 · %6 frames")
                    .arg(series_)
                    .arg(scale_ == Scale::Log ? "log scale" : "shared scale")
                    .arg(axis(false).first, 0, 'g', 3)
                    .arg(axis(false).second, 0, 'g', 3)
                    .arg(unit_)
                    .arg(points_.size());
    p.drawText(QRectF(8, 0, width() - 16, fontMetrics().height() + 2), Qt::AlignLeft | Qt::AlignVCenter,
               fontMetrics().elidedText(title, Qt::ElideRight, width() - 16));
    // The frame axis: nice frame numbers under the plot, as on the scrubber.
    if (frameCount_ > 1) {
        const Legend axis = makeLegend(ValueRange{0.f, static_cast<float>(frameCount_ - 1)}, "",
                                       std::max(2, static_cast<int>(a.width() / 70)));
        p.setPen(QColor(90, 90, 90));
        for (const LegendTick& t : axis.ticks) {
            const int frame = static_cast<int>(std::lround(t.value));
            const double x = xOf(frame);
            p.drawLine(QPointF(x, a.bottom()), QPointF(x, a.bottom() + 3));
            const QString label = QString::number(frame);
            const int w = fontMetrics().horizontalAdvance(label);
            p.drawText(QPointF(std::clamp(x - w / 2.0, 0.0, width() - w - 1.0), a.bottom() + 4 + fontMetrics().ascent()),
                       label);
        }
    }
    p.setRenderHint(QPainter::Antialiasing);
    for (int b : bookmarks_) {
        p.setPen(QPen(QColor(250, 170, 0), 2));
        p.drawLine(QPointF(xOf(b), a.top()), QPointF(xOf(b), a.bottom()));
    }
    for (bool p95 : {true, false}) {
        QPolygonF line;
        for (const auto& [frame, v] : points_) {
            const double value = p95 ? v.second : v.first;
            if (std::isfinite(value)) line << QPointF(xOf(frame), yOf(value, p95));
        }
        p.setPen(QPen(p95 ? QColor(220, 50, 40) : QColor(50, 90, 220), 1.5));
        p.drawPolyline(line);
        for (const QPointF& q : line) p.drawEllipse(q, 1.5, 1.5);
    }
    if (current_ >= 0 && frameCount_ > 0) {
        p.setPen(QPen(Qt::black, 1, Qt::DashLine));
        p.drawLine(QPointF(xOf(current_), a.top()), QPointF(xOf(current_), a.bottom()));
    }
    if (hovered_ >= 0) {
        p.setPen(QPen(QColor(0, 0, 0, 110), 1));
        p.drawLine(QPointF(xOf(hovered_), a.top()), QPointF(xOf(hovered_), a.bottom()));
    }
}

void TimelineView::mousePressEvent(QMouseEvent* e) {
    if (e->button() != Qt::LeftButton) return;
    const int frame = frameNear(e->position().x());
    if (frame >= 0) Q_EMIT frameClicked(frame);
}

void TimelineView::mouseMoveEvent(QMouseEvent* e) {
    const int frame = frameNear(e->position().x());
    if (frame == hovered_) return;
    hovered_ = frame;
    update();
}

void TimelineView::leaveEvent(QEvent*) {
    hovered_ = -1;
    update();
}

void TimelineView::contextMenuEvent(QContextMenuEvent* e) {
    QMenu menu(this);
    auto* group = new QActionGroup(&menu);
    const std::pair<Scale, const char*> choices[] = {{Scale::EachItsOwn, "Each series its own scale"},
                                                     {Scale::Shared, "One shared linear scale"},
                                                     {Scale::Log, "Log scale"}};
    for (const auto& [scale, text] : choices) {
        QAction* action = menu.addAction(text, this, [this, scale = scale] { setScale(scale); });
        action->setCheckable(true);
        action->setChecked(scale_ == scale);
        group->addAction(action);
    }
    menu.exec(e->globalPos());
}

}  // namespace uvis
