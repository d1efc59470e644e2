#pragma once
// The application's background overlay-video export: its own thread, its own copy of the model
// (the interactive inference thread keeps serving the views), progress per frame, cancel
// between frames. A cancelled export leaves no folder behind. Qt Core layer.

#include <optional>

#include "core/imaging/map_views.h"
#include "core/engine/sampling_settings.h"
#include "core/services/jobs/background_job.h"

namespace uvis {

struct VideoExportRequest {
    QString video;
    QString modelPath;
    QString dir;  // the result folder to create
    SamplingSettings settings;
    int firstFrame = 0;
    int lastFrame = -1;  // exclusive; -1 = to the end
    int every = 1;
    bool overwrite = false;
    // The overlay drawn on each frame: the chosen measure over the frame, in a range fixed by
    // the first frame (so the video does not flicker) unless the display's range is typed in.
    std::optional<DisplayOptions> display;
};

// progress(analysed, toAnalyse, frame); done(problem, cancelled): nothing is written when cancelled.
class VideoExportJob : public BackgroundJob {
    Q_OBJECT
public:
    explicit VideoExportJob(VideoExportRequest request, QObject* parent = nullptr);
    const VideoExportRequest& request() const { return request_; }

private:
    VideoExportRequest request_;
};

}  // namespace uvis
