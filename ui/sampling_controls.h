#pragma once
// The Monte-Carlo controls: the uncertainty method (MC dropout, deep ensemble, ensemble + MC
// dropout, test-time augmentation; the ensembles only for an ensemble model), number of samples T (1–128), dropout rate p (0–0.9, the model's
// training rate marked on the slider and set by default), seed and device, and for video how
// many samples each frame draws fresh (the rest carried from earlier frames). Every change emits
// the full settings at once; the session turns that into a request that supersedes the last.

#include <QWidget>

#include "core/engine/sampling_settings.h"
#include "core/model/model_card.h"

class QCheckBox;
class QComboBox;
class QFormLayout;
class QDoubleSpinBox;
class QLabel;
class QPushButton;
class QSlider;
class QSpinBox;

namespace uvis {

class AnalysisSession;
class MarkedSlider;

class SamplingControls : public QWidget {
    Q_OBJECT
public:
    explicit SamplingControls(QWidget* parent = nullptr);

    SamplingSettings settings() const;
    // Without emitting: restoring settings, or a new model's training rate.
    void setSettings(const SamplingSettings& settings);
    // The open model: its trained rate marked on the p slider ("as trained"), its layers' own
    // rates in the tooltip, and the methods it supports offered (the others greyed, saying why).
    void setModel(const ModelCard& card);
    void setDevices(bool cuda);
    QComboBox* methodCombo() const { return methodCombo_; }
    // The model's calibration for the current method (AnalysisSession::calibrationChanged).
    void setCalibration(bool available, bool applied, const QString& text);
    QCheckBox* calibrationBox() const { return calibrationBox_; }

    // For tests: the widgets a user drags.
    QSlider* samplesSlider() const { return samplesSlider_; }
    QSlider* dropoutSlider() const;
    QSpinBox* temporalSpin() const { return temporalSpin_; }

Q_SIGNALS:
    void settingsChanged(const uvis::SamplingSettings& settings);
    void calibrationToggled(bool enabled);

private:
    void buildRows(QFormLayout* form);  // method, T, p, seed and device, video sampling
    void connectControls();
    void emitChanged();
    void showMethod();  // what T and p mean for the chosen method
    QComboBox* methodCombo_;
    QSlider* samplesSlider_;
    QSpinBox* samplesSpin_;
    MarkedSlider* dropoutSlider_;
    QDoubleSpinBox* dropoutSpin_;
    QPushButton* trainButton_;
    QSpinBox* seedSpin_;
    QSpinBox* temporalSpin_;
    QComboBox* deviceCombo_;
    QCheckBox* calibrationBox_;
    double trainP_ = 0.2;
    int ensembleSize_ = 1;
    bool hasDropout_ = true;
    bool quiet_ = false;
};

// Controls and session in both directions: what the user sets becomes the session's request; what
// the session decides (p following a new model, a method falling back, the calibration on offer,
// the model's K and training p) is shown. The window's A and the comparison's B use the same rule.
void bindControls(SamplingControls* controls, AnalysisSession& session);

}  // namespace uvis
