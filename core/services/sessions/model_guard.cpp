#include "core/services/sessions/model_guard.h"

#include <QCoreApplication>
#include <QDeadlineTimer>
#include <QProcess>

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <iterator>

#include <csignal>
#include <fcntl.h>
#include <poll.h>
#include <sys/syscall.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include "core/model/model_validation.h"

namespace uvis {

namespace {

// How a check ended, however it ran.
struct CheckOutcome {
    bool timedOut = false;
    bool crashed = false;
    int exitCode = -1;
    QString report;  // what the check printed
};

GuardVerdict verdictOf(const QString& modelPath, const CheckOutcome& outcome, int timeoutMs) {
    GuardVerdict verdict;
    if (outcome.timedOut) {
        verdict.message = modelPath + ": the model did not finish loading and running within " +
                          QString::number(timeoutMs / 1000.0, 'g', 3) + " s (the check was stopped); it was not loaded. "
                          "A large model may need longer: uvis-cli infer --timeout SECONDS gives the check more "
                          "time (validate-model takes --timeout too), and --trust-model skips it for a model you "
                          "trust";
        return verdict;
    }
    const QString report = outcome.report.trimmed();
    if (outcome.crashed) {
        verdict.message = modelPath + ": checking this model crashed the separate check process (a malformed or "
                                      "malicious file); it was not loaded" +
                          (report.isEmpty() ? QString() : "\n" + report);
        return verdict;
    }
    verdict.ok = outcome.exitCode == 0;
    verdict.message = report.isEmpty() ? modelPath + ": the check exited with code " + QString::number(outcome.exitCode)
                                       : report;
    return verdict;
}

const QString kCancelled = QStringLiteral(": the check was cancelled; the model was not loaded");

// In slices, so that an owner going away (the window closing) need not wait for a slow check.
constexpr int kSliceMs = 100;

int sliceMs(const QDeadlineTimer& deadline) {  // remainingTime() is −1 without a limit
    return static_cast<int>(deadline.isForever() ? kSliceMs : std::min<qint64>(kSliceMs, deadline.remainingTime()));
}

bool singleThreaded() {
    std::error_code error;
    const std::filesystem::directory_iterator tasks("/proc/self/task", error);
    return !error && std::distance(tasks, std::filesystem::directory_iterator()) == 1;
}

}  // namespace

GuardVerdict validateInChildProcess(const QString& modelPath, const ValidatorCommand& validator, int timeoutMs,
                                    const std::function<bool()>& cancelled) {
    QProcess child;
    child.setProcessChannelMode(QProcess::MergedChannels);
    // The check dies with the thread that waits for it (Linux): a check stopped at its time
    // limit takes a check it started itself along, and none outlives a crashed parent.
    child.setChildProcessModifier([] { ::prctl(PR_SET_PDEATHSIG, SIGKILL); });
    child.start(validator.program, validator.args + QStringList{modelPath});
    if (!child.waitForStarted(10000))
        return {false, modelPath + ": cannot check the model: the check process " + validator.program +
                           " did not start (" + child.errorString() + ")"};
    QDeadlineTimer deadline(timeoutMs);
    bool finished = false;
    while (!(finished = child.waitForFinished(sliceMs(deadline))) && !deadline.hasExpired())
        if (cancelled && cancelled()) {
            child.kill();
            child.waitForFinished(5000);
            return {false, modelPath + kCancelled};
        }
    CheckOutcome outcome;
    if (!finished) {
        child.kill();
        child.waitForFinished(5000);
        outcome.timedOut = true;
    } else {
        outcome.report = QString::fromUtf8(child.readAll());
        outcome.crashed = child.exitStatus() == QProcess::CrashExit;
        outcome.exitCode = child.exitCode();
    }
    return verdictOf(modelPath, outcome, timeoutMs);
}

namespace {

// The child's side: check, tell the parent, and go on (passed) or end (refused).
void checkInChild(const std::string& path, int reportFd, CheckedRun* run) {
    ::prctl(PR_SET_PDEATHSIG, SIGKILL);  // killing uvis-cli ends what it started
    // The parent's handlers (uvis-cli stops cleanly on SIGINT) stay: the run that follows needs
    // them; during the check itself the parent's time limit is the one that counts.
    const ModelReport report = validateModel(path, DeviceKind::Cpu, &run->model);
    const std::string text = formatReport(report);
    const std::string message = (report.ok ? "Y" : "N") + text;
    // One write of a short report: the parent reads it whole (a pipe takes 64 KiB at once).
    if (::write(reportFd, message.data(), message.size()) < 0 || !report.ok) ::_exit(4);
    ::close(reportFd);
    run->role = CheckedRun::Child;
    run->verdict = {true, QString::fromStdString(text).trimmed()};
}

// The parent's side until the child has said whether the model passed: the verdict, and whether
// the child goes on with the run.
GuardVerdict awaitCheck(const QString& modelPath, pid_t pid, int reportFd, int timeoutMs,
                        const std::function<bool()>& stopRequested, bool* passed) {
    QByteArray report;
    QDeadlineTimer deadline(timeoutMs);
    int status = 0;
    CheckOutcome outcome;
    // Until the pipe ends: the child closes it when the model passed, and it closes with the
    // child when the check refused the model, or crashed.
    for (;;) {
        pollfd input{reportFd, POLLIN, 0};
        if (::poll(&input, 1, sliceMs(deadline)) > 0) {
            char buffer[4096];
            const ssize_t n = ::read(reportFd, buffer, sizeof buffer);
            if (n > 0) report.append(buffer, static_cast<int>(n));
            if (n <= 0) break;
        }
        if (deadline.hasExpired() || (stopRequested && stopRequested())) {
            outcome.timedOut = deadline.hasExpired();
            ::kill(pid, SIGKILL);
            ::waitpid(pid, &status, 0);
            if (!outcome.timedOut) return {false, modelPath + kCancelled};
            return verdictOf(modelPath, outcome, timeoutMs);
        }
    }
    *passed = report.startsWith('Y');
    if (*passed) return {true, QString::fromUtf8(report.mid(1)).trimmed()};
    ::waitpid(pid, &status, 0);
    outcome.report = QString::fromUtf8(report.mid(1));
    outcome.crashed = WIFSIGNALED(status);
    outcome.exitCode = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
    return verdictOf(modelPath, outcome, timeoutMs);
}

// The parent's side after the check passed: wait for the run, passing a stop on to it.
void awaitRun(pid_t pid, const std::function<bool()>& stopRequested, CheckedRun* run) {
    // A pidfd is readable the moment the child ends; slices only to pass a stop on.
    // (glibc 2.36's <sys/pidfd.h> lacks extern "C": the system call itself.)
    const int exitFd = static_cast<int>(::syscall(SYS_pidfd_open, pid, 0));
    bool stopSent = false;
    int status = 0;
    for (;;) {
        const pid_t r = ::waitpid(pid, &status, WNOHANG);
        if (r == pid || (r < 0 && errno != EINTR)) break;
        if (!stopSent && stopRequested && stopRequested()) {
            ::kill(pid, SIGTERM);  // the run stops as this process was asked to
            stopSent = true;
        }
        pollfd ended{exitFd, POLLIN, 0};
        ::poll(&ended, exitFd >= 0 ? 1 : 0, exitFd >= 0 ? kSliceMs : 10);
    }
    if (exitFd >= 0) ::close(exitFd);
    if (WIFEXITED(status)) {
        run->exitCode = WEXITSTATUS(status);
    } else {
        run->exitCode = -1;
        const int signal = WIFSIGNALED(status) ? WTERMSIG(status) : 0;
        run->crash = QString("the process that ran the model died of signal %1 (%2) after the model had passed its check")
                         .arg(signal)
                         .arg(QString::fromLocal8Bit(::strsignal(signal)));
    }
}

}  // namespace

CheckedRun checkThenRunInForkedChild(const QString& modelPath, int timeoutMs,
                                     const std::function<bool()>& stopRequested) {
    CheckedRun run;
    // A fork copies only the thread that calls it: a lock another thread held stays locked in
    // the child. With one thread there is none.
    if (!singleThreaded()) return run;
    int pipeFds[2];
    if (::pipe2(pipeFds, O_CLOEXEC) != 0) return run;
    std::fflush(stdout);  // else the child would print what this process has buffered a second time
    std::fflush(stderr);
    const std::string path = modelPath.toStdString();
    const pid_t pid = ::fork();
    if (pid < 0) {
        ::close(pipeFds[0]);
        ::close(pipeFds[1]);
        return run;
    }
    if (pid == 0) {
        ::close(pipeFds[0]);
        checkInChild(path, pipeFds[1], &run);
        return run;
    }
    ::close(pipeFds[1]);
    run.role = CheckedRun::Parent;
    bool passed = false;
    run.verdict = awaitCheck(modelPath, pid, pipeFds[0], timeoutMs, stopRequested, &passed);
    ::close(pipeFds[0]);
    if (passed) awaitRun(pid, stopRequested, &run);
    return run;
}

ValidatorCommand selfValidator() { return {QCoreApplication::applicationFilePath(), {"--check-model"}}; }

}  // namespace uvis
