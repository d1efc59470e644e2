// uvis-cli info / validate-model, and where the bundled model lives.

#include <QCoreApplication>
#include <QDir>
#include <QFileInfo>

#include <cstdio>
#include <cstdlib>

#include "cli_options.h"
#include "stop_signal.h"
#include "core/model/model_validation.h"
#include "core/model/model_methods.h"
#include "core/services/sessions/model_guard.h"
#include "core/services/settings/resource_paths.h"

namespace uvis::cli {

namespace {

// This program running `command` on a model in a child process (the child loads it here).
ValidatorCommand childCommand(const QString& command) {
    return {QCoreApplication::applicationFilePath(), {command, "--in-process"}};
}

// A check's verdict relayed (stdout when good, stderr when refused), and its exit code: a crash or
// a hang of LibTorch on a hostile file is a refusal, not ours.
int relay(const GuardVerdict& v) {
    std::fprintf(v.ok ? stdout : stderr, "%s\n", qPrintable(v.message));
    return v.ok ? Ok : BadModel;
}

// A user's model checked before this program loads it: in a fork of this process that, when the
// model passes, goes on with the run (this process then only waits, says how the run ended and
// exits with its code), or, in a process with threads, in a new process. -1: go on here (the
// model passed; `report`, when given, is the check's report, and `checked` the model the check
// loaded on the CPU, when it ran in this process); else the exit code, said on stderr.
int checkBeforeLoading(const QString& model, int timeoutS, const char* refusedPrefix, QString* report,
                       LoadedModel* checked = nullptr) {
    CheckedRun run = checkThenRunInForkedChild(model, timeoutS * 1000, stopRequested);
    if (run.role == CheckedRun::Parent && run.verdict.ok) {  // the child has checked the model and run
        if (run.exitCode < 0) std::fprintf(stderr, "uvis-cli: %s: %s\n", qPrintable(model), qPrintable(run.crash));
        // This process only waited: it has nothing to release that the system does not, and
        // LibTorch's static destructors alone take 0.2 s. It ends now, with the run's exit code.
        std::fflush(stdout);
        std::fflush(stderr);
        std::_Exit(run.exitCode < 0 ? BadModel : run.exitCode);
    }
    const GuardVerdict v = run.role == CheckedRun::NotForked
                               ? validateInChildProcess(model, childCommand("validate-model"), timeoutS * 1000)
                               : run.verdict;
    if (!v.ok) {
        std::fprintf(stderr, "uvis-cli: %s%s\n", refusedPrefix, qPrintable(v.message));
        return BadModel;
    }
    if (report) *report = v.message;
    if (checked) *checked = std::move(run.model);
    return -1;
}

}  // namespace

int runValidateModel(const QString& model, bool inProcess, int timeoutS) {
    if (inProcess) return validateAndPrint(model.toStdString()).ok ? Ok : BadModel;
    QString report;
    if (const int exit = checkBeforeLoading(model, timeoutS, "", &report); exit >= 0) return exit;
    std::printf("%s\n", qPrintable(report));  // the run of a check alone: saying that it passed
    return Ok;
}

int runInfo(const QString& model, bool inProcess, int timeoutS) {
    // info prints more than the check: this program runs it in a new process.
    if (!inProcess) return relay(validateInChildProcess(model, childCommand("info"), timeoutS * 1000));
    const ModelReport report = validateAndPrint(model.toStdString());
    if (report.ok && !report.kind.empty()) {
        std::printf("  classes:");
        for (const auto& c : report.card.classes) std::printf(" %s", c.name.c_str());
        std::printf("\n  fast path: %s\n  card:\n%s\n", report.fastPath ? "yes" : "no", modelCardToJson(report.card).c_str());
    }
    return report.ok ? Ok : BadModel;
}

int loadRunModel(const InferOptions& o, LoadedModel* loaded) {
    const bool bundled = QFileInfo(o.model).canonicalFilePath() == QFileInfo(defaultModelPath()).canonicalFilePath();
    LoadedModel checked;
    if (!o.trustModel && !bundled)
        if (const int exit = checkBeforeLoading(o.model, o.checkTimeoutS, "the model was refused before any input was read:\n",
                                                nullptr, &checked);
            exit >= 0)
            return exit;
    // The model as the check loaded it, when the check ran in this process on the same device.
    *loaded = checked && o.settings.device == DeviceKind::Cpu ? std::move(checked)
                                                              : loadModel(o.model.toStdString(), o.settings.device);
    if (!*loaded) {
        std::fprintf(stderr, "uvis-cli: %s\n", loaded->error.c_str());
        return BadModel;
    }
    if (!loaded->warning.empty()) std::fprintf(stderr, "uvis-cli: %s\n", loaded->warning.c_str());
    const ModelCard& card = modelCard(*loaded->model);
    if (const std::string why = methodUnavailableReason(o.settings.method, card); !why.empty()) {
        const UncertaintyMethod other = defaultMethod(card);
        std::fprintf(stderr, "uvis-cli: --method %s: %s (%s)\n", methodName(o.settings.method), why.c_str(),
                     needsEnsemble(o.settings.method)
                         ? "give -m an ensemble card (*.json with \"uvis_ensemble\") or a folder of member models"
                         : (std::string("run with --method ") + methodName(other)).c_str());
        return BadUsage;
    }
    return -1;
}

}  // namespace uvis::cli
