#include "ui/video_export_dialog.h"

#include <QDialogButtonBox>
#include <QFileDialog>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QLineEdit>
#include <QPushButton>
#include <QSpinBox>

namespace uvis {

VideoExportDialog::VideoExportDialog(int frameCount, int currentFrame, const QString& suggestedDir, QWidget* parent)
    : QDialog(parent) {
    setWindowTitle("Export overlay video");
    auto* form = new QFormLayout(this);
    first_ = new QSpinBox;
    last_ = new QSpinBox;
    // Frames count from 0 (core/types/frame_numbers.h); both ends are included.
    for (QSpinBox* s : {first_, last_}) s->setRange(0, std::max(0, frameCount - 1));
    first_->setValue(0);
    last_->setValue(std::max(0, frameCount - 1));
    auto* rangeRow = new QHBoxLayout;
    rangeRow->addWidget(first_);
    rangeRow->addWidget(last_);
    auto* fromHere = new QPushButton("From the current frame");
    rangeRow->addWidget(fromHere);
    connect(fromHere, &QPushButton::clicked, this, [this, currentFrame] { first_->setValue(currentFrame); });
    form->addRow("Frames (first, last; from 0)", rangeRow);
    every_ = new QSpinBox;
    every_->setRange(1, 1000);
    every_->setToolTip("Analyse every N-th frame");
    form->addRow("Every", every_);
    dir_ = new QLineEdit(suggestedDir);
    auto* browse = new QPushButton("Choose…");
    auto* dirRow = new QHBoxLayout;
    dirRow->addWidget(dir_, 1);
    dirRow->addWidget(browse);
    connect(browse, &QPushButton::clicked, this, [this] {
        const QString dir = QFileDialog::getSaveFileName(this, "Result folder", dir_->text());
        if (!dir.isEmpty()) dir_->setText(dir);
    });
    form->addRow("Result folder", dirRow);
    auto* buttons = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel);
    connect(buttons, &QDialogButtonBox::accepted, this, &QDialog::accept);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    form->addRow(buttons);
}

int VideoExportDialog::firstFrame() const { return first_->value(); }
int VideoExportDialog::lastFrame() const { return std::max(last_->value(), first_->value()) + 1; }  // exclusive
int VideoExportDialog::every() const { return every_->value(); }
QString VideoExportDialog::dir() const { return dir_->text(); }

}  // namespace uvis
