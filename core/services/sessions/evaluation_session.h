#pragma once
// The ground truth of the image on screen and the metrics of its latest complete result.
// Truth is found beside the image by the naming convention or given by the user;
// loading and evaluating run off the GUI thread; answers for an image no longer on screen are
// dropped. Qt Core layer.

#include <QObject>
#include <QSize>

#include "core/io/ground_truth.h"
#include "core/metrics/metrics.h"
#include "core/services/jobs/latest_job.h"
#include "core/services/sessions/inference_controller.h"

namespace uvis {

class EvaluationSession : public QObject {
    Q_OBJECT
public:
    explicit EvaluationSession(QObject* parent = nullptr);
    ~EvaluationSession() override;

    enum class Kind { Depth, Labels };
    void clear();  // a video, or an image without truth
    // Looks beside `imagePath`; silent when nothing is there, `failed` when a file is bad.
    // `fileSize`: the file's own size when the image is analysed reduced (truth may have either size).
    // `given`: truth a manifest names (used instead of looking beside the image).
    void findFor(const QString& imagePath, int width, int height, const ModelCard& card, QSize fileSize = {},
                 const TruthPaths& given = {});
    // A file the user chose for the image on screen.
    void load(const QString& path, Kind kind, int width, int height, const ModelCard& card, QSize fileSize = {});
    // Metrics of a complete result for the image on screen (ignored without truth).
    void evaluate(const MapsPtr& maps);

    const GroundTruth& truth() const { return truth_; }  // .warnings: ids the model does not know, …
    bool hasTruth() const { return truth_.any(); }
    const MetricsReport& metrics() const { return metrics_; }
    bool hasMetrics() const { return !metrics_.empty(); }

Q_SIGNALS:
    void truthChanged();
    void failed(const QString& message);
    void metricsReady();

private:
    void startLoad(const QString& imagePath, TruthPaths given, bool beside, int width, int height,
                   const ModelCard& card, QSize fileSize);
    void truthLoaded(GroundTruth loaded, const QString& problem);
    GroundTruth truth_;
    MetricsReport metrics_;
    MapsPtr pendingMaps_;  // a result that arrived while the truth was loading
    // Last: destroyed first, so a running load or evaluation ends before what it answers to.
    LatestJob<GroundTruth> loading_;
    LatestJob<MetricsReport> evaluating_;
};

}  // namespace uvis
