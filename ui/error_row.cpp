#include "ui/error_row.h"

#include <QHBoxLayout>

#include "ui/map_view.h"
#include "ui/metrics_panel.h"
#include "core/services/sessions/samples_note.h"

namespace uvis {

ErrorRow::ErrorRow(Workspace& workspace, const ComparisonSession& comparison, ViewLink* link, MetricsPanel* metrics,
                   QWidget* parent)
    : QWidget(parent), workspace_(workspace), comparison_(comparison), metrics_(metrics) {
    auto* row = new QHBoxLayout(this);
    row->setContentsMargins(0, 0, 0, 0);
    for (int i = 0; i < kErrorViewCount; ++i) {
        views_[i] = new MapView(link);
        views_[i]->setObjectName(QString("view_%1").arg(errorViewKey(static_cast<ErrorViewId>(i))));
        row->addWidget(views_[i]);
    }
    hide();
    EvaluationSession& evaluation = workspace_.evaluation();
    connect(&evaluation, &EvaluationSession::truthChanged, this, [this, &evaluation] {
        setVisible(evaluation.hasTruth());
        if (!evaluation.hasTruth()) {
            metrics_->clearMetrics(workspace_.showsVideo() ? "Videos have no per-frame ground truth here."
                                                           : "No ground truth beside this image: File → Open ground truth.");
            return;
        }
        metrics_->clearMetrics("Computing the metrics…");
        refresh();
        const TruthPaths& p = evaluation.truth().paths;
        Q_EMIT status(
            QString("Ground truth: %1 %2").arg(QString::fromStdString(p.depth), QString::fromStdString(p.labels)).trimmed());
    });
    connect(&evaluation, &EvaluationSession::metricsReady, this, [this, &evaluation] {
        const TruthPaths& p = evaluation.truth().paths;
        metrics_->showMetrics(evaluation.metrics(),
                              QString::fromStdString(p.depth) + "\n" + QString::fromStdString(p.labels));
    });
    connect(&workspace_.analysis(), &AnalysisSession::resultUpdated, this, &ErrorRow::refresh);
    connect(&comparison_, &ComparisonSession::changed, this, &ErrorRow::refresh);
}

void ErrorRow::setDisplay(const DisplayOptions& options) {
    display_ = options;
    refresh();
}

void ErrorRow::refresh() {
    const bool showsB = comparison_.mode() == CompareMode::B;
    const AnalysedFrame& f = showsB ? comparison_.b().latest() : workspace_.analysis().latest();
    const EvaluationSession& evaluation = workspace_.evaluation();
    if (!evaluation.hasTruth() || !f.maps) return;
    const GroundTruth& t = evaluation.truth();
    const TruthMaps truth{t.depth.empty() ? nullptr : &t.depth, t.labels.empty() ? nullptr : &t.labels};
    RenderedErrorViews e = renderErrorViews(*f.maps, truth, display_);
    const std::string label = !comparison_.active() ? "" : showsB ? "B · " : "A · ";
    for (int i = 0; i < kErrorViewCount; ++i) {
        e.views[i].title = label + e.views[i].title;
        views_[i]->setView(e.views[i], QString::fromStdString(samplesNote(f)));
    }
    metrics_->showCounts(e.counts);
}

}  // namespace uvis
