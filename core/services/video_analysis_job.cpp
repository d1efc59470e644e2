#include "core/services/video_analysis_job.h"

#include <cmath>

#include "core/export/video_export.h"
#include "core/model_loader.h"

namespace uvis {

double FrameSeriesPoint::meanOf(const std::string& name) const {
    for (size_t i = 0; i < names.size(); ++i)
        if (names[i] == name) return mean[i];
    return std::nan("");
}

double FrameSeriesPoint::p95Of(const std::string& name) const {
    for (size_t i = 0; i < names.size(); ++i)
        if (names[i] == name) return p95[i];
    return std::nan("");
}

VideoAnalysisJob::VideoAnalysisJob(VideoAnalysisRequest request, QObject* parent)
    : QThread(parent), request_(std::move(request)) {
    qRegisterMetaType<FrameSeriesPoint>();
}

VideoAnalysisJob::~VideoAnalysisJob() {
    cancel_ = true;
    wait();
}

void VideoAnalysisJob::run() {
    try {
        LoadedModel loaded = loadModel(request_.modelPath.toStdString(), request_.settings.device);
        if (!loaded) {
            Q_EMIT done(QString::fromStdString(loaded.error), false);
            return;
        }
        McEngine engine(loaded.model);
        const int every = std::max(1, request_.every);
        const VideoAnalysis a = analyseVideo(
            request_.video.toStdString(), engine, request_.settings, 0, -1, every, [this] { return cancel_.load(); },
            [&](const AnalysedVideoFrame& f) -> std::string {
                FrameSeriesPoint p;
                p.frame = f.frame;
                p.timeS = f.timeS;
                for (const auto& [name, st] : *f.statistics) {
                    p.names.push_back(name);
                    p.mean.push_back(st.mean);
                    p.p95.push_back(st.p95);
                }
                Q_EMIT frameAnalysed(p, f.analysed, (f.lastFrame - f.firstFrame + every - 1) / every);
                return {};
            });
        Q_EMIT done(QString::fromStdString(a.fatal.empty() ? a.problem : a.fatal), a.stopped);
    } catch (const std::exception& e) {
        // An exception escaping run() would terminate the program.
        Q_EMIT done(request_.video + ": " + QString::fromUtf8(e.what()), false);
    }
}

}  // namespace uvis
