// uvis-cli's work library: the command the front (main.cpp) parsed, checked further and run.

#include <QCoreApplication>
#include <QFileInfo>

#include "cli_options.h"
#include "common/work_library.h"
#include "core/io/thread_pools.h"
#include "core/runtime/allocator_tuning.h"
#include "parsed_command.h"

namespace uvis::cli {
namespace {

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
    o->settings.temporalFresh = a.temporal;
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

int runCompareCommand(ParsedCommand& c) {
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
int runCommand(ParsedCommand& c) {
    switch (c.command) {
    case ParsedCommand::Merge: {
        QStringList dirs;
        for (const std::string& d : c.mergeShardDirs) dirs << QString::fromStdString(d);
        return runMerge(QString::fromStdString(c.mergeOut), dirs, c.mergeOverwrite);
    }
    case ParsedCommand::Info: return runInfo(QString::fromStdString(c.model), c.inProcess, c.timeout);
    case ParsedCommand::Validate: return runValidateModel(QString::fromStdString(c.model), c.inProcess, c.timeout);
    case ParsedCommand::Compare: return runCompareCommand(c);
    case ParsedCommand::Calibrate: {
        InferOptions o;
        c.calibrateRun.out = ".";  // unused: the calibration goes beside the model
        if (const int exit = toInferOptions(c.calibrateRun, false, &o); exit >= 0) return exit;
        return runCalibrate(o, c.calibrateRun.inputs[0], c.calibrateRun.probes);
    }
    case ParsedCommand::Infer:
    case ParsedCommand::Ood: break;
    }
    const bool isOod = c.command == ParsedCommand::Ood;
    InferOptions o;
    if (const int exit = toInferOptions(isOod ? c.oodRun : c.run, isOod, &o); exit >= 0) return exit;
    return isOod ? runOod(o, o.inputs[0], o.inputs[1]) : runInfer(o);
}

int run(int& argc, char** argv, const ParsedCommand& parsed) {
    tuneAllocatorForInference();
    QCoreApplication qapp(argc, argv);  // resource paths are found beside the executable
    QCoreApplication::setApplicationName("uvis-cli");
    setComputeThreads(parsed.threads);
    ParsedCommand c = parsed;
    return runCommand(c);
}

}  // namespace
}  // namespace uvis::cli

UVIS_WORK_ENTRY(uvis::cli::ParsedCommand, uvis::cli::run)
