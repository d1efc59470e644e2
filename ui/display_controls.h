#pragma once
// How the uncertainty is shown: task (depth or segmentation), measure, colormap, range
// (automatic per frame, fixed across a video, or typed in), overlay with opacity, threshold.
// Emits the whole DisplayOptions on every change; drawing is map_views' job.

#include <QWidget>

#include "core/imaging/map_views.h"

class QCheckBox;
class QComboBox;
class QDoubleSpinBox;
class QPushButton;
class QSlider;

namespace uvis {

class DisplayControls : public QWidget {
    Q_OBJECT
public:
    explicit DisplayControls(QWidget* parent = nullptr);

    DisplayOptions options() const;
    void setOptions(const DisplayOptions& options);  // without emitting
    QComboBox* taskCombo() const { return task_; }
    QComboBox* measureCombo() const { return measure_; }

Q_SIGNALS:
    void optionsChanged(const uvis::DisplayOptions& options);
    void resetFixedRange();

private:
    void fillMeasures(UncertaintyTask task, Measure current);
    void emitChanged();
    QComboBox* task_;
    QComboBox* measure_;
    QComboBox* colormap_;
    QComboBox* rangeMode_;
    QDoubleSpinBox* low_;
    QDoubleSpinBox* high_;
    QPushButton* resetRange_;
    QCheckBox* overlay_;
    QSlider* opacity_;
    QCheckBox* threshold_;
    QDoubleSpinBox* thresholdValue_;
    bool quiet_ = false;
};

}  // namespace uvis
