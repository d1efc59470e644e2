#pragma once
// Linked zoom and pan: every view reads the same zoom and centre, in coordinates normalised to
// the image (0..1 across, 0..1 down), so the same scene point sits under the cursor in every
// view even though the input and the maps have different pixel sizes.

#include <QObject>
#include <QPointF>

namespace uvis {

class ViewLink : public QObject {
    Q_OBJECT
public:
    using QObject::QObject;

    double zoom() const { return zoom_; }    // 1 = the image fits the view
    QPointF centre() const { return centre_; }

    void fit();
    void setZoom(double zoom);
    // Zooms by `factor` keeping the normalised point `anchor` where it is on screen.
    void zoomAt(QPointF anchor, double factor);
    void panBy(QPointF normalisedDelta);

Q_SIGNALS:
    void changed();

private:
    void clampCentre();
    double zoom_ = 1.0;
    QPointF centre_{0.5, 0.5};
};

}  // namespace uvis
