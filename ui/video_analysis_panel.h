#pragma once
// Failure hunting in a video, shown: the analysis controls and progress, the worst frames and
// the bookmarks of the VideoTimeline (core/services), and the timeline plot under the scrubber
// (a TimelineView the window places). It shows the timeline's state and sends what the user asks
// for; the jobs, series and bookmarks live in the VideoTimeline.

#include <QWidget>

#include "core/services/sessions/video_timeline.h"

class QComboBox;
class QListWidget;
class QProgressBar;
class QPushButton;
class QSpinBox;

namespace uvis {

class TimelineView;

class VideoAnalysisPanel : public QWidget {
    Q_OBJECT
public:
    VideoAnalysisPanel(VideoTimeline& timeline, TimelineView* plot, QWidget* parent = nullptr);

    TimelineView* plot() const { return plot_; }
    int every() const;
    QString series() const;  // SPEC §5 name of the map plotted
    QList<int> worstFrames() const { return timeline_.worstFrames(series().toStdString()); }

Q_SIGNALS:
    void jumpRequested(int frame);
    void exportFramesRequested(const QList<int>& frames);  // the window asks where

private:
    void redraw();
    VideoTimeline& timeline_;
    TimelineView* plot_;
    QSpinBox* every_;
    QPushButton* analyse_;
    QPushButton* cancel_;
    QProgressBar* progress_;
    QComboBox* series_;
    QListWidget* worst_;
    QListWidget* bookmarkList_;
    QPushButton* exportWorst_;
    QPushButton* exportBookmarks_;
};

}  // namespace uvis
