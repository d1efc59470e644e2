#pragma once
// Failure hunting in a video, as state and policy: the whole clip analysed in the
// background (per-frame mean and 95th percentile of each uncertainty map), the worst frames,
// bookmarks, and the batch export of chosen frames. The jobs, the series and the bookmarks live
// here; VideoAnalysisPanel and TimelineView only show them. Qt Core layer.

#include <QList>
#include <QObject>

#include <map>
#include <memory>
#include <string>
#include <vector>

#include "core/services/jobs/frame_batch_job.h"
#include "core/services/jobs/video_analysis_job.h"

namespace uvis {

class AnalysisSession;

struct TimelineSeries {
    const char* name;  // SPEC §5 map name
    const char* label;
    const char* unit;
};
const std::vector<TimelineSeries>& timelineSeries();

class VideoTimeline : public QObject {
    Q_OBJECT
public:
    // Jobs use the session's model and settings at the moment they start.
    explicit VideoTimeline(AnalysisSession& session, QObject* parent = nullptr);
    ~VideoTimeline() override;  // cancels and joins the jobs

    void videoOpened(const QString& path, int frameCount);  // forgets the previous video's series
    void videoClosed();
    void setCurrentFrame(int frame);

    // Every `every`-th frame of the open video; errorShown when there is no video or model.
    void analyse(int every);
    void exportFrames(const QList<int>& frames, const QString& dir, bool overwrite,
                      FrameBatchRequest::ExtraFiles extraFiles = {});
    void cancel();  // whatever runs
    bool analysing() const;
    bool exporting() const;

    bool hasVideo() const { return !video_.isEmpty(); }
    int frameCount() const { return frameCount_; }
    int currentFrame() const { return current_; }
    const std::map<int, FrameSeriesPoint>& points() const { return points_; }
    QList<int> worstFrames(const std::string& series, int count = 10) const;  // highest p95 first
    QList<int> bookmarks() const { return bookmarks_; }
    void addBookmark(int frame);
    void removeBookmark(int frame);

Q_SIGNALS:
    void reset();  // a new video, or a new analysis: redraw everything
    void pointAdded(const uvis::FrameSeriesPoint& point);
    void bookmarksChanged();
    void currentFrameChanged(int frame);
    void progress(int done, int total);  // of the job that runs; never moves backwards within it
    void analysisFinished(const QString& problem, bool cancelled);
    void framesExported(const QString& dir, const QString& error, bool cancelled);
    void errorShown(const QString& message);

private:
    AnalysisSession& session_;
    QString video_;
    int frameCount_ = 0, current_ = 0;
    std::unique_ptr<VideoAnalysisJob> analysis_;
    std::unique_ptr<FrameBatchJob> batch_;
    std::map<int, FrameSeriesPoint> points_;
    QList<int> bookmarks_;
};

}  // namespace uvis
