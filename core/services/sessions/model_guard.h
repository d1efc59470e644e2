#pragma once
// Crash containment for users' models. LibTorch's own security notes say a malformed TorchScript
// archive can crash the process that loads it, so the application never loads a user's model
// before a child process has loaded and run it: the application itself, started again in its
// hidden check mode (`uvis --check-model MODEL`), so it never depends on finding another program.
// Qt Core layer.

#include <QString>
#include <QStringList>

#include <functional>

#include "core/model/model_loader.h"

namespace uvis {

struct GuardVerdict {
    bool ok = false;
    QString message;  // the check's report, or what happened to it (crash, time-out)
};

// The program that checks a model: `program args... MODEL` exits 0 for a good model and prints
// its report (stdout or stderr).
struct ValidatorCommand {
    QString program;
    QStringList args;
};

constexpr int kDefaultCheckTimeoutMs = 60000;

// Runs the validator on MODEL and waits for it (call it off the GUI thread). A crash, a hang past
// `timeoutMs` (the child is killed) or a validator that does not start gives ok = false with a
// message naming the file. `cancelled`, polled while the check runs, stops it early (ok = false).
GuardVerdict validateInChildProcess(const QString& modelPath, const ValidatorCommand& validator,
                                    int timeoutMs = kDefaultCheckTimeoutMs,
                                    const std::function<bool()>& cancelled = {});

// The check, and then the run, in a fork of this process. LibTorch is initialised here already: a
// new process for the check paid 0.6 s or more of LibTorch's start-up, and then this process
// loaded the model and paid its first, cold passes again. Here the child checks the model and,
// when it passes, goes on with the run itself (role Child: load the model and run); this process
// only waits for it (role Parent) and returns its exit code — so a crash during the run, too, is
// a message rather than the end of uvis-cli. Only a process with a single thread forks safely
// (uvis-cli before its work starts threads); with more, nothing runs (role NotForked) and the
// caller checks with validateInChildProcess.
struct CheckedRun {
    enum Role { NotForked, Child, Parent } role = NotForked;
    // Child: the check's report (passed). Parent: the check's verdict — refused, crashed, stopped
    // at `timeoutMs`, cancelled — or ok when it passed and the run has ended.
    GuardVerdict verdict;
    LoadedModel model;  // Child: the model as the check loaded it (on the CPU), for the run
    int exitCode = -1;  // Parent, passed: the run's exit code; -1 when it died of a signal
    QString crash;      // Parent, passed, exitCode −1: what ended it
};
// `stopRequested` (polled while this process waits) kills a check and passes SIGTERM on to a run.
CheckedRun checkThenRunInForkedChild(const QString& modelPath, int timeoutMs = kDefaultCheckTimeoutMs,
                                     const std::function<bool()>& stopRequested = {});

// This very executable in its hidden check mode (QCoreApplication::applicationFilePath()).
ValidatorCommand selfValidator();

}  // namespace uvis
