#pragma once
// The uvis main window. It only assembles parts — six linked views, the Monte-Carlo and display
// controls, the pixel inspector, the video bar, the failure-hunting row and docks, menus and the
// status bar — and forwards what the user does. What is open and what follows what lives in the
// Workspace (core/services); nothing here waits on inference, decoding or export.

#include <QMainWindow>

#include <array>
#include <memory>

#include "core/imaging/map_views.h"
#include "core/imaging/screen_copy.h"
#include "core/services/settings/display_state.h"
#include "core/services/sessions/comparison_session.h"
#include "core/services/jobs/video_export_job.h"
#include "core/services/sessions/workspace.h"

class QLabel;
class QMenu;

class QDockWidget;

namespace uvis {

class AppSettings;
class ComparisonPanel;
class DatasetBrowser;
class DisplayControls;
class ErrorRow;
class MetricsPanel;
class ExportActions;
class InspectorPanel;
class MapView;
class SamplingControls;
class StatusLine;
class VideoAnalysisPanel;
class VideoBar;
class ViewArea;
class ViewLink;

class MainWindow : public QMainWindow {
    Q_OBJECT
public:
    struct Paths {
        QString bundledModel;  // loaded without the child-process check (it ships with uvis)
        ValidatorCommand validator = selfValidator();  // checks users' models in a child process
        QString cacheDir = {};  // the data sets' score cache; empty: the user's cache folder
        ModelLoaderFn loader = {};  // how the inference worker loads a model; empty: uvis::loadModel (tests wrap it)
    };
    MainWindow(AppSettings& settings, Paths paths, QWidget* parent = nullptr);
    ~MainWindow() override;
    // Shown as the user left it (the saved geometry), else as firstWindowSize says.
    void showOnScreen();

    // What the menus, drag and drop and the command line call. All return at once.
    // An image or a video, decoded off the GUI thread; a folder or a manifest opens a data set.
    void openFile(const QString& path);
    void openModel(const QString& path);
    void exportCurrentView(const QString& dir, bool overwrite);
    void exportVideo(const VideoExportRequest& request);
    // Chosen frames of the open video as one batch folder (with the view pictures).
    void exportFrames(const QList<int>& frames, const QString& dir, bool overwrite);
    void cancelVideoExport();

    // State, for the status bar, tests and screenshots.
    Workspace& workspace() { return *workspace_; }
    AnalysisSession& session() { return workspace_->analysis(); }
    ComparisonSession& comparison() { return *comparison_; }
    ComparisonPanel* comparisonPanel() const { return compare_; }
    MapView* view(ViewId id) const { return views_[static_cast<int>(id)]; }
    SamplingControls* samplingControls() const { return mc_; }
    DisplayControls* displayControls() const { return display_; }
    InspectorPanel* inspector() const { return inspector_; }
    VideoBar* videoBar() const { return videoBar_; }
    ViewArea* viewArea() const { return viewArea_; }
    ViewLink* viewLink() const { return link_; }
    QString currentFile() const { return workspace_->currentFile(); }
    // Where export dialogs start: the last folder used, never inside the open data set.
    QString exportFolder() const;
    int displayedFrame() const { return workspace_->displayedFrame(); }
    const RgbImage& displayedImage() const { return workspace_->displayed(); }
    QString statusText() const;
    ErrorRow* errorRow() const { return errorRow_; }
    MetricsPanel* metricsPanel() const { return metrics_; }
    VideoAnalysisPanel* analysisPanel() const { return analysis_; }
    DatasetBrowser* datasetBrowser() const { return datasets_; }

Q_SIGNALS:
    void fileOpened(const QString& path);
    void errorShown(const QString& message);
    void viewsUpdated();  // after the maps were redrawn from a result
    void frameShown(int index);
    void exportFinished(const QString& dir, const QString& error);
    void videoExportFinished(const QString& dir, const QString& error, bool cancelled);

protected:
    void closeEvent(QCloseEvent* event) override;
    void showEvent(QShowEvent* event) override;
    void dragEnterEvent(QDragEnterEvent* event) override;
    void dropEvent(QDropEvent* event) override;

private:
    void buildMenus();
    void buildDocks();
    void connectWorkspace();
    void rebuildRecentMenu();
    void showError(const QString& message);
    void refreshViews();
    void updateStatus();
    void chooseAndExportFrames(const QList<int>& frames);
    void rememberFile(const QString& path);

    AppSettings& settings_;
    Paths paths_;
    std::unique_ptr<Workspace> workspace_;
    std::unique_ptr<ComparisonSession> comparison_;  // configuration B beside A (the A/B dock)

    ViewLink* link_;
    ViewArea* viewArea_;
    std::array<MapView*, kViewCount> views_{};
    SamplingControls* mc_;
    DisplayControls* display_;
    InspectorPanel* inspector_;
    MetricsPanel* metrics_;
    ErrorRow* errorRow_;
    VideoAnalysisPanel* analysis_;
    VideoBar* videoBar_;
    QMenu* recentMenu_ = nullptr;
    StatusLine* statusLine_;
    ExportActions* exports_;
    DatasetBrowser* datasets_;
    ComparisonPanel* compare_;

    DisplayState displayState_;  // the controls' options and the ranges fixed so far
    // The views draw over screen-sized copies of the image on screen and of the image A's maps
    // were computed from (the same image for a still; a frame behind while a video plays).
    ScreenCopy shownInput_, resultInput_;
    DisplayOptions shownDisplay() const;  // as views and exports use them: the range mode resolved
    QString lastError_;
    bool inputSlotBorrowed_ = false;
    std::vector<QDockWidget*> controlDocks_;  // Monte Carlo, Display, and the group under them
    bool docksFitted_ = false;  // the first show without a saved layout sized the control docks  // the input view shows A's prediction (side by side)
};

}  // namespace uvis
