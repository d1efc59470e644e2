#include "core/services/analysis_session.h"

#include <QtConcurrent/QtConcurrentRun>

namespace uvis {

AnalysisSession::AnalysisSession(QString validator, QObject* parent)
    : QObject(parent), validator_(std::move(validator)) {
    qRegisterMetaType<AnalysedFrame>();
    connect(&controller_, &InferenceController::modelReady, this,
            [this](quint64 id, const ModelCard& card, const QString& device) {
                if (id != loadId_) return;
                modelReady_ = true;
                card_ = card;
                device_ = device;
                modelPath_ = loadingPath_;
                latest_ = AnalysedFrame{};
                const quint64 before = submitted_;
                Q_EMIT modelLoaded(card, device, modelPath_);
                // A listener that set the model's settings (its train_p) has asked already.
                if (hasImage_ && submitted_ == before) submit();
            });
    connect(&controller_, &InferenceController::progress, this, [this](quint64 id, MapsPtr maps) {
        if (id != inFlight_) return;  // stale: a newer request superseded it
        latest_ = AnalysedFrame{maps, inFlightImage_, inFlightFrame_, inFlightSettings_, false};
        Q_EMIT resultUpdated(latest_);
    });
    connect(&controller_, &InferenceController::finished, this, &AnalysisSession::onFinished);
    connect(&controller_, &InferenceController::failed, this, [this](quint64 id, const QString& message) {
        if (id == loadId_) {
            Q_EMIT modelFailed(loadingPath_, message);
            loadId_ = 0;
        } else if (id == inFlight_) {
            inFlight_ = 0;
            Q_EMIT inferenceFailed(message);
            if (dirty_) submit();
        }
    });
    connect(&validation_, &QFutureWatcher<GuardVerdict>::finished, this, [this] {
        const GuardVerdict verdict = validation_.result();
        const QString path = validatingPath_;
        validatingPath_.clear();
        if (!verdict.ok) {
            Q_EMIT modelFailed(path, verdict.message);
            return;
        }
        loadingPath_ = path;
        loadId_ = controller_.loadModel(path, settings_.device);
    });
}

// The controller (a member) aborts and joins its thread; a validation in flight is a child
// process with a time-out, waited for by the pool thread, not by us.
AnalysisSession::~AnalysisSession() = default;

void AnalysisSession::openModel(const QString& path, bool trusted) {
    if (trusted) {
        loadingPath_ = path;
        loadId_ = controller_.loadModel(path, settings_.device);
        return;
    }
    validatingPath_ = path;
    Q_EMIT modelValidating(path);
    const QString validator = validator_;
    validation_.setFuture(QtConcurrent::run([path, validator] { return validateInChildProcess(path, validator); }));
}

void AnalysisSession::setImage(const RgbImage& image, int frameIndex) {
    image_ = image;
    frameIndex_ = frameIndex;
    hasImage_ = true;
    if (playing_ && inFlight_ != 0) {
        dirty_ = true;  // analysed when the running frame is done
        return;
    }
    submit();
}

void AnalysisSession::setSettings(const McSettings& settings) {
    const bool deviceChanged = settings.device != settings_.device;
    settings_ = settings;
    if (deviceChanged && modelReady_) {
        // The model lives on one device: load it again there (it was validated before).
        loadingPath_ = modelPath_;
        loadId_ = controller_.loadModel(modelPath_, settings_.device);
        return;
    }
    if (hasImage_) submit();
}

void AnalysisSession::setPlaying(bool playing) {
    playing_ = playing;
    if (!playing_ && dirty_) submit();
}

void AnalysisSession::cancel() {
    controller_.cancel();
    inFlight_ = 0;
    dirty_ = false;
}

void AnalysisSession::submit() {
    dirty_ = false;
    if (!modelReady_ || !hasImage_) return;
    ++submitted_;
    inFlightImage_ = image_;
    inFlightFrame_ = frameIndex_;
    inFlightSettings_ = settings_;
    inFlight_ = controller_.request(image_, settings_);
}

void AnalysisSession::onFinished(quint64 id, MapsPtr maps, const InferenceStats& stats) {
    if (id != inFlight_) return;
    inFlight_ = 0;
    stats_ = stats;
    latest_ = AnalysedFrame{maps, inFlightImage_, inFlightFrame_, inFlightSettings_, true};
    Q_EMIT resultUpdated(latest_);
    if (dirty_) submit();
}

}  // namespace uvis
