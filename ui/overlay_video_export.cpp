#include "ui/overlay_video_export.h"

#include <QProgressDialog>

#include "core/types/frame_numbers.h"

namespace uvis {

OverlayVideoExport::OverlayVideoExport(QWidget* dialogParent) : QObject(dialogParent), dialogParent_(dialogParent) {}

OverlayVideoExport::~OverlayVideoExport() = default;  // the job cancels and joins

void OverlayVideoExport::start(const VideoExportRequest& request) {
    job_ = std::make_unique<VideoExportJob>(request);
    if (!progress_) {
        progress_ = new QProgressDialog("Exporting the overlay video…", "Cancel", 0, 100, dialogParent_);
        progress_->setWindowModality(Qt::NonModal);
        progress_->setMinimumDuration(0);
        connect(progress_, &QProgressDialog::canceled, this, &OverlayVideoExport::cancel);
    }
    progress_->setValue(0);
    progress_->show();
    connect(job_.get(), &VideoExportJob::progress, this, [this](int done, int total, int frame) {
        progress_->setMaximum(std::max(1, total));
        progress_->setValue(done);
        progress_->setLabelText(
            QString("Exporting the overlay video: %1 (%2 of %3)").arg(QString::fromStdString(frameName(frame))).arg(done).arg(total));
    });
    const QString dir = request.dir;
    connect(job_.get(), &VideoExportJob::done, this, [this, dir](const QString& error, bool cancelled) {
        progress_->hide();
        Q_EMIT finished(dir, error, cancelled);
    });
    job_->start(QThread::LowPriority);
}

void OverlayVideoExport::cancel() {
    if (job_) job_->cancel();
}

}  // namespace uvis
