// uvis-cli infer: every input through the same engine as the application, results as files.

#include <QDir>
#include <QDirIterator>
#include <QFileInfo>

#include <nlohmann/json.hpp>
#include <opencv2/imgproc.hpp>
#include <opencv2/videoio.hpp>

#include <cmath>
#include <csignal>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <unistd.h>

#include "cli_options.h"
#include "core/export/result_export.h"
#include "core/io/atomic_file.h"
#include "core/io/image_io.h"
#include "core/io/npy.h"
#include "core/model_loader.h"
#include "core/model_validation.h"
#include "core/preprocess.h"

namespace uvis::cli {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;

// Ctrl-C ends the run after the current input: its result is either complete or absent.
volatile std::sig_atomic_t interrupted = 0;
void onSignal(int) { interrupted = 1; }

const QStringList kImageSuffixes{"png", "jpg", "jpeg", "bmp", "tif", "tiff", "webp", "ppm", "pgm"};
const QStringList kVideoSuffixes{"avi", "mp4", "mkv", "mov", "webm", "m4v", "mpg", "mpeg"};

struct Input {
    QString path;
    bool video = false;
};

void say(bool quiet, const char* format, const QString& a, const QString& b = {}) {
    if (!quiet) std::fprintf(stderr, format, qPrintable(a), qPrintable(b));
}

std::vector<Input> collectInputs(const QStringList& paths, int* failures) {
    std::vector<Input> inputs;
    for (const QString& path : paths) {
        const QFileInfo info(path);
        if (info.isDir()) {
            QStringList files;
            QDirIterator it(path, QDir::Files);
            while (it.hasNext()) files << it.next();
            files.sort();
            for (const QString& f : files) {
                // Ground truth beside the images (<id>_labels.png, uvis-train's convention) is
                // not an input.
                if (QFileInfo(f).completeBaseName().endsWith("_labels")) continue;
                const QString suffix = QFileInfo(f).suffix().toLower();
                if (kImageSuffixes.contains(suffix)) inputs.push_back({f, false});
                else if (kVideoSuffixes.contains(suffix)) inputs.push_back({f, true});
            }
        } else if (info.isFile()) {
            inputs.push_back({path, kVideoSuffixes.contains(info.suffix().toLower())});
        } else {
            std::fprintf(stderr, "uvis-cli: %s: no such file or folder\n", qPrintable(path));
            ++*failures;
        }
    }
    return inputs;
}

std::string resultDir(const InferOptions& o, const QString& input) {
    return QDir(o.out).filePath(QFileInfo(input).completeBaseName()).toStdString();
}

// One image: the result folder, or a message naming the file.
std::string inferImage(const InferOptions& o, McEngine& engine, const ModelCard& card, const McSettings& settings,
                       const Input& input) {
    RgbImageResult image = readRgbImage(input.path.toStdString());
    if (!image.error.empty()) return image.error;
    McResult result = engine.run(toModelInput(image.image, card.input), settings);
    if (!result.ok()) return input.path.toStdString() + ": " + result.error;
    ExportOptions e;
    e.dir = resultDir(o, input.path);
    e.width = o.width;
    e.height = o.height;
    e.overwrite = o.overwrite;
    RunInfo info{input.path.toStdString(), o.model.toStdString(), settings, &result};
    return exportResult(e, image.image, card, info);
}

// Per-frame statistics of the uncertainty maps: mean and 95th percentile.
json frameStatistics(const UncertaintyMaps& m) {
    json s = json::object();
    auto add = [&](const char* name, const FloatMap& map) {
        if (map.empty()) return;
        const MapStatistics st = statistics(map);
        s[name] = {{"mean", st.mean}, {"p95", st.p95}};
    };
    add("depth_aleatoric_var", m.depthAleatoricVar);
    add("depth_epistemic_var", m.depthEpistemicVar);
    add("seg_entropy", m.segEntropy);
    add("seg_expected_entropy", m.segExpectedEntropy);
    add("seg_mutual_info", m.segMutualInfo);
    return s;
}

std::string inferVideo(const InferOptions& o, McEngine& engine, const ModelCard& card, const McSettings& settings,
                       const Input& input) {
    const std::string path = input.path.toStdString();
    cv::VideoCapture capture(path);
    if (!capture.isOpened()) return path + ": not a video OpenCV can open, or the file is corrupt";
    const int total = static_cast<int>(capture.get(cv::CAP_PROP_FRAME_COUNT));
    const double fps = capture.get(cv::CAP_PROP_FPS) > 0 ? capture.get(cv::CAP_PROP_FPS) : 25.0;
    const int last = o.lastFrame < 0 ? total : std::min(o.lastFrame, total);
    if (total > 0 && o.firstFrame >= total)
        return path + ": --frames starts at " + std::to_string(o.firstFrame) + " but the video has " +
               std::to_string(total) + " frames";
    PartialFolder folder;
    if (std::string e = folder.open(resultDir(o, input.path), o.overwrite); !e.empty()) return e;
    const fs::path partial(folder.path());
    std::error_code ec;
    cv::VideoWriter overlay;
    json series = json::array();
    std::string csv = "frame,time_s";
    bool header = false;
    std::string problem;
    int analysed = 0, index = 0;
    cv::Mat bgr;
    for (; index < last && !interrupted; ++index) {
        if (!capture.read(bgr)) {
            if (total > 0 && index < last)
                problem = path + ": the video ends after " + std::to_string(index) + " of " + std::to_string(total) +
                          " frames: truncated or corrupt (" + std::to_string(analysed) + " frames analysed)";
            break;
        }
        if (index < o.firstFrame || (index - o.firstFrame) % o.every != 0) continue;
        cv::Mat rgbMat;
        cv::cvtColor(bgr, rgbMat, cv::COLOR_BGR2RGB);
        RgbImage frame{rgbMat.cols, rgbMat.rows, std::vector<std::uint8_t>(rgbMat.data, rgbMat.data + rgbMat.total() * 3)};
        McResult result = engine.run(toModelInput(frame, card.input), settings);
        if (!result.ok()) {
            problem = path + ": frame " + std::to_string(index) + ": " + result.error;
            break;
        }
        const json stats = frameStatistics(result.maps);
        if (!header) {
            for (auto it = stats.begin(); it != stats.end(); ++it) csv += "," + it.key() + "_mean," + it.key() + "_p95";
            csv += "\n";
            header = true;
        }
        char prefix[64];
        std::snprintf(prefix, sizeof prefix, "%d,%.4f", index, index / fps);
        csv += prefix;
        for (auto it = stats.begin(); it != stats.end(); ++it)
            csv += "," + std::to_string(it.value()["mean"].get<double>()) + "," + std::to_string(it.value()["p95"].get<double>());
        csv += "\n";
        series.push_back({{"frame", index}, {"time_s", index / fps}, {"statistics", stats}});
        const RgbImage blended = epistemicOverlay(frame, result.maps);
        cv::Mat out(blended.height, blended.width, CV_8UC3, const_cast<std::uint8_t*>(blended.pixels.data())), outBgr;
        cv::cvtColor(out, outBgr, cv::COLOR_RGB2BGR);
        if (!overlay.isOpened())
            overlay.open((partial / "overlay.avi").string(), cv::CAP_OPENCV_MJPEG, cv::VideoWriter::fourcc('M', 'J', 'P', 'G'),
                         fps / o.every, outBgr.size());
        overlay.write(outBgr);
        if (o.rawMaps) {
            char name[32];
            std::snprintf(name, sizeof name, "frame_%06d", index);
            const fs::path frameDir = partial / name;
            fs::create_directories(frameDir, ec);
            for (const NamedMap& n : namedMaps(result.maps)) {
                const std::string file = (frameDir / (n.name + ".npy")).string();
                const std::string e = n.values ? writeNpy(file, *n.values) : writeNpy(file, *n.classes);
                if (!e.empty()) return e;
            }
        }
        ++analysed;
        // One line rewritten in place on a terminal; in a log, a line every 10 % of the frames.
        const bool tty = isatty(STDERR_FILENO) != 0;
        const int step = std::max(1, (last - o.firstFrame) / 10);
        if (!o.quiet && (tty || (index - o.firstFrame) % step < o.every))
            std::fprintf(stderr, tty ? "\r  %s: frame %d/%d (%d analysed)" : "  %s: frame %d/%d (%d analysed)\n",
                         qPrintable(QFileInfo(input.path).fileName()), index + 1, last, analysed);
    }
    if (!o.quiet && isatty(STDERR_FILENO)) std::fprintf(stderr, "\n");
    overlay.release();
    json summary{{"input", path},
                 {"model", {{"name", card.name}, {"version", card.version}, {"path", o.model.toStdString()},
                            {"card_sha256", cardSha256(card)}}},
                 {"samples", settings.samples},
                 {"dropout", settings.dropout},
                 {"seed", settings.seed},
                 {"device", deviceName(resolveDevice(settings.device).kind)},
                 {"fps", fps},
                 {"frames_in_video", total},
                 {"frames", {o.firstFrame, last}},
                 {"every", o.every},
                 {"frames_analysed", analysed},
                 {"complete", problem.empty() && !interrupted},
                 {"files", {{"overlay", "overlay.avi"}, {"series_csv", "frames.csv"}, {"series_json", "frames.json"}}}};
    for (const auto& [name, text] : {std::pair<std::string, std::string>{"frames.csv", csv},
                                     {"frames.json", series.dump(1) + "\n"},
                                     {"summary.json", summary.dump(2) + "\n"}})
        if (std::string e = writeFileAtomically((partial / name).string(), text); !e.empty()) return e;
    if (std::string e = folder.commit(); !e.empty()) return e;
    return problem;
}

}  // namespace

int runInfer(const InferOptions& o) {
    std::signal(SIGINT, onSignal);
    std::signal(SIGTERM, onSignal);
    LoadedModel loaded = loadModel(o.model.toStdString(), o.settings.device);
    if (!loaded) {
        std::fprintf(stderr, "uvis-cli: %s\n", loaded.error.c_str());
        return BadModel;
    }
    if (!loaded.warning.empty()) std::fprintf(stderr, "uvis-cli: %s\n", loaded.warning.c_str());
    const ModelCard& card = modelCard(*loaded.model);
    McSettings settings = o.settings;
    if (!o.dropoutGiven) settings.dropout = card.trainDropout;
    McEngine engine(loaded.model);

    int failures = 0;
    const std::vector<Input> inputs = collectInputs(o.inputs, &failures);
    QDir().mkpath(o.out);
    int done = 0;
    for (const Input& input : inputs) {
        if (interrupted) break;
        say(o.quiet, "uvis-cli: [%s] %s\n", QString("%1/%2").arg(++done).arg(inputs.size()), input.path);
        const std::string problem = input.video ? inferVideo(o, engine, card, settings, input)
                                                : inferImage(o, engine, card, settings, input);
        if (!problem.empty()) {
            std::fprintf(stderr, "uvis-cli: %s\n", problem.c_str());
            ++failures;
        }
    }
    if (interrupted) std::fprintf(stderr, "uvis-cli: interrupted; finished results are complete\n");
    if (failures > 0) {
        std::fprintf(stderr, "uvis-cli: %d input(s) failed\n", failures);
        return BadInput;
    }
    return interrupted ? Failure : Ok;
}

}  // namespace uvis::cli
