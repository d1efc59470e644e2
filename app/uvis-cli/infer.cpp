// uvis-cli infer: every input through the same engine as the application, results as files.

#include <QDir>
#include <QDirIterator>
#include <QElapsedTimer>
#include <QFileInfo>

#include <nlohmann/json.hpp>

#include <csignal>
#include <cstdio>
#include <unistd.h>

#include "cli_options.h"
#include "core/export/result_export.h"
#include "core/export/video_export.h"
#include "core/frame_numbers.h"
#include "core/io/atomic_file.h"
#include "core/io/ground_truth.h"
#include "core/io/image_io.h"
#include "core/io/media_kind.h"
#include "core/metrics/metrics.h"
#include "core/model_loader.h"
#include "core/model_validation.h"
#include "core/preprocess.h"
#include "core/services/image_header.h"

namespace uvis::cli {
namespace {

using nlohmann::json;

// SIGINT/SIGTERM end the run between MC chunks: an image's result is complete or absent; a video
// keeps the frames done so far, marked "complete": false.
volatile std::sig_atomic_t interrupted = 0;
void onSignal(int) { interrupted = 1; }

// An input stopped at the per-input time limit: the model, not the input, is at fault (exit 4).
bool modelTooSlow = false;


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
            const size_t before = inputs.size();
            for (const QString& f : files) {
                // Ground truth beside the images (<id>_labels.png, <id>_depth.png, uvis-train's
                // convention) is not an input.
                const QString base = QFileInfo(f).completeBaseName();
                if (base.endsWith("_labels") || base.endsWith("_depth")) continue;
                const MediaKind kind = mediaKind(f.toStdString());
                if (kind != MediaKind::Other) inputs.push_back({f, kind == MediaKind::Video});
            }
            if (inputs.size() == before) {
                std::fprintf(stderr, "uvis-cli: %s: a folder with no images or videos in it\n", qPrintable(path));
                ++*failures;
            }
        } else if (info.isFile()) {
            inputs.push_back({path, mediaKind(path.toStdString()) == MediaKind::Video});
        } else if (info.exists()) {
            // A FIFO, a device (/dev/zero), a socket: never read as an image.
            std::fprintf(stderr, "uvis-cli: %s: not a regular file or folder (a FIFO, device or socket)\n",
                         qPrintable(path));
            ++*failures;
        } else {
            std::fprintf(stderr, "uvis-cli: %s: no such file or folder\n", qPrintable(path));
            ++*failures;
        }
    }
    return inputs;
}

void reportMetrics(const MetricsReport& m) {
    if (m.depth)
        std::fprintf(stderr, "  depth: RMSE %.3f m, abs-rel %.3f, δ<1.25 %.3f, NLL %.3f, AUSE(RMSE) %.3f, coverage 68/95 %% %.2f/%.2f\n",
                     m.depth->rmse, m.depth->absRel, m.depth->delta1, m.depth->nll, m.depth->rmseCurve.ause,
                     m.depth->coverage68, m.depth->coverage95);
    if (m.segmentation)
        std::fprintf(stderr, "  segmentation: mIoU %.3f, pixel accuracy %.3f, ECE %.4f, NLL %.3f, Brier %.3f, AUROC(error) %.3f\n",
                     m.segmentation->miou, m.segmentation->pixelAccuracy, m.segmentation->ece, m.segmentation->nll,
                     m.segmentation->brier, m.segmentation->aurocError);
}

std::string resultDir(const InferOptions& o, const QString& input) {
    return QDir(o.out).filePath(QFileInfo(input).completeBaseName()).toStdString();
}

// One image: the result folder, or a message naming the file.
std::string inferImage(const InferOptions& o, McEngine& engine, const ModelCard& card, const McSettings& settings,
                       const Input& input) {
    // A large photo is analysed, and its maps written, at a longer side of at most maxMapSide
    // (or the --size asked for): decoded reduced where the format allows it.
    const int maxSide = o.width > 0 ? std::max(o.width, o.height) : o.maxMapSide;
    RgbImageResult image = readImageWithinLimit(input.path, o.maxPixels, maxSide);
    if (!image.error.empty()) return image.error;
    if (!image.warning.empty()) {
        if (o.strict) return image.warning + " (refused: --strict)";
        std::fprintf(stderr, "uvis-cli: warning: %s\n", image.warning.c_str());
    }
    const GroundTruth truth =
        loadGroundTruth(input.path.toStdString(), TruthPaths{o.gtDepth.toStdString(), o.gtLabels.toStdString()},
                        o.findTruth, image.image.width, image.image.height, card.classes, image.fileWidth,
                        image.fileHeight);
    if (!truth.errors.empty()) return truth.errors.front();
    // SIGINT/SIGTERM stop the run between MC chunks; so does the per-input time limit.
    QElapsedTimer clock;
    clock.start();
    bool tooSlow = false;
    McResult result = engine.run(toModelInput(image.image, card.input), settings, [&](const McProgress&) {
        tooSlow = o.inputTimeoutS > 0 && clock.elapsed() > o.inputTimeoutS * 1000LL;
        return !interrupted && !tooSlow;
    });
    if (tooSlow) {
        modelTooSlow = true;
        return input.path.toStdString() + ": the model took more than " + std::to_string(o.inputTimeoutS) +
               " s on this input (--input-timeout); stopped";
    }
    if (result.cancelled) return {};  // interrupted: nothing of this input is written
    if (!result.ok()) return input.path.toStdString() + ": " + result.error;
    RunInfo info;
    info.input = input.path.toStdString();
    info.modelPath = o.model.toStdString();
    info.settings = settings;
    info.result = &result;
    if (!image.warning.empty()) info.inputWarnings.push_back(image.warning);
    MetricsReport metrics;
    if (truth.any()) {
        metrics = evaluateMaps(result.maps, truth.depth.empty() ? nullptr : &truth.depth,
                               truth.labels.empty() ? nullptr : &truth.labels);
        info.metrics = &metrics;
        info.depthTruthPath = truth.depth.empty() ? "" : truth.paths.depth;
        info.labelTruthPath = truth.labels.empty() ? "" : truth.paths.labels;
        if (!o.quiet) reportMetrics(metrics);
    }
    ExportOptions e;
    e.dir = resultDir(o, input.path);
    e.width = o.width;
    e.height = o.height;
    if (o.width == 0 && image.fileWidth > 0)
        e.sizeNote = "the maps are " + std::to_string(image.image.width) + "×" + std::to_string(image.image.height) +
                     ", not the input's " + std::to_string(image.fileWidth) + "×" + std::to_string(image.fileHeight) +
                     ": the longer side is capped at " + std::to_string(o.maxMapSide) + " (--size to choose)";
    e.overwrite = o.overwrite;
    return exportResult(e, image.image, card, info);
}

std::string inferVideo(const InferOptions& o, McEngine& engine, const McSettings& settings, const Input& input) {
    VideoExportOptions v;
    v.input = input.path.toStdString();
    v.dir = resultDir(o, input.path);
    v.modelPath = o.model.toStdString();
    v.firstFrame = o.firstFrame;
    v.lastFrame = o.lastFrame;
    v.every = o.every;
    v.rawMaps = o.rawMaps;
    v.overwrite = o.overwrite;
    v.keepPartial = true;  // Ctrl-C: the frames done so far, with "complete": false
    const bool tty = isatty(STDERR_FILENO) != 0;
    const VideoExportResult r = exportVideo(v, engine, settings, [&](const VideoFrameReport& f) {
        // One line rewritten in place on a terminal; in a log, a line every 10 % of the frames.
        const int step = std::max(1, (f.lastFrame - f.firstFrame) / 10);
        if (!o.quiet && (tty || (f.frame - f.firstFrame) % step < o.every))
            std::fprintf(stderr, tty ? "\r  %s: %s of %d (%d analysed)" : "  %s: %s of %d (%d analysed)\n",
                         qPrintable(QFileInfo(input.path).fileName()), frameName(f.frame).c_str(), f.lastFrame,
                         f.analysed);
        return !interrupted;
    });
    if (!o.quiet && tty) std::fprintf(stderr, "\n");
    // A truncated video keeps what was analysed before the break (useful for hunting failures):
    // say where, and that it is incomplete.
    if (!r.error.empty() && r.written)
        return r.error + " — the " + std::to_string(r.analysed) + " frames analysed before it are kept in " +
               v.dir + " (summary.json: \"complete\": false)";
    return r.error;
}

}  // namespace

int runInfer(const InferOptions& o) {
    std::signal(SIGINT, onSignal);
    std::signal(SIGTERM, onSignal);
    LoadedModel loaded;
    if (const int exit = loadRunModel(o, &loaded); exit >= 0) return exit;
    const ModelCard& card = modelCard(*loaded.model);
    McSettings settings = o.settings;
    if (!o.dropoutGiven) settings.dropout = card.trainDropout;
    McEngine engine(loaded.model);

    int failures = 0;
    const std::vector<Input> inputs = collectInputs(o.inputs, &failures);
    if (inputs.empty()) {
        std::fprintf(stderr, "uvis-cli: no inputs: nothing to do\n");
        return BadInput;
    }
    QDir().mkpath(o.out);
    int done = 0;
    for (const Input& input : inputs) {
        if (interrupted) break;
        say(o.quiet, "uvis-cli: [%s] %s\n", QString("%1/%2").arg(++done).arg(inputs.size()), input.path);
        const std::string problem = input.video ? inferVideo(o, engine, settings, input)
                                                : inferImage(o, engine, card, settings, input);
        if (!problem.empty()) {
            std::fprintf(stderr, "uvis-cli: %s\n", problem.c_str());
            ++failures;
        }
    }
    if (interrupted) std::fprintf(stderr, "uvis-cli: interrupted; finished results are complete\n");
    if (modelTooSlow) return BadModel;
    if (failures > 0) {
        std::fprintf(stderr, "uvis-cli: %d input(s) failed\n", failures);
        return BadInput;
    }
    return interrupted ? Failure : Ok;
}

int runOod(const InferOptions& o, const QString& inDistribution, const QString& outOfDistribution) {
    LoadedModel loaded;
    if (const int exit = loadRunModel(o, &loaded); exit >= 0) return exit;
    const ModelCard& card = modelCard(*loaded.model);
    McSettings settings = o.settings;
    if (!o.dropoutGiven) settings.dropout = card.trainDropout;
    McEngine engine(loaded.model);
    // Per image: the mean of each epistemic map (depth variance, mutual information).
    struct Scores {
        std::vector<float> depth, mi;
        json images = json::array();
    };
    auto score = [&](const QString& folder, Scores* s) -> std::string {
        int failures = 0;
        for (const Input& input : collectInputs({folder}, &failures)) {
            if (input.video || interrupted) continue;
            RgbImageResult image = readImageWithinLimit(input.path, o.maxPixels, o.maxMapSide);
            if (!image.error.empty()) return image.error;
            McResult r = engine.run(toModelInput(image.image, card.input), settings);
            if (!r.ok()) return input.path.toStdString() + ": " + r.error;
            json entry{{"image", input.path.toStdString()}};
            if (r.maps.hasDepth) {
                s->depth.push_back(static_cast<float>(statistics(r.maps.depthEpistemicVar).mean));
                entry["depth_epistemic_var_mean"] = s->depth.back();
            }
            if (r.maps.hasSegmentation) {
                s->mi.push_back(static_cast<float>(statistics(r.maps.segMutualInfo).mean));
                entry["seg_mutual_info_mean"] = s->mi.back();
            }
            s->images.push_back(entry);
            if (!o.quiet) std::fprintf(stderr, "  %s\n", qPrintable(input.path));
        }
        if (failures) return folder.toStdString() + ": no such folder";
        if (s->images.empty()) return folder.toStdString() + ": no images";
        return {};
    };
    Scores in, out;
    for (auto [folder, s] : {std::pair{inDistribution, &in}, std::pair{outOfDistribution, &out}})
        if (std::string e = score(folder, s); !e.empty()) {
            std::fprintf(stderr, "uvis-cli: %s\n", e.c_str());
            return BadInput;
        }
    auto mean = [](const std::vector<float>& v) {
        double sum = 0;
        for (float x : v) sum += x;
        return v.empty() ? 0.0 : sum / v.size();
    };
    json doc{{"in_distribution", {{"folder", inDistribution.toStdString()}, {"images", in.images}}},
             {"out_of_distribution", {{"folder", outOfDistribution.toStdString()}, {"images", out.images}}},
             {"samples", settings.samples},
             {"dropout", settings.dropout},
             {"seed", settings.seed},
             {"model", card.name}};
    std::printf("in-distribution %s: %zu images; out-of-distribution %s: %zu images\n", qPrintable(inDistribution),
                in.images.size(), qPrintable(outOfDistribution), out.images.size());
    if (!in.depth.empty() && !out.depth.empty()) {
        const double a = oodAuroc(in.depth, out.depth);
        doc["auroc_depth_epistemic"] = a;
        std::printf("mean depth epistemic variance: %.4f vs %.4f m²; AUROC %.3f\n", mean(in.depth), mean(out.depth), a);
    }
    if (!in.mi.empty() && !out.mi.empty()) {
        const double a = oodAuroc(in.mi, out.mi);
        doc["auroc_seg_mutual_info"] = a;
        std::printf("mean mutual information: %.5f vs %.5f nats; AUROC %.3f\n", mean(in.mi), mean(out.mi), a);
    }
    QDir().mkpath(o.out);
    const std::string path = QDir(o.out).filePath("ood.json").toStdString();
    if (std::string e = writeFileAtomically(path, doc.dump(2) + "\n", o.overwrite); !e.empty()) {
        std::fprintf(stderr, "uvis-cli: %s\n", e.c_str());
        return Failure;
    }
    std::printf("wrote %s\n", path.c_str());
    return Ok;
}

}  // namespace uvis::cli
