#pragma once
// Linked zoom and pan: every view reads the same zoom and centre, in coordinates normalised to
// the image (0..1 across, 0..1 down), so the same scene point sits under the cursor in every
// view even though the input and the maps have different pixel sizes.

#include <QObject>
#include <QPointF>

#include <map>
#include <optional>

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

    // The shape every view gives its picture: the input's width / height. The model saw the input
    // squeezed to its own size, so a map stretched back to this shape puts each scene point where
    // the input shows it. 0 until an image is shown (each view then keeps its picture's shape).
    void setSceneSize(int width, int height);
    double sceneAspect() const { return aspect_; }
    // The legend band every view reserves: the tallest legend, so that views of one size have
    // pictures of one size (the same letterboxing everywhere).
    void setLegendHeight(const QObject* view, int height);
    int legendBand() const;

    // The scene point under the cursor in one view (`source`), which every other view marks with
    // a crosshair; none when the cursor is in no picture.
    void setHover(std::optional<QPointF> normalised, const QObject* source);
    std::optional<QPointF> hover() const { return hover_; }
    const QObject* hoverSource() const { return hoverSource_; }

Q_SIGNALS:
    void changed();
    void hoverChanged();

private:
    void clampCentre();
    double zoom_ = 1.0;
    QPointF centre_{0.5, 0.5};
    double aspect_ = 0;
    std::map<const QObject*, int> legendHeights_;
    std::optional<QPointF> hover_;
    const QObject* hoverSource_ = nullptr;
};

}  // namespace uvis
