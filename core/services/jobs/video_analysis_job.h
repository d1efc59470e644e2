#pragma once
// The application's uncertainty timeline: every N-th frame of a video analysed in the
// background (its own thread and model copy), per-frame mean and 95th percentile of each
// uncertainty map, one signal per analysed frame, cancel between MC chunks. Qt Core layer.

#include <string>
#include <vector>

#include "core/engine/sampling_settings.h"
#include "core/services/jobs/background_job.h"

namespace uvis {

struct FrameSeriesPoint {
    int frame = 0;
    double timeS = 0;
    std::vector<std::string> names;  // SPEC §5 map names
    std::vector<double> mean, p95;
    // The value of `name` (NaN when absent).
    double meanOf(const std::string& name) const;
    double p95Of(const std::string& name) const;
};

struct VideoAnalysisRequest {
    QString video;
    QString modelPath;
    SamplingSettings settings;
    int every = 1;
};

// frameAnalysed per analysed frame; done(problem, cancelled).
class VideoAnalysisJob : public BackgroundJob {
    Q_OBJECT
public:
    explicit VideoAnalysisJob(VideoAnalysisRequest request, QObject* parent = nullptr);
    ~VideoAnalysisJob() override;  // stop(): its work emits frameAnalysed
    const VideoAnalysisRequest& request() const { return request_; }

Q_SIGNALS:
    void frameAnalysed(const uvis::FrameSeriesPoint& point, int analysed, int toAnalyse);

private:
    JobOutcome analyse(BackgroundJob& job);
    VideoAnalysisRequest request_;
};

}  // namespace uvis

Q_DECLARE_METATYPE(uvis::FrameSeriesPoint)
