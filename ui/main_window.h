#pragma once
// The uvis main window. It only assembles parts: six linked views, the Monte-Carlo and display
// controls, the pixel inspector, the video bar, menus and the status bar. State lives in the
// AnalysisSession (model, image, settings, results) and the decoders/jobs it starts; nothing
// here waits on inference, decoding or export.

#include <QFutureWatcher>
#include <QMainWindow>

#include <array>
#include <memory>

#include "core/imaging/map_views.h"
#include "core/io/image_io.h"
#include "core/services/analysis_session.h"
#include "core/services/video_decoder.h"
#include "core/services/video_export_job.h"

class QLabel;
class QMenu;

namespace uvis {

class AppSettings;
class DisplayControls;
class FailureHunting;
class OverlayVideoExport;
class InspectorPanel;
class MapView;
class McControls;
class VideoBar;
class ViewLink;

class MainWindow : public QMainWindow {
    Q_OBJECT
public:
    struct Paths {
        QString bundledModel;  // loaded without the child-process check (it ships with uvis)
        QString validator;     // uvis-cli, for users' models
    };
    MainWindow(AppSettings& settings, Paths paths, QWidget* parent = nullptr);
    ~MainWindow() override;

    // What the menus, drag and drop and the command line call. All return at once.
    void openFile(const QString& path);   // an image or a video, decoded off the GUI thread
    void openModel(const QString& path);
    void exportCurrentView(const QString& dir, bool overwrite);
    void exportVideo(const VideoExportRequest& request);
    void cancelVideoExport();

    // State, for the status bar, tests and screenshots.
    AnalysisSession& session() { return *session_; }
    MapView* view(ViewId id) const { return views_[static_cast<int>(id)]; }
    McControls* mcControls() const { return mc_; }
    DisplayControls* displayControls() const { return display_; }
    InspectorPanel* inspector() const { return inspector_; }
    VideoBar* videoBar() const { return videoBar_; }
    ViewLink* viewLink() const { return link_; }
    QString currentFile() const { return currentFile_; }
    int displayedFrame() const { return displayedFrame_; }
    const RgbImage& displayedImage() const { return displayed_; }
    QString statusText() const;
    FailureHunting& hunting() const { return *hunting_; }

Q_SIGNALS:
    void fileOpened(const QString& path);
    void errorShown(const QString& message);
    void viewsUpdated();  // after the maps were redrawn from a result
    void frameShown(int index);
    void exportFinished(const QString& dir, const QString& error);
    void videoExportFinished(const QString& dir, const QString& error, bool cancelled);

protected:
    void closeEvent(QCloseEvent* event) override;
    void dragEnterEvent(QDragEnterEvent* event) override;
    void dropEvent(QDropEvent* event) override;

private:
    void buildMenus();
    void buildDocks();
    void rebuildRecentMenu();
    void showError(const QString& message);
    void showImage(const RgbImage& image, int frameIndex);
    void refreshViews();
    void updateStatus();
    void inspect(QPointF normalised);
    void chooseAndOpen();
    void chooseAndOpenModel();
    void chooseAndExport();
    void chooseAndExportVideo();
    void chooseAndOpenTruth(bool depth);
    void chooseAndExportFrames(const QList<int>& frames);
    QString askForNewFolder(const QString& title, const QString& suggested, bool* overwrite);
    void rememberFile(const QString& path);

    AppSettings& settings_;
    Paths paths_;
    std::unique_ptr<AnalysisSession> session_;
    std::unique_ptr<VideoDecoder> decoder_;
    FailureHunting* hunting_;
    QFutureWatcher<RgbImageResult> imageLoad_;
    QFutureWatcher<QString> viewExport_;
    QString pendingExportDir_;
    QString pendingImage_;
    int videoGeneration_ = 0;  // serial of the last decoder started
    int currentDecoder_ = 0;   // serial of decoder_ (0: no video)

    ViewLink* link_;
    std::array<MapView*, kViewCount> views_{};
    McControls* mc_;
    DisplayControls* display_;
    InspectorPanel* inspector_;
    VideoBar* videoBar_;
    QMenu* recentMenu_ = nullptr;
    QLabel* modelLabel_;
    QLabel* samplesLabel_;
    QLabel* speedLabel_;
    OverlayVideoExport* overlayExport_;

    DisplayOptions displayOptions_;
    RangeMemory ranges_;
    QString currentFile_;   // the image or video on screen
    QString videoPath_;     // the open video, empty for an image
    RgbImage displayed_;    // the image or frame on screen
    int displayedFrame_ = -1;
    QString lastError_;
};

}  // namespace uvis
