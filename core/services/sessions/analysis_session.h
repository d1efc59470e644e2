#pragma once
// What the application is looking at: the model, the current image or video frame, the MC
// settings, and the latest result for them. Turns "the user changed something" into requests
// on the inference thread and drops stale answers. Qt Core layer: the window shows what this
// says and sends it what the user does; it never talks to the engine itself.
//
// Still images and paused video: every change supersedes the running request at once (the
// worker stops it between chunks). Playing video: a running frame is allowed to finish and the
// newest frame is analysed next, so inference skips frames instead of falling behind — if each
// new frame cancelled the last, a model slower than playback would never show a result.

#include <QObject>

#include <optional>

#include "core/calibration/calibration.h"

#include "core/services/jobs/latest_job.h"
#include "core/services/sessions/inference_controller.h"
#include "core/services/sessions/model_guard.h"

namespace uvis {

struct AnalysedFrame {
    MapsPtr maps;
    SharedImage input;   // the image the maps were computed from; null before the first
    const RgbImage& image() const;  // *input, or an empty image
    int frameIndex = -1; // -1 for a still image
    SamplingSettings settings;
    bool final = false;  // all requested samples done
};

class AnalysisSession : public QObject {
    Q_OBJECT
public:
    // `validator` checks users' models in a child process (the application itself, in its
    // hidden check mode); `loader` is how the worker loads (tests inject failures).
    explicit AnalysisSession(ValidatorCommand validator, QObject* parent = nullptr, ModelLoaderFn loader = {},
                             int checkTimeoutMs = kDefaultCheckTimeoutMs);
    ~AnalysisSession() override;

    // `trusted` (the bundled model): loaded directly; otherwise validated in a child process
    // first, off the GUI thread. On failure the previous model stays. The latest open wins: a
    // slow check of an earlier model that ends after a later open is dropped.
    void openModel(const QString& path, bool trusted);
    void setImage(SharedImage image, int frameIndex = -1);
    void setImage(const RgbImage& image, int frameIndex = -1) { setImage(std::make_shared<const RgbImage>(image), frameIndex); }
    // A new request at once. A dropout rate equal to the model's training rate means "follow the
    // model": when another model loads, p becomes its training rate (settingsChanged says so); the
    // same for another method (tta follows at p = 0). An ensemble method falls back to mc when the
    // model that loads is a single model.
    void setSettings(const SamplingSettings& settings);
    void setDropoutFollowsModel(bool follows);
    // Post-hoc calibration (`uvis-cli calibrate`): the model's <model>.calibration.json, read when
    // it loads; its fit for the request's method is applied while enabled (the default).
    void setCalibrationEnabled(bool enabled);
    bool calibrationEnabled() const { return calibrationEnabled_; }
    // The fit for the current method, if the file has one.
    std::optional<CalibrationRecord> availableCalibration() const;
    bool dropoutFollowsModel() const { return followsModel_; }
    void setPlaying(bool playing);
    void cancel();

    bool hasModel() const { return modelReady_; }
    const ModelCard& card() const { return card_; }
    QString modelPath() const { return modelPath_; }
    QString device() const { return device_; }
    const SamplingSettings& settings() const { return settings_; }
    const RgbImage& image() const;  // empty before the first
    const AnalysedFrame& latest() const { return latest_; }
    const InferenceStats& stats() const { return stats_; }
    bool busy() const { return inFlight_ != 0; }
    InferenceController& controller() { return controller_; }

Q_SIGNALS:
    void modelValidating(const QString& path);
    // Settings first (p may follow the new model), then modelLoaded; one request follows.
    void settingsChanged(const uvis::SamplingSettings& settings);
    // The numbers a request gives changed (sameResults): T, seed, method, p or the calibration,
    // whoever changed them — what every table of scores made with the old settings listens to.
    void resultSettingsChanged(const uvis::SamplingSettings& settings);
    void modelLoaded(const uvis::ModelCard& card, const QString& device, const QString& path);
    void modelFailed(const QString& path, const QString& message);
    // A later openModel came while `path` was being checked: that check is stopped, unused.
    void modelCheckSuperseded(const QString& path);
    void resultUpdated(const uvis::AnalysedFrame& frame);
    void inferenceFailed(const QString& message);
    // Whether the open model has a calibration for the current method, in words (the file's
    // problem when it cannot be read); emitted on load, method change and toggle.
    void calibrationChanged(bool available, bool applied, const QString& text);

private:
    void submit();
    double followedDropout() const;
    void applyCalibration();  // settings_.calibration from the file, the method and the toggle
    void announceResultSettings();  // resultSettingsChanged when they differ from the last announced
    void onFinished(quint64 id, MapsPtr maps, const InferenceStats& stats);
    void modelChecked(GuardVerdict verdict, const QString& problem);

    InferenceController controller_;
    ValidatorCommand validator_;
    int checkTimeoutMs_;
    QString checkingPath_;  // the model whose check runs or waits; empty when none
    bool followsModel_ = true;
    bool calibrationEnabled_ = true;
    CalibrationFile calibrations_;
    bool modelReady_ = false;
    ModelCard card_;
    QString modelPath_, device_, loadingPath_;
    quint64 loadId_ = 0;
    SamplingSettings settings_;
    SamplingSettings announced_;  // the settings resultSettingsChanged last named
    SharedImage image_;
    int frameIndex_ = -1;
    bool hasImage_ = false;
    bool playing_ = false;
    bool dirty_ = false;     // a newer image waits for the running frame (playing)
    quint64 inFlight_ = 0;   // the request whose answers are shown
    SharedImage inFlightImage_;
    int inFlightFrame_ = -1;
    SamplingSettings inFlightSettings_;
    AnalysedFrame latest_;
    InferenceStats stats_;
    LatestJob<GuardVerdict> modelCheck_;  // last: stopped before what it answers to
};

}  // namespace uvis

Q_DECLARE_METATYPE(uvis::AnalysedFrame)
