#include "core/export/video_export.h"

#include "core/export/overlay_frames.h"
#include "core/export/summary_fields.h"

#include <nlohmann/json.hpp>
#include <opencv2/imgproc.hpp>
#include <opencv2/videoio.hpp>

#include <cstdio>
#include <filesystem>

#include "core/types/json_document.h"
#include "core/runtime/version.h"
#include "core/types/frame_numbers.h"
#include "core/io/atomic_file.h"
#include "core/io/decode.h"
#include "core/io/npy.h"
#include "core/engine/preprocess.h"
#include "core/temporal/frame_motion.h"
#include "core/temporal/temporal_sampler.h"

namespace uvis {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;

json toJson(const FrameStatistics& stats) {
    json s = json::object();
    for (const auto& [name, st] : stats) s[name] = {{"mean", st.mean}, {"p95", st.p95}};
    return s;
}

std::string writeRawMaps(const fs::path& frameDir, const UncertaintyMaps& maps) {
    std::error_code ec;
    fs::create_directories(frameDir, ec);
    for (const NamedMap& n : namedMaps(maps)) {
        const std::string file = (frameDir / (n.name + ".npy")).string();
        const std::string e = n.values ? writeNpy(file, *n.values) : writeNpy(file, *n.classes);
        if (!e.empty()) return e;
    }
    return {};
}

}  // namespace

FrameStatistics frameStatistics(const UncertaintyMaps& m) {
    FrameStatistics s;
    auto add = [&](const char* name, const FloatMap& map) {
        if (!map.empty()) s.emplace_back(name, statistics(map));
    };
    add("depth_aleatoric_var", m.depthAleatoricVar);
    add("depth_epistemic_var", m.depthEpistemicVar);
    add("seg_entropy", m.segEntropy);
    add("seg_expected_entropy", m.segExpectedEntropy);
    add("seg_mutual_info", m.segMutualInfo);
    return s;
}

VideoAnalysis analyseVideo(const std::string& path, UncertaintyEngine& engine, const SamplingSettings& settings, int firstFrame,
                           int lastFrame, int every, const std::function<bool()>& stopRequested,
                           const std::function<std::string(const AnalysedVideoFrame&)>& onFrame) {
    VideoAnalysis out;
    const ModelCard& card = engine.card();
    cv::VideoCapture capture;
    if (!openVideoFile(capture, path)) {
        out.fatal = path + ": not a video OpenCV can open, or the file is corrupt";
        return out;
    }
    const int total = static_cast<int>(capture.get(cv::CAP_PROP_FRAME_COUNT));
    out.frameCount = total;
    out.fps = capture.get(cv::CAP_PROP_FPS) > 0 ? capture.get(cv::CAP_PROP_FPS) : 25.0;
    const int last = lastFrame < 0 ? total : std::min(lastFrame, total);
    out.lastFrame = last;
    every = std::max(1, every);
    if (total > 0 && firstFrame >= total) {
        out.fatal = path + ": the range starts at frame " + std::to_string(firstFrame) + " but the video has " +
                    std::to_string(total) + " frames";
        return out;
    }
    if (firstFrame > 0) capture.set(cv::CAP_PROP_POS_FRAMES, firstFrame);
    ProgressFn chunkCheck;
    if (stopRequested) chunkCheck = [&](const SamplingProgress&) { return !stopRequested(); };
    // With settings.temporalFresh the frames carry samples to each other; otherwise each runs alone.
    TemporalSampler temporal(engine, estimateMotion);
    cv::Mat bgr;
    for (int index = firstFrame; index < last; ++index) {
        if (stopRequested && stopRequested()) {
            out.stopped = true;
            break;
        }
        if (!capture.read(bgr)) {
            if (total > 0 && index < last)
                out.problem = path + ": the video ends after " + std::to_string(index) + " of " + std::to_string(total) +
                              " frames: truncated or corrupt (" + std::to_string(out.analysed) + " frames analysed)";
            break;
        }
        if ((index - firstFrame) % every != 0) continue;
        const RgbImage frame = rgbFromBgr(bgr);
        const SamplingResult result = temporal.runFrame(toModelInput(frame, card.input), settings, index, chunkCheck);
        if (result.cancelled) {
            out.stopped = true;
            break;
        }
        if (!result.ok()) {
            out.problem = path + ": " + frameName(index) + ": " + result.error;
            break;
        }
        const FrameStatistics stats = frameStatistics(result.maps);
        ++out.analysed;
        const AnalysedVideoFrame f{index, index / out.fps, out.fps, out.analysed, firstFrame, last, &frame, &result.maps, &stats};
        if (std::string e = onFrame(f); !e.empty()) {
            out.fatal = e;
            break;
        }
    }
    return out;
}

namespace {

// How the frames were sampled: null for full MC on every frame; otherwise k, the weight a carried
// sample keeps per frame, and the samples per analysed frame on average, fresh and carried.
json temporalSummary(const SamplingSettings& settings, int frames, long fresh, long carried) {
    if (settings.temporalFresh <= 0 || frames == 0) return nullptr;
    return {{"fresh_per_frame", settings.temporalFresh},
            {"carried_weight_per_frame", carriedWeight(1)},
            {"mean_fresh_samples", double(fresh) / frames},
            {"mean_carried_samples", double(carried) / frames}};
}

}  // namespace

VideoExportResult exportVideo(const VideoExportOptions& o, UncertaintyEngine& engine, const SamplingSettings& settings,
                              const VideoProgressFn& progress) {
    VideoExportResult out;
    const ModelCard& card = engine.card();
    PartialFolder folder;
    if (std::string e = folder.open(o.dir, o.overwrite); !e.empty()) {
        out.error = e;
        return out;
    }
    const fs::path partial(folder.path());
    cv::VideoWriter overlay;
    OverlayFrames pictures(o.display ? *o.display : defaultOverlayDisplay(card));
    json series = json::array();
    std::string csv = "frame,time_s,fresh_samples,carried_samples";
    long freshTotal = 0, carriedTotal = 0;
    bool header = false, stopAsked = false;
    const int every = std::max(1, o.every);
    const auto stop = [&] { return stopAsked || (o.stopRequested && o.stopRequested()); };
    const VideoAnalysis a = analyseVideo(o.input, engine, settings, o.firstFrame, o.lastFrame, every, stop,
                                         [&](const AnalysedVideoFrame& f) -> std::string {
        if (!header) {
            for (const auto& [name, st] : *f.statistics) csv += "," + name + "_mean," + name + "_p95";
            csv += "\n";
            header = true;
        }
        char prefix[96];
        std::snprintf(prefix, sizeof prefix, "%d,%.4f,%d,%d", f.frame, f.timeS, f.maps->samplesDone,
                      f.maps->carriedSamples);
        freshTotal += f.maps->samplesDone;
        carriedTotal += f.maps->carriedSamples;
        csv += prefix;
        for (const auto& [name, st] : *f.statistics) csv += "," + std::to_string(st.mean) + "," + std::to_string(st.p95);
        csv += "\n";
        series.push_back({{"frame", f.frame}, {"time_s", f.timeS}, {"fresh_samples", f.maps->samplesDone},
                          {"carried_samples", f.maps->carriedSamples}, {"statistics", toJson(*f.statistics)}});
        const RgbImage blended = pictures.picture(*f.image, *f.maps);
        cv::Mat picture(blended.height, blended.width, CV_8UC3, const_cast<std::uint8_t*>(blended.pixels.data())),
            pictureBgr;
        cv::cvtColor(picture, pictureBgr, cv::COLOR_RGB2BGR);
        if (!overlay.isOpened())
            overlay.open((partial / "overlay.avi").string(), cv::CAP_OPENCV_MJPEG,
                         cv::VideoWriter::fourcc('M', 'J', 'P', 'G'), f.fps / every, pictureBgr.size());
        overlay.write(pictureBgr);
        if (o.rawMaps) {
            char name[32];
            std::snprintf(name, sizeof name, "frame_%06d", f.frame);
            if (std::string e = writeRawMaps(partial / name, *f.maps); !e.empty()) return e;
        }
        if (progress && !progress({f.frame, f.analysed, f.firstFrame, f.lastFrame, f.maps, f.statistics}))
            stopAsked = true;
        return {};
    });
    overlay.release();
    out.analysed = a.analysed;
    out.stopped = a.stopped;
    if (!a.fatal.empty()) {
        out.error = a.fatal;
        return out;  // the partial folder is removed
    }
    if (out.stopped && !o.keepPartial) {
        out.error = a.problem;
        return out;
    }
    if (out.analysed == 0 && !out.stopped) {
        // A 0-frame file, or something that is not a video under a video's name: no result.
        out.error = o.input + ": no frame could be decoded (an empty or broken video)" +
                    (a.problem.empty() ? "" : " — " + a.problem);
        return out;  // the partial folder is removed
    }
    const int total = a.frameCount, last = a.lastFrame;
    const double fps = a.fps;
    const std::string& path = o.input;
    const std::string problem = a.problem;
    json summary{{"uvis_version", versionString()},
                 {"input", path},
                 {"model", {{"name", card.name}, {"version", card.version}, {"path", o.modelPath},
                            {"card_sha256", cardSha256(card)}}},
                 {"method", methodName(settings.method)},
                 {"calibration", calibrationSummary(settings.calibration)},
                 {"samples", settings.samples},
                 {"dropout", settings.dropout},
                 {"trained_dropout", trainedDropoutJson(card, settings.dropout)},
                 {"seed", settings.seed},
                 {"precision", precisionName(settings.precision)},
                 {"device", deviceName(resolveDevice(settings.device).kind)},
                 {"temporal", temporalSummary(settings, out.analysed, freshTotal, carriedTotal)},
                 {"fps", fps},
                 {"frames_in_video", total > 0 ? json(total) : json(nullptr)},  // unknown to the container
                 // Both ends included, as the export dialog shows them (frames count from 0).
                 {"first_frame", o.firstFrame},
                 {"last_frame", last - 1},
                 {"every", every},
                 {"frames_analysed", out.analysed},
                 {"complete", problem.empty() && !out.stopped},
                 {"files", {{"overlay", "overlay.avi"}, {"series_csv", "frames.csv"}, {"series_json", "frames.json"}}}};
    for (const auto& [name, text] : {std::pair<std::string, std::string>{"frames.csv", csv},
                                     {"frames.json", jsonText(series, 1) + "\n"},
                                     {"summary.json", jsonText(summary, 2) + "\n"}})
        if (std::string e = writeFileAtomically((partial / name).string(), text); !e.empty()) {
            out.error = e;
            return out;
        }
    if (std::string e = folder.commit(); !e.empty()) {
        out.error = e;
        return out;
    }
    out.written = true;
    out.error = problem;
    return out;
}

}  // namespace uvis
