#include "core/services/sessions/model_guard.h"

#include <QCoreApplication>
#include <QDeadlineTimer>
#include <QProcess>

#include <algorithm>

#include <csignal>
#include <sys/prctl.h>

namespace uvis {

GuardVerdict validateInChildProcess(const QString& modelPath, const ValidatorCommand& validator, int timeoutMs,
                                    const std::function<bool()>& cancelled) {
    GuardVerdict verdict;
    QProcess child;
    child.setProcessChannelMode(QProcess::MergedChannels);
    // The check dies with the thread that waits for it (Linux): a check stopped at its time
    // limit takes a check it started itself along, and none outlives a crashed parent.
    child.setChildProcessModifier([] { ::prctl(PR_SET_PDEATHSIG, SIGKILL); });
    child.start(validator.program, validator.args + QStringList{modelPath});
    if (!child.waitForStarted(10000)) {
        verdict.message = modelPath + ": cannot check the model: the check process " + validator.program +
                          " did not start (" + child.errorString() + ")";
        return verdict;
    }
    // In slices, so that an owner going away (the window closing) need not wait for a slow check.
    constexpr int kSliceMs = 100;
    QDeadlineTimer deadline(timeoutMs);
    bool finished = false;
    while (!(finished = child.waitForFinished(static_cast<int>(std::min<qint64>(kSliceMs, deadline.remainingTime())))) &&
           !deadline.hasExpired())
        if (cancelled && cancelled()) {
            child.kill();
            child.waitForFinished(5000);
            verdict.message = modelPath + ": the check was cancelled; the model was not loaded";
            return verdict;
        }
    if (!finished) {
        child.kill();
        child.waitForFinished(5000);
        verdict.message = modelPath + ": the model did not finish loading and running within " +
                          QString::number(timeoutMs / 1000.0, 'g', 3) + " s (the check was stopped); it was not loaded. "
                          "A large model may need longer: uvis-cli infer --timeout SECONDS gives the check more "
                          "time (validate-model takes --timeout too), and --trust-model skips it for a model you "
                          "trust";
        return verdict;
    }
    const QString report = QString::fromUtf8(child.readAll()).trimmed();
    if (child.exitStatus() == QProcess::CrashExit) {
        verdict.message = modelPath + ": checking this model crashed the separate check process (a malformed or "
                                      "malicious file); it was not loaded" +
                          (report.isEmpty() ? QString() : "\n" + report);
        return verdict;
    }
    verdict.ok = child.exitCode() == 0;
    verdict.message = report.isEmpty() ? modelPath + ": the check exited with code " + QString::number(child.exitCode())
                                       : report;
    return verdict;
}

ValidatorCommand selfValidator() { return {QCoreApplication::applicationFilePath(), {"--check-model"}}; }

}  // namespace uvis
