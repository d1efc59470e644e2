#pragma once
// The inference thread of the application (Qt's Mandelbrot example pattern): one worker thread
// owns the model and the engine; request() stores the latest request and wakes it; the worker
// stops the running request between MC chunks when a newer one arrives, so a slider drag
// collapses into one job; every result carries its request id; errors come back as signals.
// Qt Core layer: the widgets talk to this, never to the engine.

#include <QMutex>
#include <QThread>
#include <QWaitCondition>

#include <atomic>
#include <functional>
#include <memory>

#include "core/types/image.h"
#include "core/types/maps.h"
#include "core/engine/sampling_settings.h"
#include "core/model/model_card.h"
#include "core/model/model_loader.h"

namespace uvis {

class UncertaintyEngine;
class TemporalSampler;
using MapsPtr = std::shared_ptr<const UncertaintyMaps>;

struct InferenceStats {
    QString device;
    double msPerSample = 0, encodeMs = 0, totalMs = 0;
};

// How the worker loads a model file (uvis::loadModel; tests pass one that fails or throws).
using ModelLoaderFn = std::function<LoadedModel(const std::string& path, DeviceKind device)>;

class InferenceController : public QThread {
    Q_OBJECT
public:
    explicit InferenceController(QObject* parent = nullptr, ModelLoaderFn loader = {});
    // stop(), then waits for the thread (which ends within the chunk it is running).
    ~InferenceController() override;
    // Thread-safe, returns at once: the running request stops at its next chunk and the worker
    // ends; nothing more is answered. Also requests the thread's interruption (QThread), which
    // code running on it may watch.
    void stop();

    // Called from the GUI thread. Loading happens on the worker (it owns the model); the
    // answer is modelReady or failed with the returned id.
    quint64 loadModel(const QString& path, DeviceKind device);
    // The latest request wins: an older one still running stops at its next chunk.
    // `frame`: the index of a video frame (-1: a still image); with settings.temporalFresh, frames
    // asked for in order carry samples from one to the next (core/temporal).
    quint64 request(SharedImage image, const SamplingSettings& settings, int frame = -1);
    quint64 request(const RgbImage& image, const SamplingSettings& settings, int frame = -1) {  // a copy of `image`
        return request(std::make_shared<const RgbImage>(image), settings, frame);
    }
    // Thread-safe: a request not yet taken by the worker is dropped; a running one stops at its
    // next chunk. Either way no answer for it arrives.
    void cancel();

    // For tests and the status bar: how many requests the worker started running.
    int runsStarted() const { return runsStarted_.load(); }

Q_SIGNALS:
    void modelReady(quint64 id, const uvis::ModelCard& card, const QString& device);
    void progress(quint64 id, uvis::MapsPtr partial);  // at most every 50 ms
    void finished(quint64 id, uvis::MapsPtr maps, const uvis::InferenceStats& stats);
    void failed(quint64 id, const QString& message);

protected:
    void run() override;

private:
    struct Pending;
    void runRequest(quint64 id, UncertaintyEngine* engine, TemporalSampler* temporal, const ModelCard& card,
                    const RgbImage& image, const SamplingSettings& settings, int frame);
    QMutex mutex_;
    QWaitCondition wake_;
    std::unique_ptr<Pending> pending_;  // guarded by mutex_
    quint64 nextId_ = 1;                // guarded by mutex_
    std::atomic<bool> abort_{false};
    std::atomic<bool> restart_{false};
    std::atomic<int> runsStarted_{0};
    ModelLoaderFn loader_;
    int lastFrame_ = -1;  // the worker's: the video frame it ran last
};

}  // namespace uvis

Q_DECLARE_METATYPE(uvis::MapsPtr)
Q_DECLARE_METATYPE(uvis::InferenceStats)
Q_DECLARE_METATYPE(uvis::ModelCard)
