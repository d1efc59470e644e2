// uvis-cli: batch inference and model checks, no display needed.
//   uvis-cli infer [options] INPUT...     images, folders, videos, manifests; --shard, --resume
//   uvis-cli merge OUT SHARD_DIR...       shards' dataset.json into one
//   uvis-cli ood [options] IN OUT         how well epistemic uncertainty separates two folders
//   uvis-cli info MODEL
//   uvis-cli validate-model MODEL         exit 0 only for a model that meets the contract
// CLI11, like the other uvis programs; exit codes 0 success, 2 usage, 3 bad input, 4 bad model.

#include <QCoreApplication>
#include <QFileInfo>

#include <algorithm>
#include <cstdio>

#include "cli_options.h"
#include "common/command_line.h"
#include "core/runtime/allocator_tuning.h"
#include "core/io/thread_pools.h"

using namespace uvis;
using namespace uvis::cli;

namespace {

int usage(const std::string& message) {
    std::fprintf(stderr, "uvis-cli: %s\nRun with --help for more information.\n", message.c_str());
    return BadUsage;
}

bool parseSize(const std::string& text, int* w, int* h) {
    const QStringList parts = QString::fromStdString(text).split('x');
    bool okW = false, okH = false;
    if (parts.size() == 2) {
        *w = parts[0].toInt(&okW);
        *h = parts[1].toInt(&okH);
    }
    return okW && okH && *w >= 8 && *h >= 8 && *w <= 16384 && *h <= 16384;
}

bool parseFrames(const std::string& text, int* first, int* last) {
    const QStringList parts = QString::fromStdString(text).split(':');
    if (parts.size() != 2) return false;
    bool ok = true;
    *first = parts[0].isEmpty() ? 0 : parts[0].toInt(&ok);
    if (!ok || *first < 0) return false;
    *last = parts[1].isEmpty() ? -1 : parts[1].toInt(&ok);
    return ok && (*last == -1 || *last > *first);
}

// The options infer and ood share, as they are typed.
struct RunArgs {
    std::string model, method = "mc", device = "cpu", precision = "fp32", size, out = "uvis-out", frames, gtDepth,
        gtLabels;
    int samples = 16, noise = 0, every = 1;
    double dropout = -1;
    unsigned long long seed = 0;
    bool rawMaps = false, overwrite = false, quiet = false, noGt = false, trustModel = false;
    int timeout = 60, inputTimeout = 600;
    long long maxPixels = 50'000'000;
    bool strict = false, resume = false, noCalibration = false;
    int probes = 4000;
    std::string shard;
    int shardCount = 0;
    std::vector<std::string> inputs;
};

// How long the child-process check of a model may take before it is stopped (a model that hangs).
void addTimeoutOption(CLI::App* c, int& seconds) {
    c->add_option("--timeout", seconds, "Seconds the model check may take (default 60)")->check(CLI::Range(1, 86400));
}

void addRunOptions(CLI::App* c, RunArgs& a) {
    c->add_option("-m,--model", a.model, "Model file (default: the bundled demo model)")->check(uvis::app::NonEmpty());
    c->add_option("--method", a.method,
                  "Uncertainty method: mc (MC dropout), ensemble (one pass per member), ensemble-mc (T dropout "
                  "passes per member) or tta (test-time augmentation); the ensembles need -m ENSEMBLE.json or a "
                  "folder of member models (default mc)")
        ->check(CLI::IsMember({"mc", "ensemble", "ensemble-mc", "tta"}));
    c->add_option("-T,--samples", a.samples, "MC samples T, 1–4096 (default 16; per member for ensemble-mc)")
        ->check(CLI::Range(1, 4096));
    c->add_option("-p,--dropout", a.dropout, "Dropout rate p in [0, 1) (default: the card's train_p)")
        ->check(uvis::app::FiniteRange(0.0, 0.999999));
    c->add_option("--noise-samples", a.noise,
                  "Logit-noise draws per pass for p_t (Kendall & Gal eq. 12; default 0: softmax)")
        ->check(CLI::Range(0, 1024));
    c->add_option("--seed", a.seed, "Sampling seed (default 0)")
        ->check(uvis::app::WholeNumber());
    c->add_flag("--no-calibration", a.noCalibration,
                "Ignore <model>.calibration.json (uvis-cli calibrate); by default its fit for the method is applied");
    c->add_option("--device", a.device, "cpu or cuda (default cpu)")->check(CLI::IsMember({"cpu", "cuda"}));
    c->add_option("--precision", a.precision,
                  "Arithmetic of the passes: fp32, or bf16 where the CPU (AVX512-BF16) or GPU has it — faster, the "
                  "statistics still in fp32 (default fp32; docs/performance.md has the measured difference)")
        ->check(CLI::IsMember({"fp32", "bf16"}));
    c->add_option("--size", a.size, "Size WxH of written maps, 8–16384 per side (default: each input's size)");
    c->add_option("-o,--out", a.out, "Output folder (default uvis-out)");
    c->add_option("--frames", a.frames, "Videos: frames A:B (B exclusive; either may be empty)");
    c->add_option("--every", a.every, "Videos: analyse every N-th frame (default 1)")->check(CLI::PositiveNumber);
    c->add_flag("--raw-maps", a.rawMaps, "Videos: also write the raw maps of every analysed frame");
    c->add_flag("--overwrite", a.overwrite, "Replace existing result folders");
    c->add_flag("-q,--quiet", a.quiet, "No progress on stderr");
    c->add_option("--gt-depth", a.gtDepth,
                  "Depth ground truth of the (one) input image: 16-bit PNG in mm, .npy in m, or EXR");
    c->add_option("--gt-labels", a.gtLabels,
                  "Label ground truth of the (one) input image: index or palette PNG, or uint8 .npy (255 = ignore)");
    c->add_flag("--no-gt", a.noGt, "Do not look for ground truth beside the inputs");
    c->add_flag("--trust-model", a.trustModel,
                "Load the model directly, without first checking it in a child process (the bundled model "
                "is always trusted)");
    addTimeoutOption(c, a.timeout);
    c->add_option("--input-timeout", a.inputTimeout,
                  "Seconds one image may take before the run is stopped as a model failure (default 600; 0: none)")
        ->check(CLI::Range(0, 86400));
    c->add_option("--max-pixels", a.maxPixels,
                  "Refuse images with more pixels than this, from their header, before decoding (default 50000000)")
        ->check(CLI::Range(1LL, 4'000'000'000LL));
    c->add_flag("--strict", a.strict, "Refuse an input that decodes only in part (a truncated JPEG) instead of warning");
}

// Data sets: resuming and sharding (infer only).
void addDatasetOptions(CLI::App* c, RunArgs& a) {
    c->add_flag("--resume", a.resume,
                "Keep the complete results in -o made with the same model, settings and input files; do the rest");
    c->add_option("--shard", a.shard,
                  "Process shard I/N of the inputs (0 ≤ I < N, by a stable hash of each input's path), or auto: "
                  "Slurm's SLURM_ARRAY_TASK_ID/COUNT or Kubernetes' JOB_COMPLETION_INDEX")
        ->check(uvis::app::NonEmpty());
    c->add_option("--shard-count", a.shardCount, "N for --shard auto under Kubernetes (the Job's completions)")
        ->check(CLI::Range(1, 100000));
}

// -1 and `o` filled, or the exit code of a usage error.
int toInferOptions(const RunArgs& a, bool ood, InferOptions* o) {
    for (const std::string& input : a.inputs) o->inputs << QString::fromStdString(input);
    if (o->inputs.isEmpty()) return usage("infer needs at least one INPUT");
    if (ood && o->inputs.size() != 2) return usage("ood takes two folders: IN-DISTRIBUTION OUT-OF-DISTRIBUTION");
    o->model = a.model.empty() ? defaultModelPath() : QString::fromStdString(a.model);
    o->settings.samples = a.samples;
    parseMethod(a.method, &o->settings.method);
    if (a.dropout > 0 && o->settings.method == UncertaintyMethod::Ensemble)
        return usage("--method ensemble runs every member at p = 0; use --method ensemble-mc for dropout inside the members");
    if (a.dropout >= 0) {
        o->settings.dropout = a.dropout;
        o->dropoutGiven = true;
    }
    o->settings.noiseSamples = a.noise;
    o->calibrate = !a.noCalibration;
    o->settings.seed = a.seed;
    parseDeviceKind(a.device, &o->settings.device);
    parsePrecision(a.precision, &o->settings.precision);
    if (!a.size.empty() && !parseSize(a.size, &o->width, &o->height))
        return usage("--size must be WxH with 8–16384 pixels per side, e.g. 640x480");
    if (!a.frames.empty() && !parseFrames(a.frames, &o->firstFrame, &o->lastFrame))
        return usage("--frames must be A:B with 0 ≤ A < B");
    o->every = a.every;
    if (a.out.empty()) return usage("-o/--out must name a folder (it is empty)");
    o->out = QString::fromStdString(a.out);
    o->rawMaps = a.rawMaps;
    o->overwrite = a.overwrite;
    o->quiet = a.quiet;
    o->gtDepth = QString::fromStdString(a.gtDepth);
    o->gtLabels = QString::fromStdString(a.gtLabels);
    o->findTruth = !a.noGt;
    o->trustModel = a.trustModel;
    o->checkTimeoutS = a.timeout;
    o->inputTimeoutS = a.inputTimeout;
    o->maxPixels = a.maxPixels;
    o->strict = a.strict;
    o->resume = a.resume;
    if (!a.shard.empty()) {
        const ShardResult shard = a.shard == "auto" ? shardFromEnvironment(a.shardCount) : parseShard(a.shard);
        if (!shard.error.empty()) return usage(shard.error);
        o->shard = shard.shard;
    } else if (a.shardCount > 0) {
        return usage("--shard-count belongs to --shard auto");
    }
    if (o->resume && o->overwrite) return usage("--resume keeps results and --overwrite replaces them: choose one");
    if ((!a.gtDepth.empty() || !a.gtLabels.empty()) && (o->inputs.size() != 1 || QFileInfo(o->inputs[0]).isDir()))
        return usage("--gt-depth and --gt-labels belong to exactly one input image");
    return -1;
}

// Every command's options as typed, and which command was given.
struct Commands {
    int threads = 0;
    RunArgs run, oodRun, calibrateRun, compareRun;
    std::vector<int> compareMc{8, 16, 32};
    int compareTta = 8, compareEnsembleMc = 8;
    std::vector<std::string> compareEnsembles;
    std::string compareFit, compareJson;
    std::string mergeOut;
    std::vector<std::string> mergeShardDirs;
    bool mergeOverwrite = false;
    std::string model;  // info and validate-model
    bool inProcess = false;
    int timeout = 60;
    CLI::App *infer = nullptr, *ood = nullptr, *calibrate = nullptr, *compare = nullptr, *merge = nullptr,
             *info = nullptr, *validate = nullptr;
};

void defineCommands(CLI::App& app, Commands& c) {
    app::addVersionFlag(app, "uvis-cli");
    app.require_subcommand(1);
    app.add_option("--threads", c.threads, "CPU threads for LibTorch and OpenCV (default: all cores)")
        ->check(CLI::Range(0, 1024));

    c.infer = app.add_subcommand("infer", "images, folders of images, or videos → maps, pictures, summaries");
    addRunOptions(c.infer, c.run);
    addDatasetOptions(c.infer, c.run);
    c.infer->add_option("inputs", c.run.inputs,
                        "images, videos, folders (searched recursively) or manifests (.csv/.json); a folder or a "
                        "manifest also gives OUT/dataset.csv and dataset.json")
        ->required();
    c.ood = app.add_subcommand("ood", "how well mean epistemic uncertainty separates two image folders (AUROC)");
    addRunOptions(c.ood, c.oodRun);
    c.ood->add_option("folders", c.oodRun.inputs, "IN-DISTRIBUTION OUT-OF-DISTRIBUTION")->required()->expected(2);
    c.calibrate = app.add_subcommand(
        "calibrate", "fit a temperature (segmentation) and a variance scale (depth) on a folder with ground truth; "
                     "writes <model>.calibration.json beside the model, which infer and the application apply");
    addRunOptions(c.calibrate, c.calibrateRun);
    c.calibrate->add_option("--data", c.calibrateRun.inputs,
                            "folder or manifest with ground truth (even images fit, odd ones check)")
        ->required()->expected(1);
    c.calibrate->add_option("--probes", c.calibrateRun.probes, "pixels with truth sampled per fit image (default 4000)")
        ->check(CLI::Range(1, 1000000));
    c.compare = app.add_subcommand(
        "compare", "uncertainty methods side by side on two domains (AUSE, NLL, coverage, ECE, error AUROC, OOD AUROC, "
                   "time), each with and without a calibration fitted on --fit");
    addRunOptions(c.compare, c.compareRun);
    c.compare->add_option("--mc-samples", c.compareMc, "T of the MC dropout rows (default 8 16 32)")
        ->check(CLI::Range(1, 4096));
    c.compare->add_option("--tta-samples", c.compareTta, "T of the TTA row (default 8; 0: none)")->check(CLI::Range(0, 4096));
    c.compare->add_option("--ensemble", c.compareEnsembles, "an ensemble card or folder (repeatable): ensemble rows");
    c.compare->add_option("--ensemble-mc-samples", c.compareEnsembleMc,
                          "T per member of the ensemble + MC rows (default 8; 0: none)")
        ->check(CLI::Range(0, 4096));
    c.compare->add_option("--fit", c.compareFit, "folder with ground truth to fit each row's calibration on");
    c.compare->add_option("--json", c.compareJson, "also write the rows as JSON here");
    c.compare->add_option("domains", c.compareRun.inputs, "DOMAIN-A DOMAIN-B (folders with ground truth)")
        ->required()->expected(2);
    c.merge = app.add_subcommand("merge", "the dataset.json of each shard of a run into one dataset.csv/json");
    c.merge->add_option("out", c.mergeOut, "folder for the merged dataset.csv and dataset.json")->required()
        ->check(uvis::app::NonEmpty());
    c.merge->add_option("shards", c.mergeShardDirs, "the shards' output folders (or their dataset.json)")->required();
    c.merge->add_flag("--overwrite", c.mergeOverwrite, "Replace an existing merged table");
    c.info = app.add_subcommand("info", "the model card, outputs and whether the fast path applies");
    c.validate = app.add_subcommand("validate-model", "exit 0 only for a model that meets the uvis contract");
    for (CLI::App* sub : {c.info, c.validate}) {
        sub->add_option("model", c.model, "model file")->required();
        addTimeoutOption(sub, c.timeout);
        // The child process itself: load and run the model here.
        sub->add_flag("--in-process", c.inProcess)->group("");
    }
    for (CLI::App* sub : {c.infer, c.ood, c.info, c.validate, c.merge, c.calibrate, c.compare})
        sub->fallthrough();  // --threads after the command too
}

// Says which word was wrong rather than CLI11's "a subcommand is required": the exit code of that
// usage error, or -1 when a command (or --help, --version) is there.
int checkCommandWord(CLI::App& app, int argc, char** argv) {
    auto isCommand = [&](const char* word) {
        return !app.get_subcommands([&](CLI::App* c) { return c->check_name(word); }).empty();
    };
    auto asksForHelp = [](const char* a) {
        return std::string(a) == "--help" || std::string(a) == "-h" || std::string(a) == "--version";
    };
    if (std::any_of(argv + 1, argv + argc, isCommand) || std::any_of(argv + 1, argv + argc, asksForHelp)) return -1;
    if (argc > 1 && argv[1][0] != '-')
        return usage(std::string("unknown command '") + argv[1] + "': infer, calibrate, compare, merge, ood, info or validate-model");
    return usage("no command given: infer, calibrate, compare, merge, ood, info or validate-model");
}

int runCompareCommand(Commands& c) {
    CompareOptions o;
    c.compareRun.out = ".";  // unused: the table goes to stdout (and --json)
    if (const int exit = toInferOptions(c.compareRun, true, &o.base); exit >= 0) return exit;
    o.mcSamples = c.compareMc;
    o.ttaSamples = c.compareTta;
    for (const auto& e : c.compareEnsembles) o.ensembles << QString::fromStdString(e);
    o.ensembleMcSamples = c.compareEnsembleMc;
    o.fit = c.compareFit;
    o.json = c.compareJson;
    o.domainA = c.compareRun.inputs[0];
    o.domainB = c.compareRun.inputs[1];
    return runCompare(o);
}

// The command that was given, run.
int runCommand(Commands& c) {
    if (c.merge->parsed()) {
        QStringList dirs;
        for (const std::string& d : c.mergeShardDirs) dirs << QString::fromStdString(d);
        return runMerge(QString::fromStdString(c.mergeOut), dirs, c.mergeOverwrite);
    }
    if (c.info->parsed()) return runInfo(QString::fromStdString(c.model), c.inProcess, c.timeout);
    if (c.validate->parsed()) return runValidateModel(QString::fromStdString(c.model), c.inProcess, c.timeout);
    if (c.compare->parsed()) return runCompareCommand(c);
    if (c.calibrate->parsed()) {
        InferOptions o;
        c.calibrateRun.out = ".";  // unused: the calibration goes beside the model
        if (const int exit = toInferOptions(c.calibrateRun, false, &o); exit >= 0) return exit;
        return runCalibrate(o, c.calibrateRun.inputs[0], c.calibrateRun.probes);
    }
    const bool isOod = c.ood->parsed();
    InferOptions o;
    if (const int exit = toInferOptions(isOod ? c.oodRun : c.run, isOod, &o); exit >= 0) return exit;
    return isOod ? runOod(o, o.inputs[0], o.inputs[1]) : runInfer(o);
}

}  // namespace

int main(int argc, char** argv) {
    tuneAllocatorForInference();
    QCoreApplication qapp(argc, argv);  // resource paths are found beside the executable
    QCoreApplication::setApplicationName("uvis-cli");
    CLI::App app{"uvis-cli: Monte-Carlo dropout depth and segmentation with aleatoric and epistemic uncertainty.\n"
                 "Ground truth: beside <id>_rgb.png (or <id>.png), <id>_depth.{npy,png,exr} and <id>_labels.{png,npy}\n"
                 "are found and evaluated; summary.json then holds \"metrics\".\n"
                 "Exit codes: 0 success, 2 bad usage, 3 bad input file, 4 bad model."};
    Commands commands;
    defineCommands(app, commands);
    if (const int exit = checkCommandWord(app, argc, argv); exit >= 0) return exit;
    if (const int exit = app::parseCommandLine(app, argc, argv); exit >= 0) return exit;
    setComputeThreads(commands.threads);
    return runCommand(commands);
}
