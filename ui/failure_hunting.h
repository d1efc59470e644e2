#pragma once
// Where the model is wrong, and whether it knew (issue #6), wired into the window: the ground
// truth of the image on screen (found beside it or opened), the error views, the metrics panel
// with its plots, and for videos the uncertainty timeline with worst frames, bookmarks and batch
// export. MainWindow tells it what is on screen; it owns the panels and the jobs.

#include <QObject>

#include <array>
#include <functional>

#include "core/imaging/error_views.h"
#include "core/services/analysis_session.h"
#include "core/services/evaluation_session.h"

class QWidget;

namespace uvis {

class MapView;
class MetricsPanel;
class VideoAnalysisPanel;
class ViewLink;

class FailureHunting : public QObject {
    Q_OBJECT
public:
    FailureHunting(AnalysisSession& session, ViewLink* link, QObject* parent = nullptr);
    ~FailureHunting() override;

    // Widgets for the window to place.
    QWidget* errorRow() const { return errorRow_; }  // three error views, shown with ground truth
    MetricsPanel* metricsPanel() const { return metrics_; }
    VideoAnalysisPanel* analysisPanel() const { return analysis_; }
    MapView* errorView(ErrorViewId id) const { return errorViews_[static_cast<int>(id)]; }
    EvaluationSession& evaluation() { return evaluation_; }

    // What is on screen.
    void imageOpened(const QString& path, const RgbImage& image);
    void videoOpened(const QString& path, int frameCount);
    void frameShown(int index);
    void resultUpdated(const AnalysedFrame& frame);
    void displayChanged(const DisplayOptions& options);

    // What the user asks for.
    void openTruth(const QString& path, EvaluationSession::Kind kind);
    void analyseVideo();
    void exportFrames(const QList<int>& frames, const QString& dir, bool overwrite);

Q_SIGNALS:
    void errorShown(const QString& message);  // a failed action (the window shows it)
    void status(const QString& message);
    void metricsShown();
    void jumpRequested(int frame);
    void exportFramesRequested(const QList<int>& frames);  // the window asks where
    void analysisFinished(const QString& problem, bool cancelled);
    void framesExported(const QString& dir, const QString& error, bool cancelled);

private:
    void refreshErrorViews();

    AnalysisSession& session_;
    EvaluationSession evaluation_;
    QWidget* errorRow_;
    std::array<MapView*, kErrorViewCount> errorViews_{};
    MetricsPanel* metrics_;
    VideoAnalysisPanel* analysis_;
    DisplayOptions display_;
    QString videoPath_;
    RgbImage image_;  // the still image on screen (its size checks the truth)
};

}  // namespace uvis
