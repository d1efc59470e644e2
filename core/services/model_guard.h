#pragma once
// Crash containment for users' models. LibTorch's own security notes say a malformed TorchScript
// archive can crash the process that loads it, so the application never loads a user's model
// before `uvis-cli validate-model` has loaded and run it in a child process. Qt Core layer.

#include <QString>

namespace uvis {

struct GuardVerdict {
    bool ok = false;
    QString message;  // the validator's report, or what happened to it (crash, time-out)
};

// Runs `validator validate-model MODEL` and waits for it (call it off the GUI thread). A crash,
// a hang past `timeoutMs` or a missing validator gives ok = false with a message naming the file.
GuardVerdict validateInChildProcess(const QString& modelPath, const QString& validator, int timeoutMs = 120000);

// uvis-cli next to the running executable, else on PATH.
QString defaultValidator();

}  // namespace uvis
