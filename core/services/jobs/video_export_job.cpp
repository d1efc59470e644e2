#include "core/services/jobs/video_export_job.h"

#include "core/export/video_export.h"
#include "core/engine/uncertainty_engine.h"

namespace uvis {
namespace {

JobOutcome exportOverlayVideo(const VideoExportRequest& r, BackgroundJob& job) {
    QString problem;
    const std::unique_ptr<UncertaintyEngine> engine = BackgroundJob::loadEngine(r.modelPath, r.settings.device, &problem);
    if (!engine) return {problem, false};
    VideoExportOptions o;
    o.input = r.video.toStdString();
    o.dir = r.dir.toStdString();
    o.modelPath = r.modelPath.toStdString();
    o.firstFrame = r.firstFrame;
    o.lastFrame = r.lastFrame;
    o.every = r.every;
    o.overwrite = r.overwrite;
    o.keepPartial = false;
    o.stopRequested = [&job] { return job.cancelRequested(); };
    o.display = r.display;  // its range fixed by the first frame unless typed in (OverlayFrames)
    const int every = std::max(1, r.every);
    const VideoExportResult result = exportVideo(o, *engine, r.settings, [&job, every](const VideoFrameReport& f) {
        job.reportProgress(f.analysed, (f.lastFrame - f.firstFrame + every - 1) / every, f.frame);
        return !job.cancelRequested();
    });
    return {QString::fromStdString(result.error), result.stopped};
}

}  // namespace

VideoExportJob::VideoExportJob(VideoExportRequest request, QObject* parent)
    : BackgroundJob(request.video, [request](BackgroundJob& job) { return exportOverlayVideo(request, job); }, parent),
      request_(std::move(request)) {}

}  // namespace uvis
