#include "ui/dataset_scatter.h"

#include <QMouseEvent>
#include <QPainter>
#include <QToolTip>

#include <algorithm>
#include <cmath>

namespace uvis {

DatasetScatter::DatasetScatter(const DatasetSession& session, QWidget* parent) : QWidget(parent), session_(session) {
    setMinimumSize(240, 180);
    setMouseTracking(true);
}

void DatasetScatter::setDepth(bool depth) {
    depth_ = depth;
    refresh();
}

void DatasetScatter::setVisibleInputs(const std::vector<int>& inputs) {
    visible_ = inputs;
    refresh();
}

void DatasetScatter::setCurrent(int input) {
    current_ = input;
    update();
}

void DatasetScatter::refresh() {
    points_.clear();
    for (int input : visible_) {
        const ImageRow* row = session_.row(input);
        if (!row) continue;
        const double x = depth_ ? row->depthUncertainty : row->segUncertainty;
        const double y = depth_ ? row->depthError() : row->segError();
        if (std::isfinite(x) && std::isfinite(y)) points_.push_back({input, x, y});
    }
    if (!points_.empty()) {
        const auto [xa, xb] = std::minmax_element(points_.begin(), points_.end(), [](auto& a, auto& b) { return a.x < b.x; });
        const auto [ya, yb] = std::minmax_element(points_.begin(), points_.end(), [](auto& a, auto& b) { return a.y < b.y; });
        xMin_ = xa->x;
        xMax_ = xb->x > xa->x ? xb->x : xa->x + 1e-9;
        yMin_ = std::min(0.0, ya->y);
        yMax_ = yb->y > yMin_ ? yb->y : yMin_ + 1e-9;
    }
    update();
}

QRectF DatasetScatter::plotArea() const {
    const int text = fontMetrics().height();
    return QRectF(text * 3.5, text * 0.8, width() - text * 4.3, height() - text * 3.3);
}

QPointF DatasetScatter::pointOf(int input) const {
    const QRectF a = plotArea();
    for (const Point& p : points_)
        if (p.input == input)
            return {a.left() + (p.x - xMin_) / (xMax_ - xMin_) * a.width(),
                    a.bottom() - (p.y - yMin_) / (yMax_ - yMin_) * a.height()};
    return {-1, -1};
}

int DatasetScatter::nearest(QPointF position) const {
    int best = -1;
    double bestDistance = 8.0 * 8.0;  // within 8 pixels
    for (const Point& p : points_) {
        const QPointF at = pointOf(p.input);
        const double d = std::pow(at.x() - position.x(), 2) + std::pow(at.y() - position.y(), 2);
        if (d <= bestDistance) {
            bestDistance = d;
            best = p.input;
        }
    }
    return best;
}

void DatasetScatter::paintEvent(QPaintEvent*) {
    QPainter p(this);
    p.setRenderHint(QPainter::Antialiasing);
    p.fillRect(rect(), palette().base());
    const QRectF a = plotArea();
    p.setPen(palette().text().color());
    if (points_.empty()) {
        p.drawText(rect(), Qt::AlignCenter | Qt::TextWordWrap,
                   "No scored image with ground truth yet: each point will be an image, its mean uncertainty "
                   "against its error.");
        return;
    }
    p.drawRect(a);
    const QString xLabel = depth_ ? "mean relative predictive variance (log depth)" : "mean predictive entropy (nats)";
    const QString yLabel = depth_ ? "abs-rel error" : "1 − pixel accuracy";
    const int text = fontMetrics().height();
    p.drawText(QRectF(a.left(), a.bottom() + text * 1.1, a.width(), text * 1.2), Qt::AlignCenter, xLabel);
    p.drawText(QRectF(a.left(), a.bottom() + 2, a.width(), text), Qt::AlignLeft, QString::number(xMin_, 'g', 3));
    p.drawText(QRectF(a.left(), a.bottom() + 2, a.width(), text), Qt::AlignRight, QString::number(xMax_, 'g', 3));
    p.drawText(QRectF(0, a.top() - text / 2.0, a.left() - 4, text), Qt::AlignRight, QString::number(yMax_, 'g', 3));
    p.drawText(QRectF(0, a.bottom() - text / 2.0, a.left() - 4, text), Qt::AlignRight, QString::number(yMin_, 'g', 3));
    p.save();
    p.translate(text * 0.9, a.center().y());
    p.rotate(-90);
    p.drawText(QRectF(-a.height() / 2, -text, a.height(), text * 1.2), Qt::AlignCenter, yLabel);
    p.restore();
    p.setPen(Qt::NoPen);
    p.setBrush(QColor(40, 110, 200, 170));
    for (const Point& pt : points_) p.drawEllipse(pointOf(pt.input), 3.5, 3.5);
    const QPointF current = pointOf(current_);
    if (current.x() >= 0) {
        p.setBrush(Qt::NoBrush);
        p.setPen(QPen(QColor(230, 60, 30), 2));
        p.drawEllipse(current, 7, 7);
    }
}

void DatasetScatter::mousePressEvent(QMouseEvent* event) {
    if (const int input = nearest(event->position()); input >= 0) Q_EMIT inputClicked(input);
}

void DatasetScatter::mouseMoveEvent(QMouseEvent* event) {
    const int input = nearest(event->position());
    if (input < 0) {
        QToolTip::hideText();
        return;
    }
    const ImageRow* row = session_.row(input);
    QToolTip::showText(event->globalPosition().toPoint(),
                       QString("%1\nuncertainty %2, error %3")
                           .arg(QString::fromStdString(session_.inputs()[input].name))
                           .arg(depth_ ? row->depthUncertainty : row->segUncertainty, 0, 'g', 3)
                           .arg(depth_ ? row->depthError() : row->segError(), 0, 'g', 3),
                       this);
}

}  // namespace uvis
