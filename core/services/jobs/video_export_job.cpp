#include "core/services/jobs/video_export_job.h"

#include "core/export/video_export.h"
#include "core/engine/mc_engine.h"

namespace uvis {
namespace {

JobOutcome exportOverlayVideo(const VideoExportRequest& r, BackgroundJob& job) {
    QString problem;
    const std::unique_ptr<McEngine> engine = BackgroundJob::loadEngine(r.modelPath, r.settings.device, &problem);
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
    if (r.display) {
        // The range is fixed by the first frame (no flicker) unless the display's is typed in.
        DisplayOptions display = *r.display;
        if (display.rangeMode != RangeMode::Manual) display.rangeMode = RangeMode::FixedAcrossVideo;
        auto memory = std::make_shared<RangeMemory>();
        o.overlay = [display, memory](const RgbImage& frame, const UncertaintyMaps& maps) {
            const std::optional<ValueRange> range = chosenRange(maps, display, memory.get());
            return range ? dropAlpha(chosenOverlay(frame, maps, display, *range)) : epistemicOverlay(frame, maps);
        };
    }
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
