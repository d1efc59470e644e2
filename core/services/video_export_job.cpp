#include "core/services/video_export_job.h"

#include "core/export/video_export.h"
#include "core/model_loader.h"

namespace uvis {

VideoExportJob::VideoExportJob(VideoExportRequest request, QObject* parent)
    : QThread(parent), request_(std::move(request)) {}

VideoExportJob::~VideoExportJob() {
    cancel_ = true;
    wait();
}

void VideoExportJob::run() {
    try {
        const VideoExportRequest& r = request_;
        LoadedModel loaded = loadModel(r.modelPath.toStdString(), r.settings.device);
        if (!loaded) {
            Q_EMIT done(QString::fromStdString(loaded.error), false);
            return;
        }
        McEngine engine(loaded.model);
        VideoExportOptions o;
        o.input = r.video.toStdString();
        o.dir = r.dir.toStdString();
        o.modelPath = r.modelPath.toStdString();
        o.firstFrame = r.firstFrame;
        o.lastFrame = r.lastFrame;
        o.every = r.every;
        o.overwrite = r.overwrite;
        o.keepPartial = false;
        o.stopRequested = [this] { return cancel_.load(); };
        if (r.display) {
            auto memory = std::make_shared<RangeMemory>();
            DisplayOptions display = *r.display;
            if (display.rangeMode != RangeMode::Manual) display.rangeMode = RangeMode::FixedAcrossVideo;
            o.overlay = [display, memory](const RgbImage& frame, const UncertaintyMaps& maps) {
                const FloatMap map = measureMap(maps, display.measure);
                if (map.empty()) return epistemicOverlay(frame, maps);
                ValueRange range = display.manualRange;
                if (display.rangeMode != RangeMode::Manual) {
                    auto it = memory->ranges.find(ViewId::Selected);
                    if (it == memory->ranges.end())
                        it = memory->ranges.emplace(ViewId::Selected, robustRange(map)).first;
                    range = it->second;
                }
                const std::optional<float> threshold =
                    display.threshold ? std::optional<float>(display.thresholdValue) : std::nullopt;
                return dropAlpha(blendOver(frame, map, display.colormap, range, display.opacity, threshold));
            };
        }
        const VideoExportResult result = exportVideo(o, engine, r.settings, [this](const VideoFrameReport& f) {
            const int toAnalyse = (f.lastFrame - f.firstFrame + request_.every - 1) / std::max(1, request_.every);
            Q_EMIT progress(f.analysed, toAnalyse, f.frame);
            return !cancel_.load();
        });
        Q_EMIT done(QString::fromStdString(result.error), result.stopped);
    } catch (const std::exception& e) {
        // An exception escaping run() would terminate the program.
        Q_EMIT done(request_.video + ": " + QString::fromUtf8(e.what()), false);
    }
}

}  // namespace uvis
