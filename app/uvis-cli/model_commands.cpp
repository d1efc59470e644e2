// uvis-cli info / validate-model, and where the bundled model lives.

#include <QCoreApplication>
#include <QDir>
#include <QFileInfo>

#include <cstdio>

#include "cli_options.h"
#include "core/model_validation.h"
#include "core/services/model_guard.h"
#include "core/services/resource_paths.h"

namespace uvis::cli {

QString defaultModelPath() { return bundledModelPath(); }

namespace {

// This program checking `model` in a child process: its verdict (the child's report, or what
// happened to it: a crash, a hang past the limit).
GuardVerdict checkInChildProcess(const QString& model, int timeoutS) {
    return validateInChildProcess(
        model, ValidatorCommand{QCoreApplication::applicationFilePath(), {"validate-model", "--in-process"}},
        timeoutS * 1000);
}

}  // namespace

int runValidateModel(const QString& model, bool inProcess, int timeoutS) {
    if (!inProcess) {
        const GuardVerdict v = checkInChildProcess(model, timeoutS);
        std::fprintf(v.ok ? stdout : stderr, "%s\n", qPrintable(v.message));
        return v.ok ? Ok : BadModel;
    }
    const ModelReport report = validateModel(model.toStdString());
    std::fputs(formatReport(report).c_str(), report.ok ? stdout : stderr);
    return report.ok ? Ok : BadModel;
}

int runInfo(const QString& model, bool inProcess, int timeoutS) {
    if (!inProcess) {
        // Only a model that loaded and ran in the child is opened here.
        const GuardVerdict v = checkInChildProcess(model, timeoutS);
        if (!v.ok) {
            std::fprintf(stderr, "%s\n", qPrintable(v.message));
            return BadModel;
        }
    }
    const ModelReport report = validateModel(model.toStdString());
    // A refusal goes to stderr, as validate-model's does; the card of a good model to stdout.
    std::fputs(formatReport(report).c_str(), report.ok ? stdout : stderr);
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
        const GuardVerdict v = checkInChildProcess(o.model, o.checkTimeoutS);
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
    return -1;
}

}  // namespace uvis::cli
