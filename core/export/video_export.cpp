#include "core/export/video_export.h"

#include <nlohmann/json.hpp>
#include <opencv2/imgproc.hpp>
#include <opencv2/videoio.hpp>

#include <cstdio>
#include <filesystem>

#include "core/io/atomic_file.h"
#include "core/io/npy.h"
#include "core/preprocess.h"

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

VideoExportResult exportVideo(const VideoExportOptions& o, McEngine& engine, const McSettings& settings,
                              const VideoProgressFn& progress) {
    VideoExportResult out;
    const std::string& path = o.input;
    const ModelCard& card = engine.card();
    cv::VideoCapture capture(path);
    if (!capture.isOpened()) {
        out.error = path + ": not a video OpenCV can open, or the file is corrupt";
        return out;
    }
    const int total = static_cast<int>(capture.get(cv::CAP_PROP_FRAME_COUNT));
    const double fps = capture.get(cv::CAP_PROP_FPS) > 0 ? capture.get(cv::CAP_PROP_FPS) : 25.0;
    const int last = o.lastFrame < 0 ? total : std::min(o.lastFrame, total);
    const int every = std::max(1, o.every);
    if (total > 0 && o.firstFrame >= total) {
        out.error = path + ": the range starts at frame " + std::to_string(o.firstFrame) + " but the video has " +
                    std::to_string(total) + " frames";
        return out;
    }
    PartialFolder folder;
    if (std::string e = folder.open(o.dir, o.overwrite); !e.empty()) {
        out.error = e;
        return out;
    }
    const fs::path partial(folder.path());
    cv::VideoWriter overlay;
    json series = json::array();
    std::string csv = "frame,time_s";
    bool header = false;
    std::string problem;
    if (o.firstFrame > 0) capture.set(cv::CAP_PROP_POS_FRAMES, o.firstFrame);
    cv::Mat bgr;
    for (int index = o.firstFrame; index < last && !out.stopped; ++index) {
        if (!capture.read(bgr)) {
            if (total > 0 && index < last)
                problem = path + ": the video ends after " + std::to_string(index) + " of " + std::to_string(total) +
                          " frames: truncated or corrupt (" + std::to_string(out.analysed) + " frames analysed)";
            break;
        }
        if ((index - o.firstFrame) % every != 0) continue;
        cv::Mat rgbMat;
        cv::cvtColor(bgr, rgbMat, cv::COLOR_BGR2RGB);
        RgbImage frame{rgbMat.cols, rgbMat.rows,
                       std::vector<std::uint8_t>(rgbMat.data, rgbMat.data + rgbMat.total() * 3)};
        ProgressFn chunkCheck;
        if (o.stopRequested) chunkCheck = [&](const McProgress&) { return !o.stopRequested(); };
        McResult result = engine.run(toModelInput(frame, card.input), settings, chunkCheck);
        if (result.cancelled) {
            out.stopped = true;
            break;
        }
        if (!result.ok()) {
            problem = path + ": frame " + std::to_string(index) + ": " + result.error;
            break;
        }
        const FrameStatistics stats = frameStatistics(result.maps);
        if (!header) {
            for (const auto& [name, st] : stats) csv += "," + name + "_mean," + name + "_p95";
            csv += "\n";
            header = true;
        }
        char prefix[64];
        std::snprintf(prefix, sizeof prefix, "%d,%.4f", index, index / fps);
        csv += prefix;
        for (const auto& [name, st] : stats) csv += "," + std::to_string(st.mean) + "," + std::to_string(st.p95);
        csv += "\n";
        series.push_back({{"frame", index}, {"time_s", index / fps}, {"statistics", toJson(stats)}});
        const RgbImage blended = o.overlay ? o.overlay(frame, result.maps) : epistemicOverlay(frame, result.maps);
        cv::Mat picture(blended.height, blended.width, CV_8UC3, const_cast<std::uint8_t*>(blended.pixels.data())),
            pictureBgr;
        cv::cvtColor(picture, pictureBgr, cv::COLOR_RGB2BGR);
        if (!overlay.isOpened())
            overlay.open((partial / "overlay.avi").string(), cv::CAP_OPENCV_MJPEG,
                         cv::VideoWriter::fourcc('M', 'J', 'P', 'G'), fps / every, pictureBgr.size());
        overlay.write(pictureBgr);
        if (o.rawMaps) {
            char name[32];
            std::snprintf(name, sizeof name, "frame_%06d", index);
            if (std::string e = writeRawMaps(partial / name, result.maps); !e.empty()) {
                out.error = e;
                return out;
            }
        }
        ++out.analysed;
        if (progress && !progress({index, out.analysed, o.firstFrame, last, &result.maps, &stats})) out.stopped = true;
    }
    overlay.release();
    if (out.stopped && !o.keepPartial) {
        out.error = problem;
        return out;  // the partial folder is removed
    }
    json summary{{"input", path},
                 {"model", {{"name", card.name}, {"version", card.version}, {"path", o.modelPath},
                            {"card_sha256", cardSha256(card)}}},
                 {"samples", settings.samples},
                 {"dropout", settings.dropout},
                 {"seed", settings.seed},
                 {"device", deviceName(resolveDevice(settings.device).kind)},
                 {"fps", fps},
                 {"frames_in_video", total},
                 {"frames", {o.firstFrame, last}},
                 {"every", every},
                 {"frames_analysed", out.analysed},
                 {"complete", problem.empty() && !out.stopped},
                 {"files", {{"overlay", "overlay.avi"}, {"series_csv", "frames.csv"}, {"series_json", "frames.json"}}}};
    for (const auto& [name, text] : {std::pair<std::string, std::string>{"frames.csv", csv},
                                     {"frames.json", series.dump(1) + "\n"},
                                     {"summary.json", summary.dump(2) + "\n"}})
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
