#include "ui/map_view.h"

#include <QHelpEvent>
#include <QToolTip>
#include <QMouseEvent>
#include <QPainter>
#include <QWheelEvent>

#include <cmath>

#include "ui/view_link.h"
#include "ui/view_picture.h"

namespace uvis {

MapView::MapView(ViewLink* link, QWidget* parent) : QWidget(parent), link_(link) {
    setMouseTracking(true);
    setMinimumSize(160, 120);  // six of them and the docks fit a 1024×640 window
    setSizePolicy(QSizePolicy::Expanding, QSizePolicy::Expanding);
    connect(link_, &ViewLink::changed, this, qOverload<>(&QWidget::update));
    connect(link_, &ViewLink::hoverChanged, this, qOverload<>(&QWidget::update));
}

void MapView::setView(const RenderedView& view, const QString& note) {
    view_ = view;
    note_ = note;
    image_ = toQImage(view.image);
    link_->setLegendHeight(this, legendHeight(view_, width()));
    update();
}

void MapView::resizeEvent(QResizeEvent*) { link_->setLegendHeight(this, legendHeight(view_, width())); }

void MapView::setMessage(const QString& title, const QString& message) {
    view_ = missingView(view_.id, title.toStdString(), message.toStdString());
    image_ = {};
    note_.clear();
    update();
}

QString MapView::title() const { return QString::fromStdString(view_.title); }

QRect MapView::pictureArea() const {
    const int title = fontMetrics().height() + 6;
    const int legend = std::max(legendHeight(view_, width()), link_->legendBand());
    return QRect(0, title, width(), std::max(10, height() - title - legend - 4));
}

QRectF MapView::fittedRect() const {
    const QRect area = pictureArea();
    if (image_.isNull()) return area;
    // The scene's shape, not the picture's: maps at the model's size are stretched to it.
    const double aspect = link_->sceneAspect() > 0 ? link_->sceneAspect() : double(image_.width()) / image_.height();
    const double scale = std::min(area.width() / aspect, double(area.height()));
    const QSizeF size(aspect * scale, scale);
    return QRectF(area.center().x() - size.width() / 2 + 0.5, area.center().y() - size.height() / 2 + 0.5,
                  size.width(), size.height());
}

QRectF MapView::pictureRect() const {
    const QRectF fitted = fittedRect();
    const double z = link_->zoom();
    const QSizeF size = fitted.size() * z;
    const QPointF c = link_->centre();
    // The normalised centre sits at the middle of the fitted rectangle.
    const QPointF topLeft = fitted.center() - QPointF(c.x() * size.width(), c.y() * size.height());
    return QRectF(topLeft, size);
}

double MapView::oneToOneZoom() const {
    const QRectF fitted = fittedRect();
    return image_.isNull() || fitted.width() <= 0 ? 1.0 : image_.width() / fitted.width();
}

QPointF MapView::toWidget(QPointF n) const {
    const QRectF r = pictureRect();
    return QPointF(r.left() + n.x() * r.width(), r.top() + n.y() * r.height());
}

std::optional<QPointF> MapView::toNormalised(QPointF w) const {
    const QRectF r = pictureRect();
    if (image_.isNull() || !pictureArea().contains(w.toPoint()) || !r.contains(w)) return std::nullopt;
    return QPointF((w.x() - r.left()) / r.width(), (w.y() - r.top()) / r.height());
}

QString MapView::fullTitle() const {
    QString title = QString::fromStdString(view_.title);
    if (!note_.isEmpty()) title += "  ·  " + note_;
    return title;
}

bool MapView::event(QEvent* e) {
    if (e->type() == QEvent::ToolTip) {
        const auto* help = static_cast<QHelpEvent*>(e);
        if (help->pos().y() < pictureArea().top()) QToolTip::showText(help->globalPos(), fullTitle(), this);
        else QToolTip::hideText();
        return true;
    }
    return QWidget::event(e);
}

void MapView::paintEvent(QPaintEvent*) {
    QPainter p(this);
    p.fillRect(rect(), palette().window());
    const QRect area = pictureArea();
    p.drawText(QRect(4, 0, width() - 8, area.top()), Qt::AlignLeft | Qt::AlignVCenter,
               fontMetrics().elidedText(fullTitle(), Qt::ElideRight, width() - 8));
    p.fillRect(area, QColor(32, 32, 32));
    if (image_.isNull()) {
        p.setPen(QColor(230, 230, 230));
        p.drawText(area.adjusted(8, 8, -8, -8), Qt::AlignCenter | Qt::TextWordWrap, QString::fromStdString(view_.message));
    } else {
        p.save();
        p.setClipRect(area);
        // Zoomed in, pixels stay square blocks: the inspector reads one map pixel.
        p.setRenderHint(QPainter::SmoothPixmapTransform, link_->zoom() < 2.0);
        p.drawImage(pictureRect(), image_);
        // The scene point under the cursor in another view, here.
        if (link_->hover() && link_->hoverSource() != this) {
            const QPointF at = toWidget(*link_->hover());
            p.setPen(QPen(QColor(255, 255, 255, 220), 1));
            p.drawLine(QPointF(at.x() - 9, at.y()), QPointF(at.x() + 9, at.y()));
            p.drawLine(QPointF(at.x(), at.y() - 9), QPointF(at.x(), at.y() + 9));
            p.setPen(QPen(QColor(0, 0, 0, 200), 1));
            p.drawEllipse(at, 3.5, 3.5);
        }
        p.restore();
    }
    p.setPen(palette().windowText().color());
    paintLegend(p, QRect(0, area.bottom() + 3, width(), height() - area.bottom() - 3), view_);
}

void MapView::wheelEvent(QWheelEvent* e) {
    const std::optional<QPointF> at = toNormalised(e->position());
    const double factor = std::pow(1.0015, e->angleDelta().y());
    link_->zoomAt(at.value_or(link_->centre()), factor);
    e->accept();
}

void MapView::mousePressEvent(QMouseEvent* e) {
    if (e->button() == Qt::LeftButton) dragFrom_ = e->position().toPoint();
}

void MapView::mouseMoveEvent(QMouseEvent* e) {
    if (dragFrom_ && (e->buttons() & Qt::LeftButton)) {
        const QRectF r = pictureRect();
        const QPointF delta = e->position() - QPointF(*dragFrom_);
        if (r.width() > 0 && r.height() > 0) link_->panBy(QPointF(delta.x() / r.width(), delta.y() / r.height()));
        dragFrom_ = e->position().toPoint();
    }
    const std::optional<QPointF> at = toNormalised(e->position());
    link_->setHover(at, this);
    Q_EMIT hovered(at.value_or(QPointF(-1, -1)));
}

void MapView::mouseReleaseEvent(QMouseEvent*) { dragFrom_.reset(); }

void MapView::mouseDoubleClickEvent(QMouseEvent*) { link_->fit(); }

void MapView::leaveEvent(QEvent*) {
    if (link_->hoverSource() == this) link_->setHover(std::nullopt, this);
    Q_EMIT hovered(QPointF(-1, -1));
}

}  // namespace uvis
