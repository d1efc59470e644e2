#pragma once
// What the application's background jobs (overlay-video export, video analysis, frame batch
// export) share: a thread of their own, a model of their own (the interactive inference thread
// keeps serving the views), cancel between units of work, progress that only moves forward, and
// every failure — an exception included — as one `done` signal naming the file. Qt Core layer.
//
// A job is a function run on the thread; it captures what it needs by value. A derived class
// that emits signals of its own from that function calls stop() in its destructor, so the thread
// has ended before the derived part is gone.

#include <QThread>

#include <atomic>
#include <functional>
#include <memory>

#include "core/runtime/device.h"

namespace uvis {

class UncertaintyEngine;

struct JobOutcome {
    QString problem;  // empty on success; names the file
    bool cancelled = false;
};

class BackgroundJob : public QThread {
    Q_OBJECT
public:
    using Work = std::function<JobOutcome(BackgroundJob& job)>;
    // `subject` (a file) prefixes the message of an exception that escapes `work`.
    BackgroundJob(QString subject, Work work, QObject* parent = nullptr);
    ~BackgroundJob() override;  // stop()

    void cancel() { cancel_ = true; }  // direct, thread-safe
    bool cancelRequested() const { return cancel_.load(); }
    void stop();  // cancel and wait (within one unit of work)
    // Started and its `done` not yet sent. Unlike isRunning(), false by the time a receiver
    // handles `done` (the thread ends a moment after sending it), so a handler that starts the
    // next job is not told that this one still runs. A job runs once.
    bool busy() const { return isRunning() && !doneSent_.load(); }

    // For the work function, on the job's thread.
    void reportProgress(int done, int total, int item = -1);  // never moves backwards
    // The model at `path` for this thread, or nullptr with `problem` set.
    static std::unique_ptr<UncertaintyEngine> loadEngine(const QString& path, DeviceKind device, QString* problem);

Q_SIGNALS:
    void progress(int done, int total, int item);
    void done(const QString& problem, bool cancelled);

protected:
    void run() final;

private:
    QString subject_;
    Work work_;
    std::atomic<bool> cancel_{false};
    std::atomic<bool> doneSent_{false};
    int reported_ = -1;  // the job's thread only
};

}  // namespace uvis
