#include "core/services/sessions/analysis_session.h"
#include "core/model/model_methods.h"

#include <cmath>

namespace uvis {

AnalysisSession::AnalysisSession(ValidatorCommand validator, QObject* parent, ModelLoaderFn loader, int checkTimeoutMs)
    : QObject(parent), controller_(nullptr, std::move(loader)), validator_(std::move(validator)),
      checkTimeoutMs_(checkTimeoutMs),
      modelCheck_(this, [this](GuardVerdict verdict, const QString& problem) { modelChecked(verdict, problem); }) {
    qRegisterMetaType<AnalysedFrame>();
    connect(&controller_, &InferenceController::modelReady, this,
            [this](quint64 id, const ModelCard& card, const QString& device) {
                if (id != loadId_) return;
                modelReady_ = true;
                card_ = card;
                device_ = device;
                modelPath_ = loadingPath_;
                loadId_ = 0;
                latest_ = AnalysedFrame{};
                // A method the model does not support (an ensemble method on one model, MC dropout on a
                // deterministic model) gives way to the model's own default.
                bool changed = !methodUnavailableReason(settings_.method, card).empty();
                if (changed) settings_.method = defaultMethod(card);
                if (followsModel_ && settings_.dropout != followedDropout()) {
                    settings_.dropout = followedDropout();
                    changed = true;
                }
                if (changed) Q_EMIT settingsChanged(settings_);
                calibrations_ = readCalibration(calibrationPath(modelPath_.toStdString()));
                applyCalibration();
                announced_ = settings_;  // a new model starts every table over anyway (modelLoaded)
                Q_EMIT modelLoaded(card, device, modelPath_);
                if (hasImage_) submit();
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
}

// The controller (a member) aborts and joins its thread; a validation in flight is a child
// process with a time-out, waited for by the pool thread, not by us.
AnalysisSession::~AnalysisSession() = default;

void AnalysisSession::openModel(const QString& path, bool trusted) {
    // Only the latest open may load: a check still running for an earlier one is stopped unused.
    if (!checkingPath_.isEmpty()) Q_EMIT modelCheckSuperseded(checkingPath_);
    checkingPath_.clear();
    modelCheck_.drop();
    if (trusted) {
        loadingPath_ = path;
        loadId_ = controller_.loadModel(path, settings_.device);
        return;
    }
    Q_EMIT modelValidating(path);
    checkingPath_ = path;
    modelCheck_.request(path, [path, validator = validator_, timeoutMs = checkTimeoutMs_](const BackgroundJob& job) {
        return validateInChildProcess(path, validator, timeoutMs, [&job] { return job.cancelRequested(); });
    });
}

void AnalysisSession::modelChecked(GuardVerdict verdict, const QString& problem) {
    const QString path = checkingPath_;
    checkingPath_.clear();
    if (!problem.isEmpty()) verdict = GuardVerdict{false, problem};
    if (!verdict.ok) {
        Q_EMIT modelFailed(path, verdict.message);
        return;
    }
    loadingPath_ = path;
    loadId_ = controller_.loadModel(path, settings_.device);
}

const RgbImage& AnalysedFrame::image() const { return imageOrEmpty(input); }

const RgbImage& AnalysisSession::image() const { return imageOrEmpty(image_); }

void AnalysisSession::setImage(SharedImage image, int frameIndex) {
    image_ = std::move(image);
    frameIndex_ = frameIndex;
    hasImage_ = true;
    if (playing_ && inFlight_ != 0) {
        dirty_ = true;  // analysed when the running frame is done
        return;
    }
    submit();
}

void AnalysisSession::setDropoutFollowsModel(bool follows) {
    followsModel_ = follows;
    if (follows && modelReady_ && settings_.dropout != followedDropout()) {
        settings_.dropout = followedDropout();
        Q_EMIT settingsChanged(settings_);
        announceResultSettings();
        if (hasImage_) submit();
    }
}

void AnalysisSession::setSettings(const SamplingSettings& settings) {
    const bool deviceChanged = settings.device != settings_.device;
    const bool methodChanged = settings.method != settings_.method;
    const bool followed = followsModel_;
    const double oldDropout = settings_.dropout;
    // p equal to the method's default for this model (its training rate; 0 for tta) follows the
    // model; without a model, moving p means the user chose it.
    settings_ = settings;
    if (settings_.method == UncertaintyMethod::Ensemble) settings_.dropout = 0.0;  // not used: shown as such
    // Another method with p still at the default: the new method's default (SPEC §2: tta at 0).
    if (methodChanged && followed && modelReady_) settings_.dropout = followedDropout();
    if (settings_.dropout != settings.dropout) Q_EMIT settingsChanged(settings_);
    applyCalibration();
    if (modelReady_) followsModel_ = std::abs(settings_.dropout - followedDropout()) < 1e-9;
    else if (settings.dropout != oldDropout) followsModel_ = false;
    announceResultSettings();
    if (deviceChanged && modelReady_) {
        // The model lives on one device: load it again there (it was validated before).
        loadingPath_ = modelPath_;
        loadId_ = controller_.loadModel(modelPath_, settings_.device);
        return;
    }
    if (hasImage_) submit();
}

void AnalysisSession::setCalibrationEnabled(bool enabled) {
    if (enabled == calibrationEnabled_) return;
    calibrationEnabled_ = enabled;
    applyCalibration();
    announceResultSettings();
    if (hasImage_ && modelReady_) submit();
}

std::optional<CalibrationRecord> AnalysisSession::availableCalibration() const {
    const auto entry = calibrations_.methods.find(methodName(settings_.method));
    if (entry == calibrations_.methods.end()) return std::nullopt;
    return entry->second;
}

void AnalysisSession::applyCalibration() {
    const std::optional<CalibrationRecord> fit = availableCalibration();
    settings_.calibration = fit && calibrationEnabled_ ? fit->calibration : Calibration{};
    QString text;
    if (!calibrations_.error.empty()) text = QString::fromStdString(calibrations_.error);
    else if (!fit) text = QString("no calibration for %1 (uvis-cli calibrate -m MODEL --method %2 --data FOLDER)")
                              .arg(methodTitle(settings_.method), methodName(settings_.method));
    else text = QString::fromStdString(calibrationText(fit->calibration.temperature, fit->calibration.depthVarianceScale)) +
                QString(", fitted on %1 images of %2").arg(fit->fitImages).arg(QString::fromStdString(fit->data));
    Q_EMIT calibrationChanged(fit.has_value(), fit && calibrationEnabled_, text);
}

void AnalysisSession::announceResultSettings() {
    if (sameResults(settings_, announced_)) return;
    announced_ = settings_;
    Q_EMIT resultSettingsChanged(settings_);
}

double AnalysisSession::followedDropout() const {
    return defaultDropout(settings_.method, card_.trainDropout);
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
    inFlightImage_ = image_;
    inFlightFrame_ = frameIndex_;
    inFlightSettings_ = settings_;
    inFlight_ = controller_.request(image_, settings_, frameIndex_);
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
