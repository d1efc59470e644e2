#pragma once
// The metrics of the result on screen against its ground truth: the numbers, the reliability
// diagram and the sparsification curves (core/metrics computes them; this shows them). The plots
// are tabs under the numbers, so that each gets the dock's full height left on a laptop screen.

#include <QWidget>

#include "core/imaging/error_views.h"
#include "core/metrics/metrics.h"

class QLabel;
class QTabWidget;

namespace uvis {

class PlotView;

class MetricsPanel : public QWidget {
    Q_OBJECT
public:
    explicit MetricsPanel(QWidget* parent = nullptr);
    void showMetrics(const MetricsReport& report, const QString& truthFiles);
    void showCounts(const ErrorCounts& counts);
    void clearMetrics(const QString& why);
    // A comparison: A's heading over the numbers and B's numbers under them; empty
    // texts hide both (no comparison).
    void showComparison(const QString& headingA, const QString& numbersB);
    QString comparisonText() const;
    QString text() const;
    QTabWidget* plots() const { return plots_; }
    static QString format(const MetricsReport& report);

private:
    QLabel* headingA_;
    QLabel* numbers_;
    QLabel* numbersB_;
    QLabel* counts_;
    QTabWidget* plots_;
    PlotView* reliability_;
    PlotView* rmseCurve_;
    PlotView* absRelCurve_;
};

}  // namespace uvis
