#pragma once
// Crash containment for users' models. LibTorch's own security notes say a malformed TorchScript
// archive can crash the process that loads it, so the application never loads a user's model
// before a child process has loaded and run it: the application itself, started again in its
// hidden check mode (`uvis --check-model MODEL`), so it never depends on finding another program.
// Qt Core layer.

#include <QString>
#include <QStringList>

#include <functional>

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

// This very executable in its hidden check mode (QCoreApplication::applicationFilePath()).
ValidatorCommand selfValidator();

}  // namespace uvis
