#include "ui/metrics_panel.h"

#include <QLabel>
#include <QTabWidget>
#include <QVBoxLayout>

#include "ui/plots.h"

namespace uvis {

MetricsPanel::MetricsPanel(QWidget* parent) : QWidget(parent) {
    auto* column = new QVBoxLayout(this);
    headingA_ = new QLabel;
    headingA_->setWordWrap(true);
    headingA_->setStyleSheet("font-weight: bold");
    headingA_->hide();
    column->addWidget(headingA_);
    numbers_ = new QLabel;
    numbers_->setWordWrap(true);
    numbers_->setTextInteractionFlags(Qt::TextSelectableByMouse);
    numbers_->setAlignment(Qt::AlignTop | Qt::AlignLeft);
    column->addWidget(numbers_);
    numbersB_ = new QLabel;
    numbersB_->setWordWrap(true);
    numbersB_->setTextInteractionFlags(Qt::TextSelectableByMouse);
    numbersB_->hide();
    column->addWidget(numbersB_);
    counts_ = new QLabel;
    counts_->setWordWrap(true);
    column->addWidget(counts_);
    plots_ = new QTabWidget;
    reliability_ = new PlotView;
    rmseCurve_ = new PlotView;
    absRelCurve_ = new PlotView;
    plots_->addTab(reliability_, "Reliability");
    plots_->addTab(rmseCurve_, "Sparsification RMSE");
    plots_->addTab(absRelCurve_, "abs-rel");
    plots_->setTabToolTip(1, "Depth RMSE as the most uncertain pixels are removed (ranked by predictive σ), "
                             "against the oracle ranked by the error itself");
    plots_->setTabToolTip(2, "Sparsification of the depth abs-rel error");
    column->addWidget(plots_, 1);
    clearMetrics("Open an image with ground truth beside it (<id>_depth.npy, <id>_labels.png), or File → Open "
                 "ground truth.");
}

QString MetricsPanel::format(const MetricsReport& r) {
    QStringList lines;
    if (r.depth) {
        const DepthMetrics& d = *r.depth;
        lines << QString("Depth (%1 pixels): RMSE %2 m, abs-rel %3, δ<1.25 %4, NLL %5")
                     .arg(d.validPixels)
                     .arg(d.rmse, 0, 'f', 3)
                     .arg(d.absRel, 0, 'f', 4)
                     .arg(d.delta1, 0, 'f', 3)
                     .arg(d.nll, 0, 'f', 3);
        lines << QString("AUSE RMSE %1, abs-rel %2; AURG RMSE %3, abs-rel %4")
                     .arg(d.rmseCurve.ause, 0, 'f', 3)
                     .arg(d.absRelCurve.ause, 0, 'f', 4)
                     .arg(d.rmseCurve.aurg, 0, 'f', 3)
                     .arg(d.absRelCurve.aurg, 0, 'f', 4);
        lines << QString("Coverage of the 50/68/95 % intervals: %1 / %2 / %3")
                     .arg(d.coverage50, 0, 'f', 3)
                     .arg(d.coverage68, 0, 'f', 3)
                     .arg(d.coverage95, 0, 'f', 3);
    }
    if (r.segmentation) {
        const SegmentationMetrics& s = *r.segmentation;
        lines << QString("Segmentation (%1 pixels): mIoU %2, pixel accuracy %3")
                     .arg(s.validPixels)
                     .arg(s.miou, 0, 'f', 4)
                     .arg(s.pixelAccuracy, 0, 'f', 4);
        lines << QString("ECE %1, NLL %2, Brier %3, AUROC of %4 for errors %5")
                     .arg(s.ece, 0, 'f', 4)
                     .arg(s.nll, 0, 'f', 4)
                     .arg(s.brier, 0, 'f', 4)
                     .arg(QString::fromStdString(s.aurocMeasure))
                     .arg(s.aurocError, 0, 'f', 4);
    }
    for (const std::string& n : r.notes) lines << QString::fromStdString(n);
    return lines.join('\n');
}

void MetricsPanel::showMetrics(const MetricsReport& report, const QString& truthFiles) {
    if (!truthFiles.isEmpty()) numbers_->setToolTip(truthFiles);
    numbers_->setText(format(report));
    if (report.segmentation) {
        const SegmentationMetrics s = *report.segmentation;
        reliability_->setPainter([s](QPainter& p, const QRectF& r) { paintReliability(p, r, s); });
    } else {
        reliability_->setPainter({});
        reliability_->setEmptyText("No label ground truth: no reliability diagram.");
    }
    for (const bool absRel : {false, true}) {
        PlotView* plot = absRel ? absRelCurve_ : rmseCurve_;
        if (report.depth) {
            const DepthMetrics d = *report.depth;
            plot->setPainter([d, absRel](QPainter& p, const QRectF& r) { paintSparsification(p, r, d, absRel); });
        } else {
            plot->setPainter({});
            plot->setEmptyText("No depth ground truth: no sparsification curves.");
        }
    }
}

void MetricsPanel::showCounts(const ErrorCounts& c) {
    const double n = static_cast<double>(c.rightCertain + c.rightUncertain + c.wrongUncertain + c.wrongConfident);
    if (n <= 0) {
        counts_->clear();
        return;
    }
    counts_->setText(QString("Wrong and uncertain (it knew): %1 %; wrong but confident (it did not): %2 %; right but "
                             "uncertain: %3 %")
                         .arg(100 * c.wrongUncertain / n, 0, 'f', 1)
                         .arg(100 * c.wrongConfident / n, 0, 'f', 1)
                         .arg(100 * c.rightUncertain / n, 0, 'f', 1));
}

void MetricsPanel::clearMetrics(const QString& why) {
    numbers_->setText(why);
    counts_->clear();
    reliability_->setPainter({});
    reliability_->setEmptyText("No ground truth.");
    for (PlotView* plot : {rmseCurve_, absRelCurve_}) {
        plot->setPainter({});
        plot->setEmptyText("No ground truth.");
    }
}

QString MetricsPanel::text() const { return numbers_->text(); }

void MetricsPanel::showComparison(const QString& headingA, const QString& numbersB) {
    headingA_->setText(headingA);
    headingA_->setVisible(!headingA.isEmpty());
    numbersB_->setText(numbersB);
    numbersB_->setVisible(!numbersB.isEmpty());
}

QString MetricsPanel::comparisonText() const { return numbersB_->text(); }

}  // namespace uvis
