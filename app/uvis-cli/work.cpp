// uvis-cli's work library: the command the front (main.cpp) parsed, checked further and run.

#include <QCoreApplication>
#include <QFileInfo>

#include <cstdio>
#include <cstdlib>

#include "cli_options.h"
#include "infer_args.h"
#include "common/work_library.h"
#include "core/io/thread_pools.h"
#include "core/runtime/allocator_tuning.h"
#include "parsed_command.h"

namespace uvis::cli {
namespace {

// -1 and `o` filled, or the exit code of a usage error (said on stderr).
int toInferOptions(const RunArgs& a, bool ood, InferOptions* o) {
    const std::string problem = readInferOptions(a, ood, o);
    return problem.empty() ? -1 : usage(problem);
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

// The end of every uvis-cli command: what it wrote is closed by now, and what is left to destroy
// is LibTorch's, OpenCV's and Qt's static state — 0.2 s or more of every run for nothing the
// system does not release (in the forked child that ran a checked model every page those
// destructors touch is copied first). Sanitizer builds end normally, for their leak check.
int endNow(int exitCode) {
#if defined(__SANITIZE_ADDRESS__) || defined(__SANITIZE_THREAD__)
    return exitCode;
#else
    std::fflush(nullptr);
    std::_Exit(exitCode);
#endif
}

int run(int& argc, char** argv, const ParsedCommand& parsed) {
    tuneAllocatorForInference();
    QCoreApplication qapp(argc, argv);  // resource paths are found beside the executable
    QCoreApplication::setApplicationName("uvis-cli");
    setComputeThreads(parsed.threads);
    ParsedCommand c = parsed;
    return endNow(runCommand(c));
}

}  // namespace
}  // namespace uvis::cli

UVIS_WORK_ENTRY(uvis::cli::ParsedCommand, uvis::cli::run)
