#pragma once
// Asks what to export of a video: the frame range (whole clip by default), every N-th frame,
// and the result folder.

#include <QDialog>

class QLineEdit;
class QSpinBox;

namespace uvis {

class VideoExportDialog : public QDialog {
    Q_OBJECT
public:
    VideoExportDialog(int frameCount, int currentFrame, const QString& suggestedDir, QWidget* parent = nullptr);
    int firstFrame() const;  // 0-based
    int lastFrame() const;   // exclusive
    int every() const;
    QString dir() const;

private:
    QSpinBox* first_;
    QSpinBox* last_;
    QSpinBox* every_;
    QLineEdit* dir_;
};

}  // namespace uvis
