// uvis-cli infer: every input through the same engine as the application, results as files.

#include <QDir>
#include <QDirIterator>
#include <QElapsedTimer>
#include <QFileInfo>

#include <nlohmann/json.hpp>

#include <algorithm>
#include <atomic>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <mutex>
#include <unistd.h>

#include "cli_options.h"
#include "infer_args.h"
#include "infer_lines.h"
#include "stop_signal.h"
#include "core/export/result_export.h"
#include "core/export/video_export.h"
#include "core/types/frame_numbers.h"
#include "core/io/atomic_file.h"
#include "core/io/ground_truth.h"
#include "core/io/image_io.h"
#include "core/types/json_document.h"
#include "core/io/media_kind.h"
#include "core/metrics/metrics.h"
#include "core/model/model_loader.h"
#include "core/model/model_validation.h"
#include "core/engine/preprocess.h"
#include "core/services/batch/dataset_scoring.h"
#include "core/services/batch/image_header.h"

namespace uvis::cli {
namespace {

using nlohmann::json;
namespace fs = std::filesystem;



using Input = DatasetInput;

// The inputs the arguments name, each argument's problems on stderr (counted as failures).
std::vector<Input> collectInputs(const QStringList& paths, int* failures) {
    std::vector<std::string> list;
    for (const QString& p : paths) list.push_back(p.toStdString());
    DatasetInputs found = collectDatasetInputs(list);
    for (const std::string& e : found.errors) sayProblem(e);
    *failures += static_cast<int>(found.errors.size());
    return std::move(found.inputs);
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

// OUT/<name without its extension>: a data set's sub-folders are kept.
std::string resultDir(const InferOptions& o, const Input& input) {
    const fs::path name(input.name);
    return (fs::path(o.out.toStdString()) / name.parent_path() / name.stem()).string();
}


// The resident set of this process now, in KiB (Linux /proc).
long residentKb() {
    std::ifstream statm("/proc/self/statm");
    long pages = 0, resident = 0;
    statm >> pages >> resident;
    return resident * (sysconf(_SC_PAGESIZE) / 1024);
}

// --resume: the row of a complete result made with these settings from this file; else why not.
std::optional<ImageRow> keptRow(const std::string& dir, const std::string& key, std::string* problem) {
    const std::string scores = (fs::path(dir) / kScoresFile).string();
    if (!fs::exists(scores)) {
        *problem = dir + ": exists without " + kScoresFile + " (an older or foreign result); --overwrite to redo it";
        return std::nullopt;
    }
    const JsonRead read = readJsonFile(scores);
    try {
        if (!read.ok()) throw std::runtime_error(read.error);
        const json& doc = read.value;
        if (jsonText(doc.at("key")) != key) {
            *problem = dir + ": was made with other settings or from another version of the input; --overwrite to redo it";
            return std::nullopt;
        }
        if (auto row = parseImageRowJson(jsonText(doc.at("row")))) return row;
    } catch (const std::exception&) {
    }
    *problem = dir + "/" + kScoresFile + ": damaged; --overwrite to redo this input";
    return std::nullopt;
}

std::string inferVideo(const InferOptions& o, UncertaintyEngine& engine, const SamplingSettings& settings, const Input& input) {
    VideoExportOptions v;
    v.input = input.path;
    v.dir = resultDir(o, input);
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
                         fs::path(input.path).filename().c_str(), frameName(f.frame).c_str(), f.lastFrame,
                         f.analysed);
        return !stopRequested();
    });
    if (!o.quiet && tty) std::fprintf(stderr, "\n");
    // A truncated video keeps what was analysed before the break (useful for hunting failures):
    // say where, and that it is incomplete.
    if (!r.error.empty() && r.written)
        return r.error + " — the " + std::to_string(r.analysed) + " frames analysed before it are kept in " +
               v.dir + " (summary.json: \"complete\": false)";
    return r.error;
}

// One `uvis-cli infer` run in its steps: plan (the inputs, this shard's part, what --resume keeps),
// the images through the pipeline (decoding the next and writing the last beside the engine),
// the videos, and the report (the data set's table, the throughput, the exit code).
class InferRun {
public:
    InferRun(const InferOptions& o, UncertaintyEngine& engine, const ModelCard& card, const SamplingSettings& settings)
        : o_(o), engine_(engine), card_(card), settings_(settings) {}

    // -1 to go on, else the exit code.
    int plan() {
        const std::vector<Input> all = collectInputs(o_.inputs, &failures_);
        if (all.empty()) {
            std::fprintf(stderr, "uvis-cli: no inputs: nothing to do\n");
            return BadInput;
        }
        // A folder or a manifest is a data set: its table is written (dataset.csv, dataset.json).
        dataset_ = std::any_of(o_.inputs.begin(), o_.inputs.end(), [](const QString& p) {
            return isDatasetPath(p.toStdString());
        });
        table_.settings = datasetSettings(card_, o_.model.toStdString(), settings_, o_.width, o_.height);
        table_.shardIndex = o_.shard.index;
        table_.shardCount = o_.shard.count;
        std::vector<Input> images;
        for (const Input& in : all) {
            table_.inputsTotal += !in.video;
            if (inShard(in.name, o_.shard)) (in.video ? videos_ : images).push_back(in);
        }
        if (!o_.shard.all() && !o_.quiet)
            std::fprintf(stderr, "uvis-cli: shard %d/%d: %zu of %zu inputs\n", o_.shard.index, o_.shard.count,
                         images.size() + videos_.size(), all.size());
        QDir().mkpath(o_.out);
        if (o_.resume)
            if (const int removed = removeStalePartials(o_.out.toStdString()); removed > 0 && !o_.quiet)
                std::fprintf(stderr, "uvis-cli: --resume: removed %d unfinished result(s) of an interrupted run\n",
                             removed);
        keepOrQueue(images);
        count_ = static_cast<int>(todo_.size() + videos_.size());
        return -1;
    }

    void runImages() {
        const DecodeLimits limits = decodeLimits(o_);
        TruthPaths given;
        given.depth = o_.gtDepth.toStdString();
        given.labels = o_.gtLabels.toStdString();
        QElapsedTimer wall;
        wall.start();
        runPipeline<PreparedInput, ScoredInput>(
            todo_.size(), [&](std::size_t i) { return prepareInput(todo_[i], card_, limits, given); },
            [&](PreparedInput& p) { return score(p); },
            [&](PreparedInput&& p, ScoredInput&& s) { write(std::move(p), std::move(s)); });
        reportThroughput(static_cast<double>(wall.elapsed()));
    }

    void runVideos() {
        for (const Input& input : videos_) {
            if (stopRequested()) break;
            sayStarted(o_.quiet, ++started_, count_, input.path);
            if (const std::string problem = inferVideo(o_, engine_, settings_, input); !problem.empty()) {
                sayProblem(problem);
                ++failures_;
            }
        }
    }

    // The data set's table and the exit code.
    int finish() {
        if (stopRequested()) std::fprintf(stderr, "uvis-cli: interrupted; finished results are complete\n");
        if (dataset_ && stopRequested()) {  // a table on disk is a whole run's; --resume finishes this one
            std::fprintf(stderr,
                         "uvis-cli: no dataset.csv for an interrupted run: run again with --resume to finish it\n");
        } else if (dataset_) {  // an empty shard too: the merge needs every shard's table
            table_.sort();
            const std::string error = writeDatasetFiles(o_.out.toStdString(), table_, o_.overwrite || o_.resume);
            if (!error.empty()) {
                std::fprintf(stderr, "uvis-cli: %s\n", error.c_str());
                return Failure;
            }
            if (!o_.quiet)
                std::fprintf(stderr, "%swrote %s/dataset.csv and dataset.json\n", pooledSummaryText(table_).c_str(),
                             qPrintable(o_.out));
        }
        if (modelBroke_)
            std::fprintf(stderr,
                         "uvis-cli: the model failed while it ran (its own error is above): a model's failure, "
                         "exit %d\n",
                         BadModel);
        if (modelTooSlow_ || modelBroke_) return BadModel;
        if (failures_ > 0) {
            sayFailures(failures_);
            return BadInput;
        }
        return stopRequested() ? Failure : Ok;
    }

private:
    // --resume: complete results of these settings are kept, their rows read back; the rest is to do.
    void keepOrQueue(const std::vector<Input>& images) {
        for (const Input& in : images) {
            const std::string dir = resultDir(o_, in);
            if (o_.resume && !o_.overwrite && fs::exists(dir)) {
                std::string problem;
                if (auto row = keptRow(dir, resultKey(table_.settings, in.path), &problem)) {
                    table_.add(std::move(*row));
                    continue;
                }
                std::fprintf(stderr, "uvis-cli: %s\n", problem.c_str());
                table_.failed.emplace_back(in.name, problem);
                ++failures_;
                continue;
            }
            todo_.push_back(in);
        }
        if (o_.resume && !o_.quiet && todo_.size() < images.size())
            std::fprintf(stderr, "uvis-cli: --resume: %zu result(s) kept, %zu to do\n", images.size() - todo_.size(),
                         todo_.size());
    }

    // The engine's stage: nothing when stopped (nothing of this input is written).
    std::optional<ScoredInput> score(PreparedInput& p) {
        if (stopRequested()) return std::nullopt;
        {
            std::lock_guard<std::mutex> hold(lock_);
            sayStarted(o_.quiet, ++started_, count_, p.input.path);
        }
        ScoredInput s;
        if (!p.error.empty()) {
            s.error = p.error;
            return s;
        }
        if (!p.image.warning.empty()) {
            if (o_.strict) {
                s.error = strictRefusal(p.image.warning);
                return s;
            }
            std::fprintf(stderr, "uvis-cli: warning: %s\n", p.image.warning.c_str());
        }
        for (const std::string& w : p.truth.warnings) std::fprintf(stderr, "uvis-cli: warning: %s\n", w.c_str());
        // SIGINT/SIGTERM stop the run between MC chunks; so does the per-input time limit.
        QElapsedTimer clock;
        clock.start();
        bool tooSlow = false;
        s = runInput(p, engine_, card_, settings_, [&] {
            tooSlow = o_.inputTimeoutS > 0 && clock.elapsed() > o_.inputTimeoutS * 1000LL;
            return !stopRequested() && !tooSlow;
        });
        if (tooSlow) {
            modelTooSlow_ = true;
            s.cancelled = false;
            s.error = p.input.path + ": the model took more than " + std::to_string(o_.inputTimeoutS) +
                      " s on this input (--input-timeout); stopped";
            return s;
        }
        if (s.cancelled) return std::nullopt;
        return s;
    }

    // The writing stage: metrics and the row (beside the engine's next input), the result folder.
    void write(PreparedInput&& p, ScoredInput&& s) {
        if (!s.error.empty()) {
            if (s.result.modelFailed) modelBroke_ = true;  // the model's fault, not the input's
            return fail(p.input, s.error);
        }
        evaluateInput(p, &s);
        if (!o_.quiet && !s.metrics.empty()) {
            std::lock_guard<std::mutex> hold(lock_);
            reportMetrics(s.metrics);
        }
        ResultFolder folder{resultDir(o_, p.input), o_.width, o_.height, o_.maxMapSide, o_.overwrite};
        if (std::string e = writeScoredResult(folder, o_.model.toStdString(), card_, settings_, p, s,
                                              resultKey(table_.settings, p.input.path));
            !e.empty())
            return fail(p.input, e);
        std::lock_guard<std::mutex> hold(lock_);
        table_.add(std::move(s.row));
        engineMs_ += s.result.totalMs;
        ++analysed_;
        lastRssKb_ = residentKb();
        if (analysed_ == std::max<int>(1, static_cast<int>(todo_.size()) / 10)) firstRssKb_ = lastRssKb_;
    }

    void fail(const Input& in, const std::string& problem) {
        std::lock_guard<std::mutex> hold(lock_);
        sayProblem(problem);
        table_.failed.emplace_back(in.name, problem);
        ++failures_;
    }

    // The wall time of the images against the engine's own time for them, and the resident memory
    // after the first tenth and at the end (flat when nothing accumulates).
    void reportThroughput(double imagesMs) const {
        if (o_.quiet || analysed_ < 2) return;
        std::fprintf(stderr,
                     "uvis-cli: throughput: %d images in %.1f s = %.2f images/s; the engine alone took %.1f s "
                     "(%.2f images/s): %.2f of the engine-only rate; resident memory %.0f MiB after %d images, "
                     "%.0f MiB at the end\n",
                     analysed_, imagesMs / 1000, analysed_ * 1000.0 / imagesMs, engineMs_ / 1000,
                     analysed_ * 1000.0 / engineMs_, engineMs_ / imagesMs, firstRssKb_ / 1024.0,
                     std::max(1, static_cast<int>(todo_.size()) / 10), lastRssKb_ / 1024.0);
    }

    const InferOptions& o_;
    UncertaintyEngine& engine_;
    const ModelCard& card_;
    const SamplingSettings& settings_;
    bool dataset_ = false;
    DatasetTable table_;
    std::vector<Input> todo_, videos_;
    int count_ = 0;
    // Shared by the pipeline's stages: the table, the counts and stderr under lock_.
    std::mutex lock_;
    int failures_ = 0, started_ = 0, analysed_ = 0;
    double engineMs_ = 0;
    long firstRssKb_ = 0, lastRssKb_ = 0;
    // The model failed, or took longer than --input-timeout on an input: its fault, not the input's (exit 4).
    std::atomic<bool> modelBroke_{false}, modelTooSlow_{false};
};

}  // namespace

int runInfer(const InferOptions& o) {
    stopOnSignals();
    LoadedModel loaded;
    if (const int exit = loadRunModel(o, &loaded); exit >= 0) return exit;
    const ModelCard& card = modelCard(*loaded.model);
    SamplingSettings settings;
    if (const int exit = runSettings(o, card, &settings); exit >= 0) return exit;
    UncertaintyEngine engine(loaded.model);
    InferRun run(o, engine, card, settings);
    if (const int exit = run.plan(); exit >= 0) return exit;
    run.runImages();
    run.runVideos();
    return run.finish();
}

int runMerge(const QString& out, const QStringList& shardDirs, bool overwrite) {
    std::vector<DatasetTable> shards;
    std::vector<std::string> sources;
    for (const QString& dir : shardDirs) {
        const std::string path = QFileInfo(dir).isDir() ? QDir(dir).filePath("dataset.json").toStdString() : dir.toStdString();
        std::ifstream in(path);
        if (!in) {
            std::fprintf(stderr, "uvis-cli: %s: no dataset.json (run 'uvis-cli infer' on the shard first)\n", path.c_str());
            return BadInput;
        }
        const std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
        TableResult t = parseDatasetJson(text, path);
        if (!t.error.empty()) {
            std::fprintf(stderr, "uvis-cli: %s\n", t.error.c_str());
            return BadInput;
        }
        shards.push_back(std::move(t.table));
        sources.push_back(path);
    }
    TableResult merged = mergeShards(shards, sources);
    if (!merged.error.empty()) {
        std::fprintf(stderr, "uvis-cli: merge: %s\n", merged.error.c_str());
        return BadInput;
    }
    QDir().mkpath(out);
    if (std::string e = writeDatasetFiles(out.toStdString(), merged.table, overwrite); !e.empty()) {
        std::fprintf(stderr, "uvis-cli: %s\n", e.c_str());
        return Failure;
    }
    std::printf("%swrote %s/dataset.csv and dataset.json\n", pooledSummaryText(merged.table).c_str(), qPrintable(out));
    return Ok;
}

int runOod(const InferOptions& o, const QString& inDistribution, const QString& outOfDistribution) {
    LoadedModel loaded;
    if (const int exit = loadRunModel(o, &loaded); exit >= 0) return exit;
    const ModelCard& card = modelCard(*loaded.model);
    SamplingSettings settings;
    if (const int exit = runSettings(o, card, &settings); exit >= 0) return exit;
    UncertaintyEngine engine(loaded.model);
    // Per image: the mean of each epistemic map (depth variance, mutual information).
    struct Scores {
        std::vector<float> depth, mi;
        json images = json::array();
    };
    auto score = [&](const QString& folder, Scores* s) -> std::string {
        int failures = 0;
        for (const Input& input : collectInputs({folder}, &failures)) {
            if (input.video || stopRequested()) continue;
            RgbImageResult image = readImageWithinLimit(QString::fromStdString(input.path), o.maxPixels, o.maxMapSide);
            if (!image.error.empty()) return image.error;
            SamplingResult r = engine.run(toModelInput(image.image, card.input), settings);
            if (!r.ok()) return input.path + ": " + r.error;
            json entry{{"image", input.path}};
            if (r.maps.hasDepth) {
                s->depth.push_back(static_cast<float>(statistics(r.maps.depthEpistemicVar).mean));
                entry["depth_epistemic_var_mean"] = s->depth.back();
            }
            if (r.maps.hasSegmentation) {
                s->mi.push_back(static_cast<float>(statistics(r.maps.segMutualInfo).mean));
                entry["seg_mutual_info_mean"] = s->mi.back();
            }
            s->images.push_back(entry);
            if (!o.quiet) std::fprintf(stderr, "  %s\n", input.path.c_str());
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
    if (std::string e = writeFileAtomically(path, jsonText(doc, 2) + "\n", o.overwrite); !e.empty()) {
        std::fprintf(stderr, "uvis-cli: %s\n", e.c_str());
        return Failure;
    }
    std::printf("wrote %s\n", path.c_str());
    return Ok;
}

}  // namespace uvis::cli
