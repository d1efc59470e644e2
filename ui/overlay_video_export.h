#pragma once
// File → Export an overlay video, as the user sees it: a non-modal progress dialog with Cancel
// over the background VideoExportJob. One export at a time.

#include <QObject>

#include <memory>

#include "core/services/jobs/video_export_job.h"

class QProgressDialog;
class QWidget;

namespace uvis {

class OverlayVideoExport : public QObject {
    Q_OBJECT
public:
    explicit OverlayVideoExport(QWidget* dialogParent);
    ~OverlayVideoExport() override;

    bool running() const { return job_ && job_->busy(); }
    void start(const VideoExportRequest& request);  // call when not running
    void cancel();

Q_SIGNALS:
    void finished(const QString& dir, const QString& error, bool cancelled);

private:
    QWidget* dialogParent_;
    std::unique_ptr<VideoExportJob> job_;
    QProgressDialog* progress_ = nullptr;
};

}  // namespace uvis
