#pragma once
// The application's uncertainty timeline: every N-th frame of a video analysed in the
// background (its own thread and model copy), per-frame mean and 95th percentile of each
// uncertainty map, one signal per analysed frame, cancel between MC chunks. Qt Core layer.

#include <QThread>

#include <atomic>
#include <string>
#include <vector>

#include "core/mc_settings.h"

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
    McSettings settings;
    int every = 1;
};

class VideoAnalysisJob : public QThread {
    Q_OBJECT
public:
    explicit VideoAnalysisJob(VideoAnalysisRequest request, QObject* parent = nullptr);
    ~VideoAnalysisJob() override;  // cancels and waits (within one MC chunk)
    void cancel() { cancel_ = true; }
    const VideoAnalysisRequest& request() const { return request_; }

Q_SIGNALS:
    void frameAnalysed(const uvis::FrameSeriesPoint& point, int analysed, int toAnalyse);
    void done(const QString& problem, bool cancelled);  // problem: names the file; empty when complete

protected:
    void run() override;

private:
    VideoAnalysisRequest request_;
    std::atomic<bool> cancel_{false};
};

}  // namespace uvis

Q_DECLARE_METATYPE(uvis::FrameSeriesPoint)
