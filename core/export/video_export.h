#pragma once
// A whole video (or a range of it) through the engine: an overlay video, per-frame statistics
// of the uncertainty maps (frames.csv / frames.json), optionally every frame's raw maps, and
// summary.json — written into a folder that appears whole (PartialFolder). Shared by
// `uvis-cli infer VIDEO` and the application's background overlay-video export.

#include <functional>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "core/export/result_export.h"
#include "core/imaging/map_views.h"
#include "core/types/image.h"
#include "core/types/maps.h"
#include "core/engine/uncertainty_engine.h"

namespace uvis {

struct VideoExportOptions {
    std::string input;      // the video file
    std::string dir;        // the result folder to create
    std::string modelPath;  // for summary.json
    int firstFrame = 0;
    int lastFrame = -1;     // exclusive; -1 = to the end
    int every = 1;          // analyse every N-th frame
    bool rawMaps = false;
    bool overwrite = false;
    // Stopped early (the progress callback said so): keep what was done (summary says
    // "complete": false), or leave nothing.
    bool keepPartial = true;
    // What overlay.avi shows (OverlayFrames): the display's chosen measure over each frame, with
    // a legend strip; default: defaultOverlayDisplay.
    std::optional<DisplayOptions> display;
    // Polled between MC chunks: true stops the run inside a frame (an application quitting).
    std::function<bool()> stopRequested;
};

// Mean and 95th percentile of each uncertainty map, by SPEC §5 name.
using FrameStatistics = std::vector<std::pair<std::string, MapStatistics>>;
FrameStatistics frameStatistics(const UncertaintyMaps& maps);

struct VideoFrameReport {
    int frame = 0;       // index in the video
    int analysed = 0;    // frames analysed so far, this one included
    int firstFrame = 0, lastFrame = 0;  // the range being analysed
    const UncertaintyMaps* maps = nullptr;
    const FrameStatistics* statistics = nullptr;
};
// Called after every analysed frame; false stops the run after this frame.
using VideoProgressFn = std::function<bool(const VideoFrameReport&)>;

struct VideoExportResult {
    std::string error;  // names the file; a truncated video reports how far it got
    int analysed = 0;
    bool stopped = false;
    bool written = false;  // the folder exists
};

// The analysis loop alone (for the application's uncertainty timeline, and under exportVideo):
// decodes [first, last) every N-th frame, runs the engine, hands each frame to `onFrame`.
struct AnalysedVideoFrame {
    int frame = 0;
    double timeS = 0;
    double fps = 25.0;
    int analysed = 0;  // this one included
    int firstFrame = 0, lastFrame = 0;
    const RgbImage* image = nullptr;
    const UncertaintyMaps* maps = nullptr;
    const FrameStatistics* statistics = nullptr;
};
struct VideoAnalysis {
    std::string fatal;    // nothing analysed can be trusted (unopenable file, bad range, onFrame failed)
    std::string problem;  // the video ended early or a frame failed: what was analysed is valid
    int analysed = 0;
    bool stopped = false;
    int frameCount = 0, lastFrame = 0;
    double fps = 25.0;
};
// `onFrame` returns an error to stop with `fatal`; `stopRequested` is polled between MC chunks
// and frames.
VideoAnalysis analyseVideo(const std::string& path, UncertaintyEngine& engine, const SamplingSettings& settings, int firstFrame,
                           int lastFrame, int every, const std::function<bool()>& stopRequested,
                           const std::function<std::string(const AnalysedVideoFrame&)>& onFrame);

VideoExportResult exportVideo(const VideoExportOptions& options, UncertaintyEngine& engine, const SamplingSettings& settings,
                              const VideoProgressFn& progress = {});

}  // namespace uvis
