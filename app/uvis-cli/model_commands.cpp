// uvis-cli info / validate-model, and where the bundled model lives.

#include <QCoreApplication>
#include <QDir>
#include <QFileInfo>

#include <cstdio>

#include "cli_options.h"
#include "core/model/model_validation.h"
#include "core/model/model_methods.h"
#include "core/services/sessions/model_guard.h"
#include "core/services/settings/resource_paths.h"

namespace uvis::cli {

QString defaultModelPath() { return bundledModelPath(); }

namespace {

// This program running `command` on a model in a child process (the child loads it here).
ValidatorCommand childCommand(const QString& command) {
    return {QCoreApplication::applicationFilePath(), {command, "--in-process"}};
}

// `command` (validate-model or info) run by this program in a child process under the time limit,
// its output relayed: a crash or a hang of LibTorch on a hostile file is a refusal, not ours.
int runInChildProcess(const QString& command, const QString& model, int timeoutS) {
    const GuardVerdict v = validateInChildProcess(model, childCommand(command), timeoutS * 1000);
    std::fprintf(v.ok ? stdout : stderr, "%s\n", qPrintable(v.message));
    return v.ok ? Ok : BadModel;
}

}  // namespace

int runValidateModel(const QString& model, bool inProcess, int timeoutS) {
    if (!inProcess) return runInChildProcess("validate-model", model, timeoutS);
    return validateAndPrint(model.toStdString()).ok ? Ok : BadModel;
}

int runInfo(const QString& model, bool inProcess, int timeoutS) {
    if (!inProcess) return runInChildProcess("info", model, timeoutS);
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
    if (!o.trustModel && !bundled) {
        const GuardVerdict v = validateInChildProcess(o.model, childCommand("validate-model"), o.checkTimeoutS * 1000);
        if (!v.ok) {
            std::fprintf(stderr, "uvis-cli: the model was refused before any input was read:\n%s\n", qPrintable(v.message));
            return BadModel;
        }
    }
    *loaded = loadModel(o.model.toStdString(), o.settings.device);
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
