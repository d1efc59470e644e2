#include "ui/sampling_controls.h"

#include <QCheckBox>
#include <QComboBox>
#include <QDoubleSpinBox>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QPainter>
#include <QPushButton>
#include <QSignalBlocker>
#include <QSlider>
#include <QSpinBox>
#include <QStandardItemModel>
#include <QStyleOptionSlider>

#include <cmath>

#include "core/services/sessions/analysis_session.h"
#include "core/model/model_methods.h"

namespace uvis {

// A horizontal slider with one value marked by a triangle under the groove (the training p).
class MarkedSlider : public QSlider {
public:
    using QSlider::QSlider;
    void setMark(int value) {
        mark_ = value;
        update();
    }

protected:
    void paintEvent(QPaintEvent* e) override {
        QSlider::paintEvent(e);
        QStyleOptionSlider opt;
        initStyleOption(&opt);
        const QRect groove = style()->subControlRect(QStyle::CC_Slider, &opt, QStyle::SC_SliderGroove, this);
        const QRect handle = style()->subControlRect(QStyle::CC_Slider, &opt, QStyle::SC_SliderHandle, this);
        const int span = groove.width() - handle.width();
        const int x = groove.left() + handle.width() / 2 +
                      QStyle::sliderPositionFromValue(minimum(), maximum(), mark_, span);
        QPainter p(this);
        p.setRenderHint(QPainter::Antialiasing);
        p.setBrush(QColor(220, 60, 40));
        p.setPen(Qt::NoPen);
        const int y = height() - 1;
        p.drawPolygon(QPolygon({QPoint(x, y - 6), QPoint(x - 5, y), QPoint(x + 5, y)}));
    }

private:
    int mark_ = 20;
};

SamplingControls::SamplingControls(QWidget* parent) : QWidget(parent) {
    buildRows(new QFormLayout(this));
    setCalibration(false, false, "no calibration for this model");
    setDevices(false);
    connectControls();
    ModelCard none;
    none.name = "no model";
    none.trainDropout = trainP_;
    setModel(none);
}

void SamplingControls::buildRows(QFormLayout* form) {

    methodCombo_ = new QComboBox;
    for (auto m : {UncertaintyMethod::McDropout, UncertaintyMethod::Ensemble, UncertaintyMethod::EnsembleMc,
                   UncertaintyMethod::Tta})
        methodCombo_->addItem(methodTitle(m), static_cast<int>(m));
    methodCombo_->setToolTip("<p>How the passes are drawn. <b>MC dropout</b>: T passes of one model with dropout p. "
                             "<b>Deep ensemble</b>: one pass per member model. <b>Ensemble + MC dropout</b>: T dropout "
                             "passes per member. <b>Test-time augmentation</b>: T passes on flipped, rescaled and "
                             "jittered copies of the image, each mapped back. The ensembles need an ensemble model "
                             "(File → Open model: an ensemble card or a folder of models).</p>");
    calibrationBox_ = new QCheckBox("Calibrated");
    calibrationBox_->setChecked(true);
    auto* methodRow = new QHBoxLayout;
    methodRow->addWidget(methodCombo_, 1);
    methodRow->addWidget(calibrationBox_);
    form->addRow("Method", methodRow);

    samplesSlider_ = new QSlider(Qt::Horizontal);
    samplesSlider_->setRange(1, 128);
    samplesSpin_ = new QSpinBox;
    samplesSpin_->setRange(1, 128);
    samplesSpin_->setToolTip("Monte-Carlo samples T: passes with a fresh dropout mask each");
    auto* samplesRow = new QHBoxLayout;
    samplesRow->addWidget(samplesSlider_, 1);
    samplesRow->addWidget(samplesSpin_);
    form->addRow("Samples T", samplesRow);

    dropoutSlider_ = new MarkedSlider(Qt::Horizontal);
    dropoutSlider_->setRange(0, 90);  // p in hundredths
    dropoutSlider_->setMinimumHeight(28);
    dropoutSpin_ = new QDoubleSpinBox;
    dropoutSpin_->setRange(0.0, 0.9);
    dropoutSpin_->setSingleStep(0.01);
    dropoutSpin_->setDecimals(2);
    trainButton_ = new QPushButton("train p");
    trainButton_->setToolTip("Back to the dropout rate the model was trained with");
    auto* dropoutRow = new QHBoxLayout;
    dropoutRow->addWidget(dropoutSlider_, 1);
    dropoutRow->addWidget(dropoutSpin_);
    dropoutRow->addWidget(trainButton_);
    form->addRow("Dropout p", dropoutRow);

    seedSpin_ = new QSpinBox;
    seedSpin_->setRange(0, 2147483647);
    seedSpin_->setToolTip("Seed of the dropout masks: the same seed gives the same maps");
    deviceCombo_ = new QComboBox;
    // One row for both: the dock stays short enough for the Metrics dock's plots on a laptop.
    auto* seedRow = new QHBoxLayout;
    seedRow->addWidget(seedSpin_, 1);
    seedRow->addWidget(new QLabel("Device"));
    seedRow->addWidget(deviceCombo_, 1);
    form->addRow("Seed", seedRow);

    temporalSpin_ = new QSpinBox;
    temporalSpin_->setRange(0, 127);
    temporalSpin_->setSpecialValueText("every frame draws all T");
    temporalSpin_->setSuffix(" fresh per frame, the rest carried");
    temporalSpin_->setToolTip(
        "Video only. 0: every frame draws all T samples. k > 0: each frame draws k fresh samples and reuses "
        "up to T − k samples of the frames before, carried by optical flow and weighted by age; a cut, a seek "
        "or the first frame draws all T. Faster, but the epistemic maps follow full MC only loosely on a "
        "moving camera (docs/performance.md, \"Temporal sampling\").");
    form->addRow("Video", temporalSpin_);
}

void SamplingControls::connectControls() {
    // Slider and spin box mirror each other; each user change emits exactly once.
    connect(samplesSlider_, &QSlider::valueChanged, this, [this](int v) {
        const QSignalBlocker block(samplesSpin_);
        samplesSpin_->setValue(v);
        emitChanged();
    });
    connect(samplesSpin_, &QSpinBox::valueChanged, this, [this](int v) {
        const QSignalBlocker block(samplesSlider_);
        samplesSlider_->setValue(v);
        emitChanged();
    });
    connect(dropoutSlider_, &QSlider::valueChanged, this, [this](int v) {
        const QSignalBlocker block(dropoutSpin_);
        dropoutSpin_->setValue(v / 100.0);
        emitChanged();
    });
    connect(dropoutSpin_, &QDoubleSpinBox::valueChanged, this, [this](double v) {
        const QSignalBlocker block(dropoutSlider_);
        dropoutSlider_->setValue(static_cast<int>(std::lround(v * 100)));
        emitChanged();  // a value between slider steps still counts
    });
    connect(trainButton_, &QPushButton::clicked, this, [this] { dropoutSpin_->setValue(trainP_); });
    connect(seedSpin_, &QSpinBox::valueChanged, this, [this] { emitChanged(); });
    connect(temporalSpin_, &QSpinBox::valueChanged, this, [this] { emitChanged(); });
    connect(deviceCombo_, &QComboBox::currentIndexChanged, this, [this] { emitChanged(); });
    connect(calibrationBox_, &QCheckBox::toggled, this, &SamplingControls::calibrationToggled);
    connect(methodCombo_, &QComboBox::currentIndexChanged, this, [this] {
        showMethod();
        emitChanged();
    });
}

QSlider* SamplingControls::dropoutSlider() const { return dropoutSlider_; }

SamplingSettings SamplingControls::settings() const {
    SamplingSettings s;
    s.method = static_cast<UncertaintyMethod>(methodCombo_->currentData().toInt());
    s.samples = samplesSpin_->value();
    s.dropout = dropoutSpin_->value();
    s.seed = static_cast<std::uint64_t>(seedSpin_->value());
    s.temporalFresh = temporalSpin_->value();
    // Each entry is a device and the passes' arithmetic: "cpu fp32", "cuda bf16", …
    const QStringList parts = deviceCombo_->currentData().toString().split(' ');
    s.device = parts.value(0) == "cuda" ? DeviceKind::Cuda : DeviceKind::Cpu;
    parsePrecision(parts.value(1, "fp32").toStdString(), &s.precision);
    return s;
}

void SamplingControls::setSettings(const SamplingSettings& s) {
    quiet_ = true;
    const int method = methodCombo_->findData(static_cast<int>(s.method));
    if (method >= 0) methodCombo_->setCurrentIndex(method);
    samplesSpin_->setValue(s.samples);
    dropoutSpin_->setValue(s.dropout);
    seedSpin_->setValue(static_cast<int>(std::min<std::uint64_t>(s.seed, 2147483647)));
    temporalSpin_->setValue(s.temporalFresh);
    const int device = deviceCombo_->findData(QString(s.device == DeviceKind::Cuda ? "cuda " : "cpu ") +
                                              precisionName(s.precision));
    if (device >= 0) deviceCombo_->setCurrentIndex(device);
    quiet_ = false;
}

void SamplingControls::setModel(const ModelCard& card) {
    trainP_ = card.trainDropout;
    ensembleSize_ = card.members;
    hasDropout_ = card.hasDropout;
    dropoutSlider_->setMark(static_cast<int>(std::lround(trainP_ * 100)));
    // Rich text: Qt wraps it (a plain tooltip was one ~1350 px line).
    QString tip;
    if (!card.hasDropout) {
        tip = "<p>This model has no dropout (a deterministic model): MC dropout does not apply. Test-time "
              "augmentation and ensembles draw its samples.</p>";
    } else if (card.dropoutScaling == DropoutScaling::Proportional) {
        tip = QString("<p>The model's dropout layers were trained at their own rates: %1. p scales them all: a "
                      "layer trained at p<sub>i</sub> runs at p<sub>i</sub> · p / %2. At p = %2 (the red mark, "
                      "<b>as trained</b>) every layer runs at its own rate, the approximate posterior it learned; "
                      "other values explore the model's sensitivity.</p>")
                  .arg(QString::fromStdString(trainedRatesText(card)).toHtmlEscaped())
                  .arg(trainP_, 0, 'f', 2);
    } else {
        tip = QString("<p>Dropout rate p of the Monte-Carlo passes. The model was trained at p = %1 (the red mark, "
                      "<b>as trained</b>): only that rate samples the approximate posterior it learned. Other rates "
                      "explore the model's sensitivity; they are not its posterior.</p>")
                  .arg(trainP_, 0, 'f', 2);
    }
    dropoutSlider_->setToolTip(tip);
    dropoutSpin_->setToolTip(tip);
    trainButton_->setToolTip(tip);
    trainButton_->setText(card.hasDropout ? QString("as trained (%1)").arg(trainP_, 0, 'f', 2) : QString("no dropout"));
    auto* model = qobject_cast<QStandardItemModel*>(methodCombo_->model());
    for (int i = 0; i < methodCombo_->count(); ++i) {
        const auto m = static_cast<UncertaintyMethod>(methodCombo_->itemData(i).toInt());
        if (QStandardItem* item = model ? model->item(i) : nullptr) {
            const std::string why = methodUnavailableReason(m, card);
            item->setEnabled(why.empty());
            item->setToolTip(QString::fromStdString(why));
        }
    }
    showMethod();
}

void SamplingControls::setDevices(bool cuda) {
    quiet_ = true;
    deviceCombo_->clear();
    deviceCombo_->addItem("CPU", "cpu fp32");
    deviceCombo_->addItem("CPU, bf16", "cpu bf16");
    if (cuda) {
        deviceCombo_->addItem("CUDA (GPU)", "cuda fp32");
        deviceCombo_->addItem("CUDA, bf16", "cuda bf16");
    }
    deviceCombo_->setToolTip(QString(cuda ? "Where the model runs" : "This LibTorch has no CUDA: CPU only") +
                             ". bf16: the passes in 16-bit brain floats where the CPU (AVX512-BF16) or GPU has "
                             "them — faster, the statistics still in 32-bit; the maps differ by about 1–4 %.");
    quiet_ = false;
}

void SamplingControls::setCalibration(bool available, bool applied, const QString& text) {
    const QSignalBlocker block(calibrationBox_);
    calibrationBox_->setEnabled(available);
    // Unticked without a calibration: a greyed tick would read "calibration applied".
    calibrationBox_->setChecked(available && applied);
    calibrationBox_->setToolTip("<p>Post-hoc calibration from the model's .calibration.json: segmentation logits / τ, "
                                "depth variances × c. " + text.toHtmlEscaped() + "</p>");
}

void SamplingControls::showMethod() {
    const auto m = static_cast<UncertaintyMethod>(methodCombo_->currentData().toInt());
    const bool ensemble = m == UncertaintyMethod::Ensemble;
    // A plain ensemble draws one pass per member at p = 0: neither T nor p applies.
    for (QWidget* w : std::initializer_list<QWidget*>{samplesSlider_, samplesSpin_}) w->setEnabled(!ensemble);
    for (QWidget* w : std::initializer_list<QWidget*>{dropoutSlider_, dropoutSpin_, trainButton_})
        w->setEnabled(!ensemble && hasDropout_);
    samplesSpin_->setSuffix(m == UncertaintyMethod::EnsembleMc ? QString(" × %1").arg(ensembleSize_) : QString());
}

void SamplingControls::emitChanged() {
    if (!quiet_) Q_EMIT settingsChanged(settings());
}

void bindControls(SamplingControls* controls, AnalysisSession& session) {
    QObject::connect(controls, &SamplingControls::settingsChanged, &session, &AnalysisSession::setSettings);
    QObject::connect(controls, &SamplingControls::calibrationToggled, &session, &AnalysisSession::setCalibrationEnabled);
    QObject::connect(&session, &AnalysisSession::settingsChanged, controls, &SamplingControls::setSettings);
    QObject::connect(&session, &AnalysisSession::calibrationChanged, controls, &SamplingControls::setCalibration);
    QObject::connect(&session, &AnalysisSession::modelLoaded, controls, [controls](const ModelCard& card) {
        controls->setModel(card);
    });
}

}  // namespace uvis
