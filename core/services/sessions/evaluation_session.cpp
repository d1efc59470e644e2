#include "core/services/sessions/evaluation_session.h"


namespace uvis {

EvaluationSession::EvaluationSession(QObject* parent)
    : QObject(parent),
      loading_(this, [this](GroundTruth loaded, const QString& problem) { truthLoaded(std::move(loaded), problem); }),
      evaluating_(this, [this](MetricsReport metrics, const QString& problem) {
          if (!problem.isEmpty()) {
              Q_EMIT failed(problem);
              return;
          }
          metrics_ = std::move(metrics);
          // Said where the numbers are: label ids the model does not know, class lists that disagree.
          metrics_.notes.insert(metrics_.notes.end(), truth_.warnings.begin(), truth_.warnings.end());
          Q_EMIT metricsReady();
      }) {}

EvaluationSession::~EvaluationSession() = default;

void EvaluationSession::truthLoaded(GroundTruth loaded, const QString& problem) {
    if (!problem.isEmpty()) Q_EMIT failed(problem);
    for (const std::string& e : loaded.errors) Q_EMIT failed(QString::fromStdString(e));
    // Keep what the user loaded before for the other kind.
    if (loaded.depth.empty() && !truth_.depth.empty()) {
        loaded.depth = truth_.depth;
        loaded.paths.depth = truth_.paths.depth;
    }
    if (loaded.labels.empty() && !truth_.labels.empty()) {
        loaded.labels = truth_.labels;
        loaded.paths.labels = truth_.paths.labels;
    }
    loaded.errors.clear();
    truth_ = std::move(loaded);
    metrics_ = MetricsReport{};
    Q_EMIT truthChanged();
    if (pendingMaps_) evaluate(pendingMaps_);
}

void EvaluationSession::clear() {
    // Answers for the image that was on screen are not wanted any more.
    loading_.drop();
    evaluating_.drop();
    truth_ = GroundTruth{};
    metrics_ = MetricsReport{};
    pendingMaps_.reset();
    Q_EMIT truthChanged();
}

void EvaluationSession::findFor(const QString& imagePath, int width, int height, const ModelCard& card,
                                QSize fileSize, const TruthPaths& given) {
    clear();
    const bool named = !given.depth.empty() || !given.labels.empty();
    startLoad(imagePath, given, !named, width, height, card, fileSize);
}

void EvaluationSession::load(const QString& path, Kind kind, int width, int height, const ModelCard& card,
                             QSize fileSize) {
    TruthPaths given;
    (kind == Kind::Depth ? given.depth : given.labels) = path.toStdString();
    startLoad(QString(), given, false, width, height, card, fileSize);
}

void EvaluationSession::startLoad(const QString& imagePath, TruthPaths given, bool beside, int width, int height,
                                  const ModelCard& card, QSize fileSize) {
    loading_.request(imagePath, [=, p = imagePath.toStdString()](const BackgroundJob&) {
        return loadGroundTruth(p, given, beside, width, height, card, fileSize.width(), fileSize.height());
    });
}

void EvaluationSession::evaluate(const MapsPtr& maps) {
    if (!maps) return;
    if (loading_.busy()) {
        pendingMaps_ = maps;
        return;
    }
    pendingMaps_.reset();
    if (!hasTruth()) return;
    // Copies: the truth may change while this runs.
    const FloatMap depth = truth_.depth;
    const ClassMap labels = truth_.labels;
    evaluating_.request("the metrics", [maps, depth, labels](const BackgroundJob&) {
        return evaluateMaps(*maps, depth.empty() ? nullptr : &depth, labels.empty() ? nullptr : &labels);
    });
}

}  // namespace uvis
