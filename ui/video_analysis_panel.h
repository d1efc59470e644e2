#pragma once
// Failure hunting in a video: analyse the whole clip in the background (the timeline under the
// scrubber fills in frame by frame), list the worst frames, bookmark frames, and export the worst
// or the bookmarked frames as a batch. The jobs live in core/services; this panel shows their
// state and sends what the user asks for.

#include <QWidget>

#include <map>
#include <memory>

#include "core/services/frame_batch_job.h"
#include "core/services/video_analysis_job.h"

class QComboBox;
class QLabel;
class QListWidget;
class QProgressBar;
class QPushButton;
class QSpinBox;

namespace uvis {

class TimelineView;

class VideoAnalysisPanel : public QWidget {
    Q_OBJECT
public:
    explicit VideoAnalysisPanel(QWidget* parent = nullptr);
    ~VideoAnalysisPanel() override;

    TimelineView* timeline() const { return timeline_; }  // MainWindow puts it under the scrubber
    void videoOpened(int frameCount);
    void setCurrentFrame(int frame);
    int every() const;

    void startAnalysis(const VideoAnalysisRequest& request);
    void cancelAnalysis();
    bool analysing() const;
    void startBatchExport(const FrameBatchRequest& request);
    void cancelBatchExport();

    const std::map<int, FrameSeriesPoint>& points() const { return points_; }
    QString series() const;  // SPEC §5 name of the map plotted
    QList<int> worstFrames(int count = 10) const;  // highest 95th percentile first
    QList<int> bookmarks() const { return bookmarks_; }
    void addBookmark(int frame);

Q_SIGNALS:
    void analyseRequested();
    void jumpRequested(int frame);
    void exportFramesRequested(const QList<int>& frames);
    void analysisFinished(const QString& problem, bool cancelled);
    void batchFinished(const QString& dir, const QString& error, bool cancelled);

private:
    void redraw();
    TimelineView* timeline_;
    QSpinBox* every_;
    QPushButton* analyse_;
    QPushButton* cancel_;
    QProgressBar* progress_;
    QComboBox* series_;
    QListWidget* worst_;
    QListWidget* bookmarkList_;
    QPushButton* exportWorst_;
    QPushButton* exportBookmarks_;
    QLabel* batchStatus_;
    std::unique_ptr<VideoAnalysisJob> analysis_;
    std::unique_ptr<FrameBatchJob> batch_;
    std::map<int, FrameSeriesPoint> points_;
    QList<int> bookmarks_;
    int frameCount_ = 0, current_ = 0;
};

}  // namespace uvis
