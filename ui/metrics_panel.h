#pragma once
// The metrics of the result on screen against its ground truth: the numbers, the reliability
// diagram and the sparsification curves (core/metrics computes them; this shows them).

#include <QWidget>

#include "core/imaging/error_views.h"
#include "core/metrics/metrics.h"

class QComboBox;
class QLabel;

namespace uvis {

class PlotView;

class MetricsPanel : public QWidget {
    Q_OBJECT
public:
    explicit MetricsPanel(QWidget* parent = nullptr);
    void showMetrics(const MetricsReport& report, const QString& truthFiles);
    void showCounts(const ErrorCounts& counts);
    void clearMetrics(const QString& why);
    QString text() const;
    static QString format(const MetricsReport& report);

private:
    QLabel* numbers_;
    QLabel* counts_;
    PlotView* reliability_;
    PlotView* sparsification_;
    QComboBox* curve_;
    MetricsReport report_;
};

}  // namespace uvis
