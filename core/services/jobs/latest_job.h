#pragma once
// One value computed in the background for an owner on the GUI thread (an image read, a
// ground-truth load, a metrics report, a model check, a written export), the latest request
// winning: a request made while another runs waits, replacing any request that waited before it,
// and the running one's value is dropped when it ends. The owner hears only the answer to its
// latest request, on its own thread. Built on BackgroundJob, so it shares its guarantees: an
// exception becomes the answer's problem, and destroying this object (with its owner) cancels the
// running computation and waits for it — nothing outlives the members it was handed. Qt Core layer.

#include <QObject>

#include <functional>
#include <memory>
#include <optional>

#include "core/services/jobs/background_job.h"

namespace uvis {

template <class T>
class LatestJob {
public:
    // Runs on the job's thread; may poll job.cancelRequested() to stop early.
    using Compute = std::function<T(const BackgroundJob& job)>;
    // On the owner's thread: the value, or an empty value and the problem (naming `subject`).
    using Deliver = std::function<void(T value, const QString& problem)>;

    LatestJob(QObject* owner, Deliver deliver) : owner_(owner), deliver_(std::move(deliver)) {}
    LatestJob(const LatestJob&) = delete;
    LatestJob& operator=(const LatestJob&) = delete;
    ~LatestJob() = default;  // the running job's destructor cancels and waits

    // `subject` (a file) prefixes the problem if `compute` throws.
    void request(QString subject, Compute compute) {
        if (busy()) {
            waiting_ = Request{std::move(subject), std::move(compute)};
            return;
        }
        start(Request{std::move(subject), std::move(compute)});
    }
    // No answer is wanted any more: the waiting request is forgotten and the running one asked to
    // stop; its value, if it still comes, is dropped.
    void drop() {
        waiting_.reset();
        dropRunning_ = true;  // also a job that has ended and whose answer is still on its way
        if (busy()) running_->cancel();
    }
    bool busy() const { return running_ && running_->busy(); }

private:
    struct Request {
        QString subject;
        Compute compute;
    };

    void start(Request r) {
        auto value = std::make_shared<T>();
        dropRunning_ = false;
        // A job can have sent `done` and been replaced before its answer was handled (the signal
        // is queued, and Qt still delivers it once its sender is gone): only the current one counts.
        const quint64 serial = ++serial_;
        // The finished job (if any) has sent `done`: replacing it waits only for its last instructions.
        running_ = std::make_unique<BackgroundJob>(r.subject, [value, compute = std::move(r.compute)](BackgroundJob& job) {
            *value = compute(job);
            return JobOutcome{};
        });
        QObject::connect(running_.get(), &BackgroundJob::done, owner_, [this, value, serial](const QString& problem, bool) {
            if (serial != serial_) return;
            if (waiting_) {  // a later request: this answer is stale
                Request next = std::move(*waiting_);
                waiting_.reset();
                start(std::move(next));
                return;
            }
            if (dropRunning_) return;
            deliver_(std::move(*value), problem);
        });
        running_->start();
    }

    QObject* owner_;
    Deliver deliver_;
    std::unique_ptr<BackgroundJob> running_;
    std::optional<Request> waiting_;
    bool dropRunning_ = false;
    quint64 serial_ = 0;  // of the job in running_
};

}  // namespace uvis
