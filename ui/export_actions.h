#pragma once
// What File → Export and Video → Export do: the current view (SPEC §5 maps, view pictures,
// sheet, overlay, metrics) written off the GUI thread, the overlay video and chosen frames in the
// background. Each "choose…" asks where (a dialog), then the matching export runs; the exports
// themselves take their folder directly (tests, scripts). One export of each kind at a time.

#include <QObject>

#include "core/imaging/map_views.h"
#include "core/services/jobs/latest_job.h"
#include "core/services/jobs/video_export_job.h"

class QWidget;

namespace uvis {

class OverlayVideoExport;
class Workspace;

class ExportActions : public QObject {
    Q_OBJECT
public:
    ExportActions(Workspace& workspace, QWidget* dialogParent);
    ~ExportActions() override;

    void exportCurrentView(const QString& dir, bool overwrite, const DisplayOptions& display, const RangeMemory& ranges);
    void exportFrames(const QList<int>& frames, const QString& dir, bool overwrite, const DisplayOptions& display);
    void exportVideo(const VideoExportRequest& request);
    void cancelVideo();

    // The same, after asking where (suggested in `folder`).
    void chooseAndExportView(const QString& folder, const DisplayOptions& display, const RangeMemory& ranges);
    void chooseAndExportFrames(const QList<int>& frames, const QString& folder, const DisplayOptions& display);
    void chooseAndExportVideo(const QString& folder, const DisplayOptions& display, int frameCount, int currentFrame);

Q_SIGNALS:
    void viewExported(const QString& dir, const QString& error);
    void videoExported(const QString& dir, const QString& error, bool cancelled);
    void errorShown(const QString& message);
    void status(const QString& message);

private:
    Workspace& workspace_;
    QWidget* dialogParent_;
    QString pendingViewDir_;
    OverlayVideoExport* overlay_;
    LatestJob<QString> viewExport_;  // the error, empty when written
};

}  // namespace uvis
