#pragma once
// The application's background overlay-video export: its own thread, its own copy of the model
// (the interactive inference thread keeps serving the views), progress per frame, cancel
// between frames. A cancelled export leaves no folder behind. Qt Core layer.

#include <QThread>

#include <atomic>
#include <optional>

#include "core/imaging/map_views.h"
#include "core/mc_settings.h"

namespace uvis {

struct VideoExportRequest {
    QString video;
    QString modelPath;
    QString dir;  // the result folder to create
    McSettings settings;
    int firstFrame = 0;
    int lastFrame = -1;  // exclusive; -1 = to the end
    int every = 1;
    bool overwrite = false;
    // The overlay drawn on each frame: the chosen measure over the frame, in a range fixed by
    // the first frame (so the video does not flicker) unless the display's range is typed in.
    std::optional<DisplayOptions> display;
};

class VideoExportJob : public QThread {
    Q_OBJECT
public:
    explicit VideoExportJob(VideoExportRequest request, QObject* parent = nullptr);
    ~VideoExportJob() override;  // cancels and waits (returns within one frame)

    void cancel() { cancel_ = true; }  // direct, thread-safe
    const VideoExportRequest& request() const { return request_; }

Q_SIGNALS:
    void progress(int analysed, int toAnalyse, int frame);
    // `message` is empty on success; `cancelled` when the user stopped it (nothing written).
    void done(const QString& message, bool cancelled);

protected:
    void run() override;

private:
    VideoExportRequest request_;
    std::atomic<bool> cancel_{false};
};

}  // namespace uvis
