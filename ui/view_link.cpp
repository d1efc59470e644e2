#include "ui/view_link.h"

#include <algorithm>

namespace uvis {

void ViewLink::fit() {
    zoom_ = 1.0;
    centre_ = {0.5, 0.5};
    Q_EMIT changed();
}

void ViewLink::setZoom(double zoom) {
    zoom_ = std::clamp(zoom, 1.0, 64.0);
    clampCentre();
    Q_EMIT changed();
}

void ViewLink::zoomAt(QPointF anchor, double factor) {
    const double old = zoom_;
    zoom_ = std::clamp(zoom_ * factor, 1.0, 64.0);
    // The anchor's offset from the centre shrinks by old/new, so it stays under the cursor.
    centre_ = anchor - (anchor - centre_) * (old / zoom_);
    clampCentre();
    Q_EMIT changed();
}

void ViewLink::panBy(QPointF delta) {
    centre_ -= delta;
    clampCentre();
    Q_EMIT changed();
}

void ViewLink::setHover(std::optional<QPointF> normalised, const QObject* source) {
    if (normalised == hover_ && source == hoverSource_) return;
    hover_ = normalised;
    hoverSource_ = normalised ? source : nullptr;
    Q_EMIT hoverChanged();
}

void ViewLink::setSceneSize(int width, int height) {
    const double aspect = width > 0 && height > 0 ? double(width) / height : 0;
    if (aspect == aspect_) return;
    aspect_ = aspect;
    Q_EMIT changed();
}

void ViewLink::setLegendHeight(const QObject* view, int height) {
    if (!legendHeights_.count(view))
        connect(view, &QObject::destroyed, this, [this, view] { legendHeights_.erase(view); });
    const int before = legendBand();
    legendHeights_[view] = height;
    if (legendBand() != before) Q_EMIT changed();
}

int ViewLink::legendBand() const {
    int band = 0;
    for (const auto& [view, height] : legendHeights_) band = std::max(band, height);
    return band;
}

void ViewLink::clampCentre() {
    // Keep the visible window inside the image.
    const double half = 0.5 / zoom_;
    centre_.setX(std::clamp(centre_.x(), half, 1.0 - half));
    centre_.setY(std::clamp(centre_.y(), half, 1.0 - half));
}

}  // namespace uvis
