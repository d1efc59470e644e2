#include "core/services/sessions/video_timeline.h"

#include <algorithm>
#include <cmath>

#include "core/services/sessions/analysis_session.h"

namespace uvis {

const std::vector<TimelineSeries>& timelineSeries() {
    static const std::vector<TimelineSeries> series{{"depth_epistemic_var", "depth epistemic variance", "m²"},
                                                    {"depth_aleatoric_var", "depth aleatoric variance", "m²"},
                                                    {"seg_mutual_info", "mutual information", "nats"},
                                                    {"seg_expected_entropy", "expected entropy", "nats"},
                                                    {"seg_entropy", "predictive entropy", "nats"}};
    return series;
}

VideoTimeline::VideoTimeline(AnalysisSession& session, QObject* parent) : QObject(parent), session_(session) {}

VideoTimeline::~VideoTimeline() = default;

void VideoTimeline::videoOpened(const QString& path, int frameCount) {
    analysis_.reset();
    batch_.reset();
    video_ = path;
    frameCount_ = frameCount;
    current_ = 0;
    points_.clear();
    bookmarks_.clear();
    Q_EMIT reset();
}

void VideoTimeline::videoClosed() { videoOpened({}, 0); }

void VideoTimeline::setCurrentFrame(int frame) {
    current_ = frame;
    Q_EMIT currentFrameChanged(frame);
}

void VideoTimeline::analyse(int every) {
    if (video_.isEmpty() || !session_.hasModel()) {
        Q_EMIT errorShown("Open a video (and a model) first: the timeline analyses the open video.");
        return;
    }
    analysis_ = std::make_unique<VideoAnalysisJob>(
        VideoAnalysisRequest{video_, session_.modelPath(), session_.settings(), std::max(1, every)});
    points_.clear();
    Q_EMIT reset();
    connect(analysis_.get(), &VideoAnalysisJob::frameAnalysed, this, [this](const FrameSeriesPoint& point) {
        points_[point.frame] = point;
        Q_EMIT pointAdded(point);
    });
    connect(analysis_.get(), &BackgroundJob::progress, this,
            [this](int done, int total) { Q_EMIT progress(done, total); });
    connect(analysis_.get(), &BackgroundJob::done, this, [this](const QString& problem, bool cancelled) {
        if (!problem.isEmpty()) Q_EMIT errorShown(problem);
        Q_EMIT analysisFinished(problem, cancelled);
    });
    Q_EMIT progress(0, 1);
    analysis_->start(QThread::LowPriority);
}

void VideoTimeline::exportFrames(const QList<int>& frames, const QString& dir, bool overwrite,
                                 FrameBatchRequest::ExtraFiles extraFiles) {
    if (video_.isEmpty() || frames.isEmpty() || !session_.hasModel()) {
        Q_EMIT errorShown("No frames to export: analyse the video (Video → Analyse) or bookmark frames first.");
        return;
    }
    FrameBatchRequest r;
    r.video = video_;
    r.modelPath = session_.modelPath();
    r.dir = dir;
    r.overwrite = overwrite;
    r.settings = session_.settings();
    r.frames = frames;
    r.extraFiles = std::move(extraFiles);
    batch_ = std::make_unique<FrameBatchJob>(r);
    connect(batch_.get(), &BackgroundJob::progress, this, [this](int done, int total) { Q_EMIT progress(done, total); });
    connect(batch_.get(), &BackgroundJob::done, this, [this, dir](const QString& error, bool cancelled) {
        if (!error.isEmpty()) Q_EMIT errorShown(error);
        Q_EMIT framesExported(dir, error, cancelled);
    });
    Q_EMIT progress(0, frames.size());
    batch_->start(QThread::LowPriority);
}

void VideoTimeline::cancel() {
    if (analysis_) analysis_->cancel();
    if (batch_) batch_->cancel();
}

bool VideoTimeline::analysing() const { return analysis_ && analysis_->busy(); }

bool VideoTimeline::exporting() const { return batch_ && batch_->busy(); }

QList<int> VideoTimeline::worstFrames(const std::string& series, int count) const {
    std::vector<std::pair<double, int>> ranked;
    for (const auto& [frame, point] : points_) {
        const double v = point.p95Of(series);
        if (std::isfinite(v)) ranked.emplace_back(v, frame);
    }
    std::stable_sort(ranked.begin(), ranked.end(), [](const auto& a, const auto& b) { return a.first > b.first; });
    QList<int> frames;
    for (size_t i = 0; i < ranked.size() && static_cast<int>(i) < count; ++i) frames << ranked[i].second;
    return frames;
}

void VideoTimeline::addBookmark(int frame) {
    if (bookmarks_.contains(frame)) return;
    bookmarks_ << frame;
    std::sort(bookmarks_.begin(), bookmarks_.end());
    Q_EMIT bookmarksChanged();
}

void VideoTimeline::removeBookmark(int frame) {
    if (bookmarks_.removeAll(frame) > 0) Q_EMIT bookmarksChanged();
}

}  // namespace uvis
