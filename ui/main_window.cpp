#include "ui/main_window.h"

#include <QCloseEvent>
#include <QDir>
#include <QDockWidget>
#include <QDragEnterEvent>
#include <QFileDialog>
#include <QFileInfo>
#include <QGridLayout>
#include <QLabel>
#include <QMenuBar>
#include <QMessageBox>
#include <QMimeData>
#include <QStatusBar>
#include <QVBoxLayout>
#include <QtConcurrent/QtConcurrentRun>

#include "core/device.h"
#include "core/io/media_kind.h"
#include "core/pixel_inspector.h"
#include "core/services/app_settings.h"
#include "ui/display_controls.h"
#include "ui/failure_hunting.h"
#include "ui/metrics_panel.h"
#include "ui/overlay_video_export.h"
#include "ui/timeline_view.h"
#include "ui/video_analysis_panel.h"
#include "ui/inspector_panel.h"
#include "ui/map_view.h"
#include "ui/mc_controls.h"
#include "ui/video_bar.h"
#include "ui/video_export_dialog.h"
#include "ui/view_export.h"
#include "ui/view_link.h"

namespace uvis {
namespace {

const QStringList kModelSuffixes{"uvis", "pt", "pth", "ts", "torchscript"};

bool isVideo(const QString& path) { return mediaKind(path.toStdString()) == MediaKind::Video; }

QString samplesNote(const AnalysedFrame& f) {
    if (!f.maps) return {};
    QString note = QString("%1 / %2 samples").arg(f.maps->samplesDone).arg(f.maps->samplesRequested);
    if (f.frameIndex >= 0) note += QString(" · frame %1").arg(f.frameIndex + 1);
    return note;
}

}  // namespace

MainWindow::MainWindow(AppSettings& settings, Paths paths, QWidget* parent)
    : QMainWindow(parent),
      settings_(settings),
      paths_(std::move(paths)),
      session_(std::make_unique<AnalysisSession>(paths_.validator)),
      decoder_(std::make_unique<VideoDecoder>()) {
    setWindowTitle("uvis — what the model does not know");
    setAcceptDrops(true);

    // Six views, linked: input, depth, segmentation / aleatoric, epistemic, chosen measure.
    link_ = new ViewLink(this);
    auto* central = new QWidget;
    auto* column = new QVBoxLayout(central);
    auto* grid = new QGridLayout;
    grid->setSpacing(6);
    for (int i = 0; i < kViewCount; ++i) {
        views_[i] = new MapView(link_);
        views_[i]->setObjectName(QString("view_%1").arg(viewKey(static_cast<ViewId>(i))));
        grid->addWidget(views_[i], i / 3, i % 3);
        connect(views_[i], &MapView::hovered, this, &MainWindow::inspect);
    }
    column->addLayout(grid, 2);
    hunting_ = new FailureHunting(*session_, link_, this);
    column->addWidget(hunting_->errorRow(), 1);  // shown when the image has ground truth
    videoBar_ = new VideoBar;
    videoBar_->hide();
    column->addWidget(videoBar_);
    hunting_->analysisPanel()->timeline()->hide();
    column->addWidget(hunting_->analysisPanel()->timeline());  // along the scrubber
    setCentralWidget(central);

    mc_ = new McControls;
    display_ = new DisplayControls;
    inspector_ = new InspectorPanel;
    buildDocks();
    buildMenus();

    modelLabel_ = new QLabel("no model");
    samplesLabel_ = new QLabel;
    speedLabel_ = new QLabel;
    statusBar()->addPermanentWidget(samplesLabel_);
    statusBar()->addPermanentWidget(speedLabel_);
    statusBar()->addPermanentWidget(modelLabel_);

    // Settings → controls (the dropout waits for the model's training rate).
    mc_->setDevices(cudaAvailable());
    McSettings initial;
    initial.samples = settings_.samples();
    initial.seed = settings_.seed();
    initial.dropout = settings_.dropout() >= 0 ? settings_.dropout() : 0.2;
    mc_->setSettings(initial);
    session_->setSettings(mc_->settings());
    DisplayOptions display = display_->options();
    parseColormap(settings_.colormap().toStdString(), &display.colormap);
    display_->setOptions(display);
    displayOptions_ = display_->options();

    connect(mc_, &McControls::settingsChanged, this, [this](const McSettings& s) {
        session_->setSettings(s);
        settings_.setSamples(s.samples);
        settings_.setSeed(s.seed);
        // p equal to the model's training rate is stored as "follow the model".
        const bool follows = session_->hasModel() && std::abs(s.dropout - session_->card().trainDropout) < 1e-9;
        settings_.setDropout(follows ? -1.0 : s.dropout);
        updateStatus();
    });
    connect(display_, &DisplayControls::optionsChanged, this, [this](const DisplayOptions& o) {
        if (o.rangeMode != displayOptions_.rangeMode || o.task != displayOptions_.task ||
            o.measure != displayOptions_.measure)
            ranges_.reset();
        displayOptions_ = o;
        settings_.setColormap(QString::fromStdString(colormapName(o.colormap)));
        hunting_->displayChanged(o);
        refreshViews();
    });
    connect(display_, &DisplayControls::resetFixedRange, this, [this] {
        ranges_.reset();
        refreshViews();
    });

    connect(session_.get(), &AnalysisSession::modelValidating, this, [this](const QString& path) {
        statusBar()->showMessage("Checking " + QFileInfo(path).fileName() + " in a separate process…");
    });
    connect(session_.get(), &AnalysisSession::modelLoaded, this,
            [this](const ModelCard& card, const QString&, const QString& path) {
                mc_->setTrainingDropout(card.trainDropout);
                McSettings s = mc_->settings();
                s.dropout = settings_.dropout() >= 0 ? settings_.dropout() : card.trainDropout;
                mc_->setSettings(s);
                session_->setSettings(s);
                if (!card.depth && displayOptions_.task == UncertaintyTask::Depth) {
                    DisplayOptions o = displayOptions_;
                    o.task = UncertaintyTask::Segmentation;
                    o.measure = Measure::SegMutualInfo;
                    display_->setOptions(o);
                    displayOptions_ = o;
                }
                ranges_.reset();
                // Palette label files are read with the model's class colours: look again.
                if (videoPath_.isEmpty() && !currentFile_.isEmpty()) hunting_->imageOpened(currentFile_, displayed_);
                statusBar()->showMessage("Model " + QString::fromStdString(card.name) + " from " + path, 5000);
                refreshViews();
                updateStatus();
            });
    connect(session_.get(), &AnalysisSession::modelFailed, this,
            [this](const QString& path, const QString& message) {
                showError(message.contains(path) ? message : path + ": " + message);
            });
    connect(session_.get(), &AnalysisSession::resultUpdated, this, [this](const AnalysedFrame& frame) {
        hunting_->resultUpdated(frame);
        refreshViews();
        updateStatus();
        Q_EMIT viewsUpdated();
    });
    connect(session_.get(), &AnalysisSession::inferenceFailed, this, [this](const QString& message) {
        // A failed inference belongs to the map views: each says so.
        for (int i = 1; i < kViewCount; ++i) views_[i]->setMessage(views_[i]->title(), "inference failed: " + message);
        statusBar()->showMessage("Inference failed: " + message);
        lastError_ = message;
        Q_EMIT errorShown(message);
    });

    connect(&imageLoad_, &QFutureWatcher<RgbImageResult>::finished, this, [this] {
        const RgbImageResult result = imageLoad_.result();
        const QString path = pendingImage_;
        if (!result.error.empty()) {
            showError(QString::fromStdString(result.error));  // the previous image stays
            return;
        }
        decoder_ = std::make_unique<VideoDecoder>();  // closes a video that was open
        currentDecoder_ = 0;
        videoPath_.clear();
        videoBar_->hide();
        hunting_->analysisPanel()->timeline()->hide();
        session_->setPlaying(false);
        currentFile_ = path;
        ranges_.reset();
        showImage(result.image, -1);
        hunting_->imageOpened(path, result.image);
        rememberFile(path);
        Q_EMIT fileOpened(path);
    });
    connect(&viewExport_, &QFutureWatcher<QString>::finished, this, [this] {
        const QString error = viewExport_.result();
        if (error.isEmpty()) statusBar()->showMessage("Exported the current view to " + pendingExportDir_, 8000);
        else showError(error);
        Q_EMIT exportFinished(pendingExportDir_, error);
    });
    overlayExport_ = new OverlayVideoExport(this);
    connect(overlayExport_, &OverlayVideoExport::finished, this,
            [this](const QString& dir, const QString& error, bool cancelled) {
                if (cancelled) statusBar()->showMessage("Overlay video export cancelled; nothing was written.", 8000);
                else if (!error.isEmpty()) showError(error);
                else statusBar()->showMessage("Wrote the overlay video to " + dir, 8000);
                Q_EMIT videoExportFinished(dir, error, cancelled);
            });
    connect(hunting_, &FailureHunting::errorShown, this, &MainWindow::showError);
    connect(hunting_, &FailureHunting::status, this, [this](const QString& m) { statusBar()->showMessage(m, 8000); });
    connect(hunting_, &FailureHunting::jumpRequested, this, [this](int frame) {
        videoBar_->setPlaying(false);
        videoBar_->seek(frame);
    });
    connect(hunting_, &FailureHunting::exportFramesRequested, this, &MainWindow::chooseAndExportFrames);
    connect(videoBar_, &VideoBar::frameRequested, this, [this](int index) { decoder_->requestFrame(index); });
    connect(videoBar_, &VideoBar::playingChanged, this, [this](bool playing) { session_->setPlaying(playing); });

    restoreGeometry(settings_.windowGeometry());
    restoreState(settings_.windowState());
    rebuildRecentMenu();
    refreshViews();
    updateStatus();
}

MainWindow::~MainWindow() = default;

void MainWindow::buildDocks() {
    auto dock = [this](QWidget* widget, const QString& title, const char* name) {
        auto* d = new QDockWidget(title, this);
        d->setObjectName(name);
        d->setWidget(widget);
        addDockWidget(Qt::RightDockWidgetArea, d);
        return d;
    };
    dock(mc_, "Monte Carlo", "dock_mc");
    dock(display_, "Display", "dock_display");
    QDockWidget* inspector = dock(inspector_, "Pixel inspector", "dock_inspector");
    QDockWidget* metrics = dock(hunting_->metricsPanel(), "Metrics", "dock_metrics");
    QDockWidget* analysis = dock(hunting_->analysisPanel(), "Video analysis", "dock_video_analysis");
    tabifyDockWidget(inspector, metrics);
    tabifyDockWidget(metrics, analysis);
    inspector->raise();
}

void MainWindow::buildMenus() {
    QMenu* file = menuBar()->addMenu("&File");
    file->addAction("&Open image or video…", QKeySequence::Open, this, &MainWindow::chooseAndOpen);
    file->addAction("Open &model…", QKeySequence(Qt::CTRL | Qt::Key_M), this, &MainWindow::chooseAndOpenModel);
    recentMenu_ = file->addMenu("Open &recent");
    file->addAction("Open &depth ground truth…", this, [this] { chooseAndOpenTruth(true); });
    file->addAction("Open &label ground truth…", this, [this] { chooseAndOpenTruth(false); });
    file->addSeparator();
    file->addAction("&Export the current view…", QKeySequence(Qt::CTRL | Qt::Key_E), this, &MainWindow::chooseAndExport);
    file->addAction("Export an overlay &video…", QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_E), this,
                    &MainWindow::chooseAndExportVideo);
    file->addSeparator();
    file->addAction("&Quit", QKeySequence::Quit, this, &QWidget::close);
    QMenu* video = menuBar()->addMenu("V&ideo");
    video->addAction("&Analyse the whole video (timeline)", QKeySequence(Qt::CTRL | Qt::Key_T), hunting_,
                     &FailureHunting::analyseVideo);
    video->addAction("&Bookmark this frame", QKeySequence(Qt::CTRL | Qt::Key_B), this,
                     [this] { hunting_->analysisPanel()->addBookmark(std::max(0, displayedFrame_)); });
    video->addAction("Export the &worst frames…", this,
                     [this] { chooseAndExportFrames(hunting_->analysisPanel()->worstFrames()); });
    video->addAction("Export the b&ookmarked frames…", this,
                     [this] { chooseAndExportFrames(hunting_->analysisPanel()->bookmarks()); });
    QMenu* view = menuBar()->addMenu("&View");
    view->addAction("&Fit", QKeySequence(Qt::Key_F), link_, &ViewLink::fit);
    view->addAction("&1:1", QKeySequence(Qt::Key_1), this,
                    [this] { link_->setZoom(views_[0]->oneToOneZoom()); });
    view->addAction("Zoom &in", QKeySequence::ZoomIn, this, [this] { link_->zoomAt(link_->centre(), 1.25); });
    view->addAction("Zoom &out", QKeySequence::ZoomOut, this, [this] { link_->zoomAt(link_->centre(), 0.8); });
    view->addSeparator();
    for (QDockWidget* d : findChildren<QDockWidget*>()) view->addAction(d->toggleViewAction());
}

void MainWindow::rebuildRecentMenu() {
    recentMenu_->clear();
    const QStringList recent = settings_.recentFiles();
    for (const QString& path : recent) recentMenu_->addAction(path, this, [this, path] { openFile(path); });
    recentMenu_->setEnabled(!recent.isEmpty());
}

void MainWindow::rememberFile(const QString& path) {
    settings_.addRecentFile(QFileInfo(path).absoluteFilePath());
    settings_.setLastFolder(QFileInfo(path).absolutePath());
    rebuildRecentMenu();
}

void MainWindow::openFile(const QString& path) {
    if (!QFileInfo(path).isFile()) {
        showError(path + ": no such file");
        return;
    }
    if (isVideo(path)) {
        // A decoder of its own until it has opened: if the file is bad, the open video stays.
        // Frames are accepted only from the decoder whose serial is current.
        auto pending = std::make_shared<std::unique_ptr<VideoDecoder>>(std::make_unique<VideoDecoder>());
        const int serial = ++videoGeneration_;
        VideoDecoder* d = pending->get();
        connect(d, &VideoDecoder::opened, this, [this, pending, serial, path](int, const VideoInfo& info) {
            if (!*pending) return;
            decoder_ = std::move(*pending);
            currentDecoder_ = serial;
            videoPath_ = path;
            currentFile_ = path;
            ranges_.reset();
            videoBar_->setVideo(info.frameCount, info.fps);
            videoBar_->show();
            hunting_->videoOpened(path, info.frameCount);
            hunting_->analysisPanel()->timeline()->show();
            rememberFile(path);
            Q_EMIT fileOpened(path);
        });
        connect(d, &VideoDecoder::frameReady, this, [this, serial](int, int index, const RgbImage& frame) {
            if (serial != currentDecoder_) return;  // not (or no longer) the open video
            showImage(frame, index);
            videoBar_->showFrame(index);
            hunting_->frameShown(index);
            Q_EMIT frameShown(index);
        });
        connect(d, &VideoDecoder::failed, this, [this, pending, serial](int, const QString& message) {
            if (*pending) {  // it never opened: the open video (or image) stays
                pending->reset();
                showError(message);
                return;
            }
            if (serial != currentDecoder_) return;
            // A frame that cannot be decoded belongs to the input view; playback stops there.
            videoBar_->setPlaying(false);
            views_[0]->setView(views_[0]->view(), "this frame cannot be decoded");
            statusBar()->showMessage(message);
            lastError_ = message;
            Q_EMIT errorShown(message);
        });
        d->open(path);
        return;
    }
    pendingImage_ = path;
    imageLoad_.setFuture(QtConcurrent::run([p = path.toStdString()] { return readRgbImage(p); }));
}

void MainWindow::openModel(const QString& path) {
    const bool trusted = QFileInfo(path).canonicalFilePath() == QFileInfo(paths_.bundledModel).canonicalFilePath();
    session_->openModel(path, trusted);
}

void MainWindow::showImage(const RgbImage& image, int frameIndex) {
    displayed_ = image;
    displayedFrame_ = frameIndex;
    views_[0]->setView(renderInput(image), frameIndex >= 0 ? QString("frame %1").arg(frameIndex + 1) : QString());
    session_->setImage(image, frameIndex);
}

void MainWindow::refreshViews() {
    const AnalysedFrame& frame = session_->latest();
    const std::vector<RenderedView> views =
        renderViews(frame.maps ? frame.input : displayed_, frame.maps.get(), session_->card(), displayOptions_, &ranges_);
    for (const RenderedView& v : views)
        if (v.id != ViewId::Input) views_[static_cast<int>(v.id)]->setView(v, samplesNote(frame));
}

void MainWindow::updateStatus() {
    const AnalysedFrame& f = session_->latest();
    if (session_->hasModel())
        modelLabel_->setText(QString("%1 %2 · %3")
                                 .arg(QString::fromStdString(session_->card().name),
                                      QString::fromStdString(session_->card().version), session_->device()));
    samplesLabel_->setText(f.maps ? QString("%1 / %2 samples").arg(f.maps->samplesDone).arg(f.maps->samplesRequested)
                                  : QString());
    const InferenceStats& s = session_->stats();
    speedLabel_->setText(s.msPerSample > 0 ? QString("%1 ms per sample").arg(s.msPerSample, 0, 'f', 1) : QString());
}

QString MainWindow::statusText() const {
    return QStringList{modelLabel_->text(), samplesLabel_->text(), speedLabel_->text()}.join(" | ");
}

void MainWindow::inspect(QPointF n) {
    const AnalysedFrame& f = session_->latest();
    if (n.x() < 0 || !f.maps) {
        inspector_->clearReport();
        return;
    }
    const FloatMap& any = f.maps->hasDepth ? f.maps->depthMean : f.maps->segConfidence;
    const int x = std::clamp(static_cast<int>(n.x() * any.width), 0, any.width - 1);
    const int y = std::clamp(static_cast<int>(n.y() * any.height), 0, any.height - 1);
    inspector_->showReport(inspectPixel(*f.maps, session_->card().classes, x, y), samplesNote(f));
}

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
    if (viewExport_.isRunning()) {
        showError("An export is still being written; try again when it is done.");
        return;
    }
    ViewExportRequest r;
    r.dir = dir;
    r.overwrite = overwrite;
    r.inputPath = currentFile_;
    r.modelPath = session_->modelPath();
    r.frame = session_->latest();
    r.card = session_->card();
    r.stats = session_->stats();
    r.display = displayOptions_;
    r.ranges = ranges_;
    if (hunting_->evaluation().hasTruth()) {
        r.truth = hunting_->evaluation().truth();
        r.metrics = hunting_->evaluation().metrics();
    }
    pendingExportDir_ = dir;
    viewExport_.setFuture(QtConcurrent::run([r] { return uvis::exportCurrentView(r); }));
}

void MainWindow::exportVideo(const VideoExportRequest& request) {
    if (overlayExport_->running()) {
        showError("An overlay video is still being exported; cancel it or wait.");
        return;
    }
    overlayExport_->start(request);
}

void MainWindow::cancelVideoExport() { overlayExport_->cancel(); }

void MainWindow::chooseAndOpen() {
    const QString path = QFileDialog::getOpenFileName(
        this, "Open an image or a video", settings_.lastFolder(),
        "Images and videos (*.png *.jpg *.jpeg *.bmp *.tif *.tiff *.webp *.ppm *.avi *.mp4 *.mkv *.mov *.webm "
        "*.m4v *.mpg *.mpeg);;All files (*)");
    if (!path.isEmpty()) openFile(path);
}

void MainWindow::chooseAndOpenModel() {
    const QString path = QFileDialog::getOpenFileName(this, "Open a model", settings_.lastFolder(),
                                                      "Models (*.uvis *.pt *.pth *.ts *.torchscript);;All files (*)");
    if (!path.isEmpty()) openModel(path);
}

void MainWindow::chooseAndExport() {
    if (!session_->latest().maps) {
        showError("Nothing to export yet: open an image and wait for the first result.");
        return;
    }
    bool overwrite = false;
    const QString dir = askForNewFolder("Export the current view to a new folder",
                                        QFileInfo(currentFile_).completeBaseName() + "-uvis", &overwrite);
    if (!dir.isEmpty()) exportCurrentView(dir, overwrite);
}

QString MainWindow::askForNewFolder(const QString& title, const QString& suggested, bool* overwrite) {
    const QString dir = QFileDialog::getSaveFileName(this, title, QDir(settings_.lastFolder()).filePath(suggested));
    *overwrite = false;
    if (dir.isEmpty()) return {};
    if (QFileInfo::exists(dir)) {
        if (QMessageBox::question(this, "uvis", dir + " exists. Replace it?") != QMessageBox::Yes) return {};
        *overwrite = true;
    }
    return dir;
}

void MainWindow::chooseAndOpenTruth(bool depth) {
    const QString path = QFileDialog::getOpenFileName(
        this, depth ? "Open depth ground truth" : "Open label ground truth", settings_.lastFolder(),
        depth ? "Depth (*.png *.npy *.exr);;All files (*)" : "Labels (*.png *.npy);;All files (*)");
    if (!path.isEmpty())
        hunting_->openTruth(path, depth ? EvaluationSession::Kind::Depth : EvaluationSession::Kind::Labels);
}

void MainWindow::chooseAndExportFrames(const QList<int>& frames) {
    if (frames.isEmpty()) {
        showError("No frames to export: analyse the video (Video → Analyse) or bookmark frames first.");
        return;
    }
    bool overwrite = false;
    const QString dir = askForNewFolder("Export the frames to a new folder",
                                        QFileInfo(videoPath_).completeBaseName() + "-frames", &overwrite);
    if (!dir.isEmpty()) hunting_->exportFrames(frames, dir, overwrite);
}

void MainWindow::chooseAndExportVideo() {
    if (videoPath_.isEmpty() || !session_->hasModel()) {
        showError("Open a video (and a model) first: the overlay video is made from the open video.");
        return;
    }
    const QString suggested = QDir(settings_.lastFolder()).filePath(QFileInfo(videoPath_).completeBaseName() + "-overlay");
    VideoExportDialog dialog(videoBar_->frameCount(), videoBar_->currentFrame(), suggested, this);
    if (dialog.exec() != QDialog::Accepted || dialog.dir().isEmpty()) return;
    VideoExportRequest r;
    r.video = videoPath_;
    r.modelPath = session_->modelPath();
    r.dir = dialog.dir();
    r.settings = session_->settings();
    r.firstFrame = dialog.firstFrame();
    r.lastFrame = dialog.lastFrame();
    r.every = dialog.every();
    r.display = displayOptions_;
    if (QFileInfo::exists(r.dir)) {
        if (QMessageBox::question(this, "uvis", r.dir + " exists. Replace it?") != QMessageBox::Yes) return;
        r.overwrite = true;
    }
    exportVideo(r);
}

void MainWindow::closeEvent(QCloseEvent* event) {
    settings_.setWindowGeometry(saveGeometry());
    settings_.setWindowState(saveState());
    session_->cancel();  // the worker stops at its next chunk; the destructor joins it
    overlayExport_->cancel();
    event->accept();
}

void MainWindow::dragEnterEvent(QDragEnterEvent* event) {
    if (event->mimeData()->hasUrls()) event->acceptProposedAction();
}

void MainWindow::dropEvent(QDropEvent* event) {
    for (const QUrl& url : event->mimeData()->urls()) {
        const QString path = url.toLocalFile();
        if (path.isEmpty()) continue;
        const QString base = QFileInfo(path).completeBaseName();
        if (kModelSuffixes.contains(QFileInfo(path).suffix().toLower())) openModel(path);
        else if (base.endsWith("_depth")) hunting_->openTruth(path, EvaluationSession::Kind::Depth);
        else if (base.endsWith("_labels")) hunting_->openTruth(path, EvaluationSession::Kind::Labels);
        else openFile(path);
    }
    event->acceptProposedAction();
}

}  // namespace uvis
