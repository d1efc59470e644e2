#include "core/services/model_guard.h"

#include <QCoreApplication>
#include <QDir>
#include <QFileInfo>
#include <QProcess>
#include <QStandardPaths>

namespace uvis {

GuardVerdict validateInChildProcess(const QString& modelPath, const QString& validator, int timeoutMs) {
    GuardVerdict verdict;
    QProcess child;
    child.setProcessChannelMode(QProcess::MergedChannels);
    child.start(validator, {"validate-model", modelPath});
    if (!child.waitForStarted(10000)) {
        verdict.message = modelPath + ": cannot check the model: the validator " + validator + " did not start (" +
                          child.errorString() + ")";
        return verdict;
    }
    if (!child.waitForFinished(timeoutMs)) {
        child.kill();
        child.waitForFinished(5000);
        verdict.message = modelPath + ": the model did not finish loading and running within " +
                          QString::number(timeoutMs / 1000) + " s; it was not loaded";
        return verdict;
    }
    const QString report = QString::fromUtf8(child.readAll()).trimmed();
    if (child.exitStatus() == QProcess::CrashExit) {
        verdict.message = modelPath + ": loading this model crashed LibTorch in a separate check process "
                                      "(a malformed or malicious file); it was not loaded" +
                          (report.isEmpty() ? QString() : "\n" + report);
        return verdict;
    }
    verdict.ok = child.exitCode() == 0;
    verdict.message = report.isEmpty() ? modelPath + ": the validator exited with code " + QString::number(child.exitCode())
                                       : report;
    return verdict;
}

QString defaultValidator() {
    const QString sibling = QDir(QCoreApplication::applicationDirPath()).filePath("uvis-cli");
    if (QFileInfo(sibling).isExecutable()) return sibling;
    const QString onPath = QStandardPaths::findExecutable("uvis-cli");
    return onPath.isEmpty() ? sibling : onPath;
}

}  // namespace uvis
