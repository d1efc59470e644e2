#include "core/services/jobs/video_analysis_job.h"

#include <cmath>

#include "core/export/video_export.h"
#include "core/engine/uncertainty_engine.h"

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
    : BackgroundJob(request.video, [this](BackgroundJob& job) { return analyse(job); }, parent),
      request_(std::move(request)) {
    qRegisterMetaType<FrameSeriesPoint>();
}

VideoAnalysisJob::~VideoAnalysisJob() { stop(); }

JobOutcome VideoAnalysisJob::analyse(BackgroundJob& job) {
    QString problem;
    const std::unique_ptr<UncertaintyEngine> engine = loadEngine(request_.modelPath, request_.settings.device, &problem);
    if (!engine) return {problem, false};
    const int every = std::max(1, request_.every);
    const VideoAnalysis a = analyseVideo(
        request_.video.toStdString(), *engine, request_.settings, 0, -1, every, [&job] { return job.cancelRequested(); },
        [&](const AnalysedVideoFrame& f) -> std::string {
            FrameSeriesPoint p;
            p.frame = f.frame;
            p.timeS = f.timeS;
            for (const auto& [name, st] : *f.statistics) {
                p.names.push_back(name);
                p.mean.push_back(st.mean);
                p.p95.push_back(st.p95);
            }
            const int toAnalyse = (f.lastFrame - f.firstFrame + every - 1) / every;
            Q_EMIT frameAnalysed(p, f.analysed, toAnalyse);
            job.reportProgress(f.analysed, toAnalyse, f.frame);
            return {};
        });
    return {QString::fromStdString(a.fatal.empty() ? a.problem : a.fatal), a.stopped};
}

}  // namespace uvis
