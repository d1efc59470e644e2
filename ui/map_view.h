#pragma once
// One of the six views: a title, the picture with linked zoom and pan (wheel, drag,
// double-click to fit), a legend with numbers and units, and — when its map is missing or
// failed — the reason, drawn in the view. Reports the hovered point (normalised 0..1) for the
// pixel inspector. Shows state only.

#include <QImage>
#include <QWidget>

#include <optional>

#include "core/imaging/map_views.h"

namespace uvis {

class ViewLink;

class MapView : public QWidget {
    Q_OBJECT
public:
    MapView(ViewLink* link, QWidget* parent = nullptr);

    void setView(const RenderedView& view, const QString& note = {});
    void setMessage(const QString& title, const QString& message);  // e.g. a failed inference
    const RenderedView& view() const { return view_; }
    QString title() const;
    QString note() const { return note_; }  // beside the title: samples, frame
    QString fullTitle() const;              // title and note: what the title bar shows, or elides

    // The zoom at which one picture pixel is one screen pixel.
    double oneToOneZoom() const;
    // Where a normalised image point lies on screen (for tests and hover), and back.
    QPointF toWidget(QPointF normalised) const;
    std::optional<QPointF> toNormalised(QPointF widgetPoint) const;

Q_SIGNALS:
    void hovered(QPointF normalised);  // (-1, -1) when the cursor leaves the picture

protected:
    bool event(QEvent*) override;  // a tooltip over the title: the whole title, however narrow the view
    void paintEvent(QPaintEvent*) override;
    void wheelEvent(QWheelEvent*) override;
    void mousePressEvent(QMouseEvent*) override;
    void mouseMoveEvent(QMouseEvent*) override;
    void mouseReleaseEvent(QMouseEvent*) override;
    void mouseDoubleClickEvent(QMouseEvent*) override;
    void leaveEvent(QEvent*) override;
    void resizeEvent(QResizeEvent*) override;

private:
    QRect pictureArea() const;   // between title and legend
    QRectF fittedRect() const;   // the whole picture at zoom 1
    QRectF pictureRect() const;  // the whole picture at the current zoom and centre

    ViewLink* link_;
    RenderedView view_;
    QImage image_;
    QString note_;
    std::optional<QPoint> dragFrom_;
};

}  // namespace uvis
