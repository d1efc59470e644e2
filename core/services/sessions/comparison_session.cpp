#include "core/services/sessions/comparison_session.h"

#include <QFileInfo>

namespace uvis {

ComparisonSession::ComparisonSession(Workspace& workspace, ValidatorCommand validator, QObject* parent,
                                     ModelLoaderFn loader, int checkTimeoutMs)
    : QObject(parent), workspace_(workspace), b_(std::move(validator), nullptr, std::move(loader), checkTimeoutMs),
      evaluating_(this, [this](MetricsReport metrics, const QString&) {
          metrics_ = std::move(metrics);  // empty when it failed: nothing is shown
          Q_EMIT metricsChanged();
      }) {
    AnalysisSession& a = workspace_.analysis();
    connect(&workspace_, &Workspace::imageShown, this, [this](const RgbImage&, int frame) {
        clearMetrics();
        if (active()) b_.setImage(workspace_.sharedDisplayed(), frame);
    });
    connect(&a, &AnalysisSession::modelLoaded, this, [this](const ModelCard&, const QString&, const QString& path) {
        if (active() && followsA_ && path != b_.modelPath()) b_.openModel(path, workspace_.isBundledModel(path));
    });
    connect(&b_, &AnalysisSession::resultUpdated, this, [this](const AnalysedFrame& f) {
        if (f.final) evaluate();
        Q_EMIT changed();
    });
    connect(&b_, &AnalysisSession::modelLoaded, this, [this] {
        clearMetrics();
        Q_EMIT changed();
    });
    connect(&b_, &AnalysisSession::resultSettingsChanged, this, [this] {
        clearMetrics();
        Q_EMIT changed();
    });
    connect(&workspace_.evaluation(), &EvaluationSession::truthChanged, this, [this] {
        clearMetrics();
        evaluate();
    });
}

ComparisonSession::~ComparisonSession() = default;

void ComparisonSession::setMode(CompareMode mode) {
    if (mode == mode_) return;
    const bool starting = mode_ == CompareMode::Off && mode != CompareMode::Off;
    mode_ = mode;
    if (mode == CompareMode::Off) {
        b_.cancel();
        clearMetrics();
    } else if (starting) {
        start();
    }
    Q_EMIT modeChanged(mode_);
    Q_EMIT changed();
}

void ComparisonSession::cycleMode() {
    setMode(mode_ == CompareMode::Off ? CompareMode::Both : nextCompareMode(mode_));
}

// B catches up with what A shows: the model it follows, the image or frame on screen; and, the
// first time, A's settings as its starting point (the user then changes what B should differ in).
void ComparisonSession::start() {
    AnalysisSession& a = workspace_.analysis();
    if (!started_) {
        started_ = true;
        b_.setDropoutFollowsModel(a.dropoutFollowsModel());
        b_.setSettings(a.settings());
    }
    const QString modelA = a.modelPath();
    if (followsA_ && !modelA.isEmpty() && modelA != b_.modelPath()) b_.openModel(modelA, workspace_.isBundledModel(modelA));
    if (!workspace_.displayed().pixels.empty()) b_.setImage(workspace_.sharedDisplayed(), workspace_.displayedFrame());
}

void ComparisonSession::openModelB(const QString& path) {
    followsA_ = false;
    b_.openModel(path, workspace_.isBundledModel(path));
}

void ComparisonSession::followModelA() {
    followsA_ = true;
    const QString modelA = workspace_.analysis().modelPath();
    if (active() && !modelA.isEmpty() && modelA != b_.modelPath()) b_.openModel(modelA, workspace_.isBundledModel(modelA));
}

void ComparisonSession::setPlaying(bool playing) { b_.setPlaying(playing); }

void ComparisonSession::clearMetrics() {
    evaluating_.drop();  // another image, truth or result
    if (metrics_.empty()) return;
    metrics_ = MetricsReport{};
    Q_EMIT metricsChanged();
}

// As EvaluationSession does for A: a complete result of the still image on screen, against its truth.
void ComparisonSession::evaluate() {
    const AnalysedFrame& f = b_.latest();
    const EvaluationSession& evaluation = workspace_.evaluation();
    if (!active() || !f.final || !f.maps || f.frameIndex >= 0 || !evaluation.hasTruth()) return;
    const GroundTruth& t = evaluation.truth();
    evaluating_.request("B's metrics", [maps = f.maps, depth = t.depth, labels = t.labels](const BackgroundJob&) {
        return evaluateMaps(*maps, depth.empty() ? nullptr : &depth, labels.empty() ? nullptr : &labels);
    });
}

QString ComparisonSession::describe(const AnalysisSession& s) {
    if (!s.hasModel()) return "no model yet";
    const SamplingSettings& m = s.settings();
    QString text = QString::fromStdString(s.card().name) + " · " + methodName(m.method);
    const int k = s.card().members;
    switch (m.method) {
    case UncertaintyMethod::Ensemble: text += QString(", K %1").arg(k); break;
    case UncertaintyMethod::EnsembleMc: text += QString(", T %1 × %2, p %3").arg(m.samples).arg(k).arg(m.dropout, 0, 'f', 2); break;
    default: text += QString(", T %1, p %2").arg(m.samples).arg(m.dropout, 0, 'f', 2);
    }
    if (!m.calibration.identity()) text += " · calibrated";
    return text;
}

}  // namespace uvis
