#include "ui/display_controls.h"

#include <QCheckBox>
#include <QComboBox>
#include <QDoubleSpinBox>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QPushButton>
#include <QSlider>

namespace uvis {

DisplayControls::DisplayControls(QWidget* parent) : QWidget(parent) {
    auto* form = new QFormLayout(this);
    task_ = new QComboBox;
    task_->addItem("Depth", static_cast<int>(UncertaintyTask::Depth));
    task_->addItem("Segmentation", static_cast<int>(UncertaintyTask::Segmentation));
    task_->setToolTip("Which task the aleatoric and epistemic views show");
    form->addRow("Task", task_);
    measure_ = new QComboBox;
    measure_->setToolTip("The measure of the chosen-measure view, its overlay and its threshold");
    form->addRow("Measure", measure_);
    colormap_ = new QComboBox;
    for (Colormap c : {Colormap::Viridis, Colormap::Magma, Colormap::Inferno, Colormap::Turbo})
        colormap_->addItem(QString::fromStdString(colormapName(c)), static_cast<int>(c));
    form->addRow("Colormap", colormap_);

    rangeMode_ = new QComboBox;
    rangeMode_->addItem("Automatic", static_cast<int>(RangeMode::Automatic));
    rangeMode_->addItem("Per frame", static_cast<int>(RangeMode::AutoPerFrame));
    rangeMode_->addItem("Fixed across the video", static_cast<int>(RangeMode::FixedAcrossVideo));
    rangeMode_->addItem("Typed in", static_cast<int>(RangeMode::Manual));
    rangeMode_->setToolTip("Automatic: per frame on an image, fixed on a video. Per frame: 2–98 % of each "
                           "result. Fixed: the first complete result's range, kept so that a video's legend does "
                           "not jump (Refix takes the next one). Typed in: for the uncertainty views.");
    form->addRow("Range", rangeMode_);
    low_ = new QDoubleSpinBox;
    high_ = new QDoubleSpinBox;
    for (QDoubleSpinBox* s : {low_, high_}) {
        s->setRange(0.0, 1e4);
        s->setDecimals(3);
        s->setSingleStep(0.05);
    }
    high_->setValue(1.0);
    resetRange_ = new QPushButton("Refix");
    resetRange_->setToolTip("Fix the range again from the next complete result");
    auto* rangeRow = new QHBoxLayout;
    rangeRow->addWidget(low_);
    rangeRow->addWidget(high_);
    rangeRow->addWidget(resetRange_);
    form->addRow("Low / high", rangeRow);

    overlay_ = new QCheckBox("Blend over the input");
    overlay_->setChecked(true);  // the sixth view: the chosen measure where it is in the scene
    opacity_ = new QSlider(Qt::Horizontal);
    opacity_->setRange(0, 100);
    opacity_->setValue(60);
    opacity_->setToolTip("Overlay opacity");
    auto* overlayRow = new QHBoxLayout;
    overlayRow->addWidget(overlay_);
    overlayRow->addWidget(opacity_, 1);
    form->addRow("Overlay", overlayRow);
    threshold_ = new QCheckBox("Highlight above");
    thresholdValue_ = new QDoubleSpinBox;
    thresholdValue_->setRange(0.0, 1e4);
    thresholdValue_->setDecimals(3);
    thresholdValue_->setSingleStep(0.05);
    thresholdValue_->setValue(1.0);
    auto* thresholdRow = new QHBoxLayout;
    thresholdRow->addWidget(threshold_);
    thresholdRow->addWidget(thresholdValue_, 1);
    form->addRow("Threshold", thresholdRow);

    fillMeasures(UncertaintyTask::Depth, Measure::DepthEpistemicStd);
    connect(task_, &QComboBox::currentIndexChanged, this, [this] {
        const auto task = static_cast<UncertaintyTask>(task_->currentData().toInt());
        fillMeasures(task, measuresFor(task).front());
        emitChanged();
    });
    for (QComboBox* c : {measure_, colormap_, rangeMode_})
        connect(c, &QComboBox::currentIndexChanged, this, [this] { emitChanged(); });
    for (QDoubleSpinBox* s : {low_, high_, thresholdValue_})
        connect(s, &QDoubleSpinBox::valueChanged, this, [this] { emitChanged(); });
    for (QCheckBox* c : {overlay_, threshold_}) connect(c, &QCheckBox::toggled, this, [this] { emitChanged(); });
    connect(opacity_, &QSlider::valueChanged, this, [this] { emitChanged(); });
    connect(resetRange_, &QPushButton::clicked, this, &DisplayControls::resetFixedRange);
    emitChanged();
}

void DisplayControls::fillMeasures(UncertaintyTask task, Measure current) {
    const bool wasQuiet = quiet_;
    quiet_ = true;
    measure_->clear();
    for (Measure m : measuresFor(task))
        measure_->addItem(QString::fromStdString(measureName(m) + " (" + measureUnit(m) + ")"), static_cast<int>(m));
    measure_->setCurrentIndex(std::max(0, measure_->findData(static_cast<int>(current))));
    quiet_ = wasQuiet;
}

DisplayOptions DisplayControls::options() const {
    DisplayOptions o;
    o.task = static_cast<UncertaintyTask>(task_->currentData().toInt());
    o.measure = static_cast<Measure>(measure_->currentData().toInt());
    o.colormap = static_cast<Colormap>(colormap_->currentData().toInt());
    o.rangeMode = static_cast<RangeMode>(rangeMode_->currentData().toInt());
    o.manualRange = {static_cast<float>(low_->value()), static_cast<float>(high_->value())};
    o.overlay = overlay_->isChecked();
    o.opacity = opacity_->value() / 100.f;
    o.threshold = threshold_->isChecked();
    o.thresholdValue = static_cast<float>(thresholdValue_->value());
    return o;
}

void DisplayControls::setOptions(const DisplayOptions& o) {
    quiet_ = true;
    task_->setCurrentIndex(task_->findData(static_cast<int>(o.task)));
    fillMeasures(o.task, o.measure);
    colormap_->setCurrentIndex(colormap_->findData(static_cast<int>(o.colormap)));
    rangeMode_->setCurrentIndex(rangeMode_->findData(static_cast<int>(o.rangeMode)));
    low_->setValue(o.manualRange.low);
    high_->setValue(o.manualRange.high);
    overlay_->setChecked(o.overlay);
    opacity_->setValue(static_cast<int>(o.opacity * 100));
    threshold_->setChecked(o.threshold);
    thresholdValue_->setValue(o.thresholdValue);
    quiet_ = false;
}

void DisplayControls::emitChanged() {
    const auto mode = static_cast<RangeMode>(rangeMode_->currentData().toInt());
    low_->setEnabled(mode == RangeMode::Manual);
    high_->setEnabled(mode == RangeMode::Manual);
    resetRange_->setEnabled(mode == RangeMode::FixedAcrossVideo || mode == RangeMode::Automatic);
    opacity_->setEnabled(overlay_->isChecked());
    thresholdValue_->setEnabled(threshold_->isChecked());
    if (!quiet_) Q_EMIT optionsChanged(options());
}

}  // namespace uvis
