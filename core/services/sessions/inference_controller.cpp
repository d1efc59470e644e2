#include "core/services/sessions/inference_controller.h"

#include "core/runtime/exception_text.h"

#include <QElapsedTimer>

#include <climits>
#include <optional>

#include "core/engine/uncertainty_engine.h"
#include "core/model/model_loader.h"
#include "core/engine/preprocess.h"
#include "core/runtime/allocator_tuning.h"
#include "core/temporal/frame_motion.h"
#include "core/temporal/temporal_sampler.h"

namespace uvis {
namespace {

// How long the worker waits for another request before it gives freed memory back: long enough
// that a slider drag or a playing video keeps its memory warm between runs.
constexpr unsigned long kIdleBeforeReleaseMs = 2000;

}  // namespace

// What the GUI asked for last, waiting for the worker.
struct InferenceController::Pending {
    std::optional<std::pair<quint64, QString>> load;  // id, path
    DeviceKind loadDevice = DeviceKind::Cpu;
    std::optional<quint64> inferId;
    SharedImage image;
    SamplingSettings settings;
    int frame = -1;
};

InferenceController::InferenceController(QObject* parent, ModelLoaderFn loader)
    : QThread(parent),
      pending_(std::make_unique<Pending>()),
      loader_(loader ? std::move(loader) : ModelLoaderFn([](const std::string& path, DeviceKind device) {
          return uvis::loadModel(path, device);
      })) {
    qRegisterMetaType<MapsPtr>();
    qRegisterMetaType<InferenceStats>();
    qRegisterMetaType<ModelCard>();
}

InferenceController::~InferenceController() {
    stop();
    wait();
}

void InferenceController::stop() {
    QMutexLocker lock(&mutex_);
    abort_ = true;
    requestInterruption();
    wake_.wakeOne();
}

quint64 InferenceController::loadModel(const QString& path, DeviceKind device) {
    QMutexLocker lock(&mutex_);
    const quint64 id = nextId_++;
    pending_->load = std::make_pair(id, path);
    pending_->loadDevice = device;
    restart_ = true;
    if (!isRunning()) start(LowPriority);
    else wake_.wakeOne();
    return id;
}

quint64 InferenceController::request(SharedImage image, const SamplingSettings& settings, int frame) {
    QMutexLocker lock(&mutex_);
    const quint64 id = nextId_++;
    pending_->inferId = id;
    pending_->image = std::move(image);
    pending_->settings = settings;
    pending_->frame = frame;
    restart_ = true;
    if (!isRunning()) start(LowPriority);
    else wake_.wakeOne();
    return id;
}

// Under the mutex, so that it cannot fall between the worker taking a job and clearing restart_:
// either the job is still pending (dropped here) or the worker has it (restart_ stops it).
void InferenceController::cancel() {
    QMutexLocker lock(&mutex_);
    pending_->inferId.reset();
    restart_ = true;
}

void InferenceController::run() {
    // The worker owns the model and the engine: created, used and destroyed on this thread.
    std::unique_ptr<UncertaintyEngine> engine;
    std::unique_ptr<TemporalSampler> temporal;  // the video frames' carried samples, for this engine
    ModelCard card;
    bool released = true;  // nothing freed since the memory was last given back
    while (!abort_) {
        Pending job;
        {
            QMutexLocker lock(&mutex_);
            while (!abort_ && !pending_->load && !pending_->inferId) {
                // Idle a moment after work: give back what the allocator kept for the next pass
                // (with a large photo, hundreds of MiB held for nothing), outside the lock.
                if (wake_.wait(&mutex_, released ? ULONG_MAX : kIdleBeforeReleaseMs) || released) continue;
                lock.unlock();
                releaseFreedMemory();
                lock.relock();
                released = true;
            }
            if (abort_) return;
            job = std::move(*pending_);
            *pending_ = Pending{};
            restart_ = false;
        }
        // Each part answers under its own id: a load error is the load's, never the request's.
        if (job.load) {
            const quint64 loadId = job.load->first;
            try {
                LoadedModel loaded = loader_(job.load->second.toStdString(), job.loadDevice);
                if (!loaded) {
                    Q_EMIT failed(loadId, QString::fromStdString(loaded.error));
                } else {
                    temporal.reset();
                    engine = std::make_unique<UncertaintyEngine>(loaded.model);
                    temporal = std::make_unique<TemporalSampler>(*engine, estimateMotion);
                    card = engine->card();
                    Q_EMIT modelReady(loadId, card,
                                      QString::fromStdString(deviceName(resolveDevice(job.loadDevice).kind)));
                }
            } catch (...) {
                // An exception escaping run() would terminate the program.
                Q_EMIT failed(loadId, job.load->second + ": " + QString::fromStdString(describeException()));
            }
        }
        if (job.inferId) runRequest(*job.inferId, engine.get(), temporal.get(), card, *job.image, job.settings, job.frame);
        released = false;
    }
}

void InferenceController::runRequest(quint64 id, UncertaintyEngine* engine, TemporalSampler* temporal,
                                     const ModelCard& card, const RgbImage& image, const SamplingSettings& settings,
                                     int frame) {
    if (!engine) {
        Q_EMIT failed(id, "no model is loaded");
        return;
    }
    try {
        ++runsStarted_;
        const ImageTensor input = toModelInput(image, card.input);
        if (input.values.empty()) {
            Q_EMIT failed(id, "the image is empty or malformed");
            return;
        }
        QElapsedTimer sinceProgress;
        sinceProgress.start();
        // Video frames in order carry samples forward; a still image, a seek back or full MC starts afresh.
        const bool carry = frame > lastFrame_ && settings.temporalFresh > 0;
        if (!carry) temporal->reset();
        lastFrame_ = frame;
        const ProgressFn onProgress = [&](const SamplingProgress& p) {
            if (abort_ || restart_) return false;  // a newer request or a cancel: stop between chunks
            if (p.samplesDone() < p.samplesRequested() && sinceProgress.elapsed() >= 50) {
                sinceProgress.restart();
                Q_EMIT progress(id, std::make_shared<const UncertaintyMaps>(p.snapshot()));
            }
            return true;
        };
        const SamplingResult result =
            carry ? temporal->runFrame(input, settings, frame, onProgress) : engine->run(input, settings, onProgress);
        if (!result.ok()) {
            Q_EMIT failed(id, QString::fromStdString(result.error));
        } else if (!result.cancelled) {
            Q_EMIT finished(id, std::make_shared<const UncertaintyMaps>(result.maps),
                            InferenceStats{QString::fromStdString(result.device), result.msPerSample, result.encodeMs,
                                           result.totalMs});
        }
    } catch (...) {
        Q_EMIT failed(id, QString::fromStdString(describeException()));
    }
}

}  // namespace uvis
