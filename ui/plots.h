#pragma once
// The plots of the metrics: a reliability diagram (accuracy against confidence, 15 bins) and
// sparsification curves against the oracle. Drawn with QPainter so that the same code paints
// the widget and the exported PNG. Reads metrics; computes none.

#include <QImage>
#include <QPainter>
#include <QWidget>

#include <functional>

#include "core/metrics/metrics.h"

namespace uvis {

void paintReliability(QPainter& painter, const QRectF& area, const SegmentationMetrics& metrics);
// `absRel`: the abs-rel curves; else RMSE.
void paintSparsification(QPainter& painter, const QRectF& area, const DepthMetrics& metrics, bool absRel);

QImage reliabilityImage(const SegmentationMetrics& metrics, QSize size = {520, 420});
QImage sparsificationImage(const DepthMetrics& metrics, bool absRel, QSize size = {520, 420});

// A widget that shows one plot (or a line saying why there is none).
class PlotView : public QWidget {
    Q_OBJECT
public:
    explicit PlotView(QWidget* parent = nullptr);
    void setPainter(std::function<void(QPainter&, const QRectF&)> paint);  // empty: nothing to show
    void setEmptyText(const QString& text);

protected:
    void paintEvent(QPaintEvent*) override;

private:
    std::function<void(QPainter&, const QRectF&)> paint_;
    QString empty_;
};

}  // namespace uvis
