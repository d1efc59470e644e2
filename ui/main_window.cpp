#include "ui/main_window.h"

#include <QCloseEvent>
#include <QDir>
#include <QDockWidget>
#include <QDragEnterEvent>
#include <QFileInfo>
#include <QScreen>
#include <QScrollArea>
#include <QMessageBox>
#include <QMimeData>
#include <QStatusBar>
#include <QStyle>
#include <QTimer>
#include <QVBoxLayout>

#include <utility>

#include "core/runtime/device.h"
#include "core/types/frame_numbers.h"
#include "core/services/settings/app_settings.h"
#include "core/dataset/dataset_inputs.h"
#include "core/services/settings/export_folders.h"
#include "core/services/settings/window_placement.h"
#include "ui/comparison_panel.h"
#include "ui/dataset_browser.h"
#include "ui/dataset_panel.h"
#include "ui/display_controls.h"
#include "ui/error_row.h"
#include "ui/export_actions.h"
#include "ui/metrics_panel.h"
#include "ui/timeline_view.h"
#include "ui/video_analysis_panel.h"
#include "ui/inspector_panel.h"
#include "ui/map_view.h"
#include "ui/sampling_controls.h"
#include "ui/status_line.h"
#include "core/services/sessions/samples_note.h"
#include "ui/dock_column.h"
#include "ui/video_bar.h"
#include "ui/view_area.h"
#include "ui/view_link.h"

namespace uvis {

MainWindow::MainWindow(AppSettings& settings, Paths paths, QWidget* parent)
    : QMainWindow(parent),
      settings_(settings),
      paths_(std::move(paths)),
      workspace_(std::make_unique<Workspace>(paths_.validator, paths_.bundledModel, nullptr, paths_.loader)),
      comparison_(std::make_unique<ComparisonSession>(*workspace_, paths_.validator)) {
    setWindowTitle("uvis — what the model does not know");
    setAcceptDrops(true);

    // Six views, linked: input, depth, segmentation / aleatoric, epistemic, chosen measure; the
    // error row (with ground truth), the video bar and the timeline under them.
    link_ = new ViewLink(this);
    auto* central = new QWidget;
    auto* column = new QVBoxLayout(central);
    std::vector<QWidget*> cells;
    for (int i = 0; i < kViewCount; ++i) {
        views_[i] = new MapView(link_);
        views_[i]->setObjectName(QString("view_%1").arg(viewKey(static_cast<ViewId>(i))));
        cells.push_back(views_[i]);
        connect(views_[i], &MapView::hovered, this, [this](QPointF n) { inspector_->inspect(*workspace_, n, comparison_->runningB()); });
    }
    viewArea_ = new ViewArea(cells);
    column->addWidget(viewArea_, 2);
    metrics_ = new MetricsPanel;
    errorRow_ = new ErrorRow(*workspace_, *comparison_, link_, metrics_);
    column->addWidget(errorRow_, 1);
    videoBar_ = new VideoBar(workspace_->playhead());
    videoBar_->hide();
    column->addWidget(videoBar_);
    auto* timelinePlot = new TimelineView;
    timelinePlot->hide();
    column->addWidget(timelinePlot);
    setCentralWidget(central);
    analysis_ = new VideoAnalysisPanel(workspace_->timeline(), timelinePlot);
    connect(workspace_.get(), &Workspace::videoOpened, timelinePlot, &QWidget::show);
    connect(workspace_.get(), &Workspace::videoClosed, timelinePlot, &QWidget::hide);

    mc_ = new SamplingControls;
    display_ = new DisplayControls;
    inspector_ = new InspectorPanel;
    datasets_ = new DatasetBrowser(*workspace_, paths_.cacheDir, this);
    compare_ = new ComparisonPanel(*comparison_, metrics_, [this] { return settings_.lastFolder(); });
    buildDocks();
    buildMenus();

    statusLine_ = new StatusLine(workspace_->analysis(), statusBar());

    // Settings → controls and session. A stored p < 0 means "follow the model's training rate".
    AnalysisSession& session = workspace_->analysis();
    mc_->setDevices(cudaAvailable());
    const SamplingSettings initial = settings_.startSettings();
    mc_->setSettings(initial);
    session.setSettings(initial);
    session.setDropoutFollowsModel(settings_.dropoutFollowsModel());
    DisplayOptions display = display_->options();
    parseColormap(settings_.colormap().toStdString(), &display.colormap);
    display_->setOptions(display);
    displayState_.setOptions(display_->options());

    bindControls(mc_, session);  // first: the session decides whether p follows the model
    connect(mc_, &SamplingControls::settingsChanged, this, [this, &session](const SamplingSettings& s) {
        settings_.rememberSettings(s, session.dropoutFollowsModel());
        updateStatus();
    });
    connect(display_, &DisplayControls::optionsChanged, this, [this](const DisplayOptions& o) {
        displayState_.setOptions(o);
        settings_.setColormap(QString::fromStdString(colormapName(o.colormap)));
        errorRow_->setDisplay(o);
        refreshViews();
    });
    connect(display_, &DisplayControls::resetFixedRange, this, [this] {
        displayState_.resetRanges();
        refreshViews();
    });
    connectWorkspace();

    exports_ = new ExportActions(*workspace_, this);
    connect(exports_, &ExportActions::viewExported, this, &MainWindow::exportFinished);
    connect(exports_, &ExportActions::videoExported, this, &MainWindow::videoExportFinished);
    auto showStatus = [this](const QString& m) { statusBar()->showMessage(m, 8000); };
    connect(exports_, &ExportActions::errorShown, this, &MainWindow::showError);
    connect(datasets_, &DatasetBrowser::errorShown, this, &MainWindow::showError);
    connect(exports_, &ExportActions::status, this, showStatus);
    connect(errorRow_, &ErrorRow::status, this, showStatus);
    connect(datasets_, &DatasetBrowser::status, this, showStatus);
    connect(datasets_, &DatasetBrowser::opened, this, [this](const QString& path) {
        findChild<QDockWidget*>("dock_dataset")->raise();
        rememberFile(path);
    });
    connect(analysis_, &VideoAnalysisPanel::jumpRequested, &workspace_->playhead(), &Playhead::jumpTo);
    connect(analysis_, &VideoAnalysisPanel::exportFramesRequested, this, &MainWindow::chooseAndExportFrames);
    connect(&workspace_->playhead(), &Playhead::playingChanged, comparison_.get(), &ComparisonSession::setPlaying);
    connect(comparison_.get(), &ComparisonSession::changed, this, [this] {
        refreshViews();
        Q_EMIT viewsUpdated();
    });

    restoreGeometry(settings_.windowGeometry());
    restoreState(settings_.windowState());
    rebuildRecentMenu();
    refreshViews();
    updateStatus();
}

// What the Workspace says, shown.
void MainWindow::connectWorkspace() {
    Workspace& w = *workspace_;
    AnalysisSession& session = w.analysis();
    connect(&w, &Workspace::errorShown, this, &MainWindow::showError);
    connect(&w, &Workspace::warningShown, this, [this](const QString& m) { statusBar()->showMessage("Warning: " + m); });
    connect(&w, &Workspace::noteShown, this, [this](const QString& m) { statusBar()->showMessage(m); });
    connect(&w, &Workspace::fileOpened, this, [this](const QString& path) {
        statusBar()->clearMessage();  // the last file's warning or note is not this one's
        setWindowTitle(QFileInfo(path).fileName() + " — uvis");
        displayState_.resetRanges();
        rememberFile(path);
        Q_EMIT fileOpened(path);
    });
    connect(&w, &Workspace::imageShown, this, [this](const RgbImage& image, int frame) {
        link_->setSceneSize(image.width, image.height);
        viewArea_->setSceneShape(image.width, image.height);
        views_[0]->setView(renderInput(shownInput_.of(workspace_->sharedDisplayed())),
                           frame >= 0 ? QString::fromStdString(frameName(frame)) : QString());
        if (frame >= 0) Q_EMIT frameShown(frame);
    });
    connect(&w, &Workspace::videoOpened, videoBar_, &QWidget::show);
    connect(&w, &Workspace::videoClosed, videoBar_, &QWidget::hide);
    connect(&w, &Workspace::frameFailed, this, [this](const QString& message) {
        // A frame that cannot be decoded belongs to the input view (the playhead stops there).
        views_[0]->setView(views_[0]->view(), "this frame cannot be decoded");
        statusBar()->showMessage(message);
        lastError_ = message;
        Q_EMIT errorShown(message);
    });
    connect(&session, &AnalysisSession::modelValidating, this, [this](const QString& path) {
        statusBar()->showMessage("Checking " + QFileInfo(path).fileName() + " in a separate process…");
    });
    connect(&session, &AnalysisSession::modelLoaded, this,
            [this](const ModelCard& card, const QString&, const QString& path) {
                display_->setOptions(displayState_.followModel(card));
                statusBar()->showMessage("Model " + QString::fromStdString(card.name) + " from " + path, 5000);
                refreshViews();
                updateStatus();
            });
    connect(&session, &AnalysisSession::modelFailed, this, [this](const QString& path, const QString& message) {
        showError(message.contains(path) ? message : path + ": " + message);
    });
    connect(&session, &AnalysisSession::resultUpdated, this, [this] {
        refreshViews();
        updateStatus();
        Q_EMIT viewsUpdated();
    });
    connect(&session, &AnalysisSession::inferenceFailed, this, [this](const QString& message) {
        // A failed inference belongs to the map views: each says so.
        for (int i = 1; i < kViewCount; ++i) views_[i]->setMessage(views_[i]->title(), "inference failed: " + message);
        statusBar()->showMessage("Inference failed: " + message);
        lastError_ = message;
        Q_EMIT errorShown(message);
    });
}

MainWindow::~MainWindow() = default;

void MainWindow::buildDocks() {
    auto dock = [this](QWidget* widget, const QString& title, const char* name) {
        return addScrollingDock(this, widget, title, name);
    };
    controlDocks_ = {dock(mc_, "Monte Carlo", "dock_mc"), dock(display_, "Display", "dock_display")};
    // One tabbed group under them (A/B too: beside Monte Carlo it took the Metrics plots' height).
    QDockWidget* inspector = dock(inspector_, "Pixel inspector", "dock_inspector");
    QDockWidget* last = inspector;
    for (QDockWidget* d : {dock(metrics_, "Metrics", "dock_metrics"), dock(analysis_, "Video analysis", "dock_video_analysis"),
                           dock(datasets_->panel(), "Dataset", "dock_dataset"), dock(compare_, "A/B", "dock_compare")})
        tabifyDockWidget(std::exchange(last, d), d);
    inspector->raise();
    controlDocks_.push_back(inspector);
}

void MainWindow::rememberFile(const QString& path) {
    settings_.rememberOpened(path);
    rebuildRecentMenu();
}

void MainWindow::openFile(const QString& path) {
    isDatasetPath(path.toStdString()) ? datasets_->open({path}) : workspace_->openFile(path);
}
void MainWindow::openModel(const QString& path) { workspace_->openModel(path); }

DisplayOptions MainWindow::shownDisplay() const { return displayState_.shown(workspace_->showsVideo()); }

void MainWindow::refreshViews() {
    const AnalysisSession& a = workspace_->analysis();
    const AnalysisSession& b = comparison_->b();
    const AnalysedFrame& fa = a.latest();
    const AnalysedFrame& fb = b.latest();
    const CompareMode mode = comparison_->mode();
    const std::vector<RenderedView> views =
        renderComparison(mode, fa.maps ? resultInput_.of(fa.input) : shownInput_.of(workspace_->sharedDisplayed()),
                         {fa.maps.get(), &a.card(), "A"},
                         {fb.maps.get(), &b.card(), "B"}, shownDisplay(), &displayState_.ranges());
    // The input view follows the image on screen (imageShown); before the first one it says so,
    // and side by side its slot shows A's prediction until the mode changes.
    const bool both = mode == CompareMode::Both;
    for (int slot = 0; slot < kViewCount; ++slot)
        if (slot > 0 || workspace_->displayed().pixels.empty() || both || inputSlotBorrowed_)
            views_[slot]->setView(views[slot], QString::fromStdString(slotSamplesNote(mode, slot, fa, fb)));
    inputSlotBorrowed_ = both;
}

void MainWindow::updateStatus() { statusLine_->update(); }
QString MainWindow::statusText() const { return statusLine_->text(); }

void MainWindow::showError(const QString& message) {
    lastError_ = message;
    statusBar()->showMessage(message);
    // Not exec(): the window keeps running (and tests keep going) while the box is up.
    auto* box = new QMessageBox(QMessageBox::Warning, "uvis", message, QMessageBox::Ok, this);
    box->setAttribute(Qt::WA_DeleteOnClose);
    box->open();
    Q_EMIT errorShown(message);
}

void MainWindow::exportCurrentView(const QString& dir, bool overwrite) {
    exports_->exportCurrentView(dir, overwrite, shownDisplay(), displayState_.ranges());
}

void MainWindow::exportFrames(const QList<int>& frames, const QString& dir, bool overwrite) {
    exports_->exportFrames(frames, dir, overwrite, shownDisplay());
}

void MainWindow::exportVideo(const VideoExportRequest& request) { exports_->exportVideo(request); }
void MainWindow::cancelVideoExport() { exports_->cancelVideo(); }

void MainWindow::showOnScreen() {
    if (!settings_.windowGeometry().isEmpty()) {  // restoreGeometry keeps it on the screen
        show();
        return;
    }
    if (const std::optional<QSize> size = firstWindowSize(screen()->availableGeometry())) {
        resize(*size);
        show();
    } else {
        showMaximized();
    }
}

QString MainWindow::exportFolder() const {
    return exportFolderOutside(settings_.lastFolder(), datasets_->session().sources());
}

void MainWindow::chooseAndExportFrames(const QList<int>& frames) {
    exports_->chooseAndExportFrames(frames, exportFolder(), shownDisplay());
}

void MainWindow::showEvent(QShowEvent* event) {
    QMainWindow::showEvent(event);
    if (docksFitted_) return;
    docksFitted_ = true;
    // After this event, when the docks have their geometry.
    QTimer::singleShot(0, this, [this, fresh = settings_.windowState().isEmpty()] {
        fitControlDocks(this, controlDocks_[0], controlDocks_[1], controlDocks_[2], fresh);
    });
}

void MainWindow::closeEvent(QCloseEvent* event) {
    settings_.setWindowGeometry(saveGeometry());
    settings_.setWindowState(saveState());
    workspace_->analysis().cancel();  // the workers stop at their next chunk; the destructors join them
    comparison_->b().cancel();
    exports_->cancelVideo();
    event->accept();
}

void MainWindow::dragEnterEvent(QDragEnterEvent* event) {
    if (event->mimeData()->hasUrls()) event->acceptProposedAction();
}

void MainWindow::dropEvent(QDropEvent* event) {
    for (const QUrl& url : event->mimeData()->urls())  // a folder or a manifest is a data set
        if (const QString p = url.toLocalFile(); !p.isEmpty())
            isDatasetPath(p.toStdString()) ? openFile(p) : workspace_->openAny(p);
    event->acceptProposedAction();
}

}  // namespace uvis
