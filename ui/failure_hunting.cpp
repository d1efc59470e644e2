#include "ui/failure_hunting.h"

#include <QFileInfo>
#include <QHBoxLayout>
#include <QWidget>

#include "ui/map_view.h"
#include "ui/metrics_panel.h"
#include "ui/video_analysis_panel.h"
#include "ui/view_export.h"

namespace uvis {

FailureHunting::FailureHunting(AnalysisSession& session, ViewLink* link, QObject* parent)
    : QObject(parent), session_(session) {
    errorRow_ = new QWidget;
    auto* row = new QHBoxLayout(errorRow_);
    row->setContentsMargins(0, 0, 0, 0);
    for (int i = 0; i < kErrorViewCount; ++i) {
        errorViews_[i] = new MapView(link);
        errorViews_[i]->setObjectName(QString("view_%1").arg(errorViewKey(static_cast<ErrorViewId>(i))));
        row->addWidget(errorViews_[i]);
    }
    errorRow_->hide();
    metrics_ = new MetricsPanel;
    analysis_ = new VideoAnalysisPanel;

    connect(&evaluation_, &EvaluationSession::failed, this, &FailureHunting::errorShown);
    connect(&evaluation_, &EvaluationSession::truthChanged, this, [this] {
        errorRow_->setVisible(evaluation_.hasTruth());
        if (!evaluation_.hasTruth()) {
            metrics_->clearMetrics(videoPath_.isEmpty() ? "No ground truth beside this image: File → Open ground truth."
                                                        : "Videos have no per-frame ground truth here.");
            return;
        }
        metrics_->clearMetrics("Computing the metrics…");
        const AnalysedFrame& f = session_.latest();
        if (f.final) evaluation_.evaluate(f.maps);
        refreshErrorViews();
        const TruthPaths& p = evaluation_.truth().paths;
        Q_EMIT status(QString("Ground truth: %1 %2")
                          .arg(QString::fromStdString(p.depth), QString::fromStdString(p.labels))
                          .trimmed());
    });
    connect(&evaluation_, &EvaluationSession::metricsReady, this, [this] {
        const TruthPaths& p = evaluation_.truth().paths;
        metrics_->showMetrics(evaluation_.metrics(),
                              QString::fromStdString(p.depth) + "\n" + QString::fromStdString(p.labels));
        Q_EMIT metricsShown();
    });
    connect(analysis_, &VideoAnalysisPanel::analyseRequested, this, &FailureHunting::analyseVideo);
    connect(analysis_, &VideoAnalysisPanel::jumpRequested, this, &FailureHunting::jumpRequested);
    connect(analysis_, &VideoAnalysisPanel::exportFramesRequested, this, &FailureHunting::exportFramesRequested);
    connect(analysis_, &VideoAnalysisPanel::analysisFinished, this, [this](const QString& problem, bool cancelled) {
        if (!problem.isEmpty()) Q_EMIT errorShown(problem);
        else Q_EMIT status(cancelled ? "Video analysis cancelled." : "Video analysed: see the timeline.");
        Q_EMIT analysisFinished(problem, cancelled);
    });
    connect(analysis_, &VideoAnalysisPanel::batchFinished, this,
            [this](const QString& dir, const QString& error, bool cancelled) {
                if (!error.isEmpty()) Q_EMIT errorShown(error);
                Q_EMIT framesExported(dir, error, cancelled);
            });
}

FailureHunting::~FailureHunting() = default;

void FailureHunting::imageOpened(const QString& path, const RgbImage& image) {
    videoPath_.clear();
    image_ = image;
    evaluation_.findFor(path, image.width, image.height, session_.card().classes);
}

void FailureHunting::videoOpened(const QString& path, int frameCount) {
    videoPath_ = path;
    image_ = RgbImage{};
    evaluation_.clear();
    analysis_->videoOpened(frameCount);
}

void FailureHunting::frameShown(int index) { analysis_->setCurrentFrame(index); }

void FailureHunting::resultUpdated(const AnalysedFrame& frame) {
    if (frame.final && videoPath_.isEmpty()) evaluation_.evaluate(frame.maps);
    refreshErrorViews();
}

void FailureHunting::displayChanged(const DisplayOptions& options) {
    display_ = options;
    refreshErrorViews();
}

void FailureHunting::openTruth(const QString& path, EvaluationSession::Kind kind) {
    if (image_.pixels.empty()) {
        Q_EMIT errorShown(path + ": ground truth belongs to a still image; open the image first");
        return;
    }
    evaluation_.load(path, kind, image_.width, image_.height, session_.card().classes);
}

void FailureHunting::analyseVideo() {
    if (videoPath_.isEmpty() || !session_.hasModel()) {
        Q_EMIT errorShown("Open a video (and a model) first: the timeline analyses the open video.");
        return;
    }
    analysis_->startAnalysis(VideoAnalysisRequest{videoPath_, session_.modelPath(), session_.settings(), analysis_->every()});
}

void FailureHunting::exportFrames(const QList<int>& frames, const QString& dir, bool overwrite) {
    if (videoPath_.isEmpty() || frames.isEmpty()) {
        Q_EMIT errorShown("No frames to export: analyse the video or bookmark frames first.");
        return;
    }
    FrameBatchRequest r;
    r.video = videoPath_;
    r.modelPath = session_.modelPath();
    r.dir = dir;
    r.overwrite = overwrite;
    r.settings = session_.settings();
    r.frames = frames;
    const DisplayOptions display = display_;
    r.extraFiles = [display](const std::string& folder, const RgbImage& frame, const UncertaintyMaps& maps,
                             const ModelCard& card) {
        return writeViewPictures(folder, frame, maps, card, display, RangeMemory{});
    };
    analysis_->startBatchExport(r);
}

void FailureHunting::refreshErrorViews() {
    const AnalysedFrame& f = session_.latest();
    if (!evaluation_.hasTruth() || !f.maps) return;
    const GroundTruth& t = evaluation_.truth();
    const TruthMaps truth{t.depth.empty() ? nullptr : &t.depth, t.labels.empty() ? nullptr : &t.labels};
    const RenderedErrorViews e = renderErrorViews(*f.maps, truth, display_);
    const QString note = QString("%1 / %2 samples").arg(f.maps->samplesDone).arg(f.maps->samplesRequested);
    for (int i = 0; i < kErrorViewCount; ++i) errorViews_[i]->setView(e.views[i], note);
    metrics_->showCounts(e.counts);
}

}  // namespace uvis
