#include "ui/export_actions.h"

#include <QDir>
#include <QFileInfo>

#include "core/services/sessions/workspace.h"
#include "ui/file_dialogs.h"
#include "ui/overlay_video_export.h"
#include "ui/video_export_dialog.h"
#include "ui/view_export.h"

namespace uvis {
namespace {

QString suggestion(const QString& folder, const QString& file, const char* suffix) {
    return QDir(folder).filePath(QFileInfo(file).completeBaseName() + suffix);
}

}  // namespace

ExportActions::ExportActions(Workspace& workspace, QWidget* dialogParent)
    : QObject(dialogParent), workspace_(workspace), dialogParent_(dialogParent),
      overlay_(new OverlayVideoExport(dialogParent)),
      // Not cancelled when the window closes: its destructor waits, so no export is left half-written.
      viewExport_(this, [this](QString error, const QString& problem) {
          if (error.isEmpty()) error = problem;
          if (error.isEmpty()) Q_EMIT status("Exported the current view to " + pendingViewDir_);
          else Q_EMIT errorShown(error);
          Q_EMIT viewExported(pendingViewDir_, error);
      }) {
    connect(overlay_, &OverlayVideoExport::finished, this, [this](const QString& dir, const QString& error, bool cancelled) {
        if (cancelled) Q_EMIT status("Overlay video export cancelled; nothing was written.");
        else if (!error.isEmpty()) Q_EMIT errorShown(error);
        else Q_EMIT status("Wrote the overlay video to " + dir);
        Q_EMIT videoExported(dir, error, cancelled);
    });
}

ExportActions::~ExportActions() = default;

void ExportActions::exportCurrentView(const QString& dir, bool overwrite, const DisplayOptions& display,
                                      const RangeMemory& ranges) {
    if (viewExport_.busy()) {
        Q_EMIT errorShown("An export is still being written; try again when it is done.");
        return;
    }
    const AnalysisSession& session = workspace_.analysis();
    const EvaluationSession& evaluation = workspace_.evaluation();
    ViewExportRequest r;
    r.dir = dir;
    r.overwrite = overwrite;
    r.inputPath = workspace_.currentFile();
    r.modelPath = session.modelPath();
    r.frame = session.latest();
    r.card = session.card();
    r.stats = session.stats();
    r.display = display;
    r.ranges = ranges;
    if (evaluation.hasTruth()) {
        r.truth = evaluation.truth();
        r.metrics = evaluation.metrics();
    }
    pendingViewDir_ = dir;
    viewExport_.request(dir, [r](const BackgroundJob&) { return uvis::exportCurrentView(r); });
}

void ExportActions::exportFrames(const QList<int>& frames, const QString& dir, bool overwrite,
                                 const DisplayOptions& display) {
    // Each frame's folder also gets the view pictures, drawn as the screen draws them.
    workspace_.timeline().exportFrames(
        frames, dir, overwrite,
        [display](const std::string& folder, const RgbImage& frame, const UncertaintyMaps& maps, const ModelCard& card,
                  const RunInfo& info) {
            return writeViewPictures(folder, frame, maps, card, display, RangeMemory{},
                                     sheetHeader(QString::fromStdString(info.input),
                                                 QString::fromStdString(info.modelPath), card, info.settings));
        });
}

void ExportActions::exportVideo(const VideoExportRequest& request) {
    if (overlay_->running()) {
        Q_EMIT errorShown("An overlay video is still being exported; cancel it or wait.");
        return;
    }
    overlay_->start(request);
}

void ExportActions::cancelVideo() { overlay_->cancel(); }

void ExportActions::chooseAndExportView(const QString& folder, const DisplayOptions& display,
                                        const RangeMemory& ranges) {
    if (!workspace_.analysis().latest().maps) {
        Q_EMIT errorShown("Nothing to export yet: open an image and wait for the first result.");
        return;
    }
    bool overwrite = false;
    const QString dir = dialogs::askNewFolder(dialogParent_, "Export the current view to a new folder",
                                              suggestion(folder, workspace_.currentFile(), "-uvis"), &overwrite);
    if (!dir.isEmpty()) exportCurrentView(dir, overwrite, display, ranges);
}

void ExportActions::chooseAndExportFrames(const QList<int>& frames, const QString& folder,
                                          const DisplayOptions& display) {
    if (frames.isEmpty()) {
        Q_EMIT errorShown("No frames to export: analyse the video (Video → Analyse) or bookmark frames first.");
        return;
    }
    bool overwrite = false;
    const QString dir = dialogs::askNewFolder(dialogParent_, "Export the frames to a new folder",
                                              suggestion(folder, workspace_.video().path(), "-frames"), &overwrite);
    if (!dir.isEmpty()) exportFrames(frames, dir, overwrite, display);
}

void ExportActions::chooseAndExportVideo(const QString& folder, const DisplayOptions& display, int frameCount,
                                         int currentFrame) {
    if (!workspace_.showsVideo() || !workspace_.analysis().hasModel()) {
        Q_EMIT errorShown("Open a video (and a model) first: the overlay video is made from the open video.");
        return;
    }
    VideoExportDialog dialog(frameCount, currentFrame, suggestion(folder, workspace_.video().path(), "-overlay"),
                             dialogParent_);
    if (dialog.exec() != QDialog::Accepted || dialog.dir().isEmpty()) return;
    VideoExportRequest r;
    r.video = workspace_.video().path();
    r.modelPath = workspace_.analysis().modelPath();
    r.dir = dialog.dir();
    r.settings = workspace_.analysis().settings();
    r.firstFrame = dialog.firstFrame();
    r.lastFrame = dialog.lastFrame();
    r.every = dialog.every();
    r.display = display;
    if (dialogs::mayReplace(dialogParent_, r.dir, &r.overwrite)) exportVideo(r);
}

}  // namespace uvis
