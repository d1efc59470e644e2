#include "core/services/jobs/background_job.h"

#include "core/runtime/exception_text.h"

#include "core/engine/uncertainty_engine.h"
#include "core/model/model_loader.h"

namespace uvis {

BackgroundJob::BackgroundJob(QString subject, Work work, QObject* parent)
    : QThread(parent), subject_(std::move(subject)), work_(std::move(work)) {}

BackgroundJob::~BackgroundJob() { stop(); }

void BackgroundJob::stop() {
    cancel_ = true;
    wait();
}

void BackgroundJob::reportProgress(int done, int total, int item) {
    if (done <= reported_) return;
    reported_ = done;
    Q_EMIT progress(done, std::max(done, total), item);
}

std::unique_ptr<UncertaintyEngine> BackgroundJob::loadEngine(const QString& path, DeviceKind device, QString* problem) {
    LoadedModel loaded = loadModel(path.toStdString(), device);
    if (!loaded) {
        *problem = QString::fromStdString(loaded.error);
        return nullptr;
    }
    return std::make_unique<UncertaintyEngine>(loaded.model);
}

void BackgroundJob::run() {
    JobOutcome outcome;
    try {
        outcome = work_(*this);
    } catch (...) {
        // An exception escaping run() would terminate the program.
        outcome = JobOutcome{subject_ + ": " + QString::fromStdString(describeException()), false};
    }
    doneSent_ = true;
    Q_EMIT done(outcome.problem, outcome.cancelled);
}

}  // namespace uvis
