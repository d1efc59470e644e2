#include "ui/file_dialogs.h"

#include <QFileDialog>
#include <QFileInfo>
#include <QMessageBox>

namespace uvis::dialogs {

QString askImageOrVideo(QWidget* parent, const QString& folder) {
    return QFileDialog::getOpenFileName(
        parent, "Open an image or a video", folder,
        "Images and videos (*.png *.jpg *.jpeg *.bmp *.tif *.tiff *.webp *.ppm *.avi *.mp4 *.mkv *.mov *.webm "
        "*.m4v *.mpg *.mpeg);;All files (*)");
}

QString askModel(QWidget* parent, const QString& folder) {
    return QFileDialog::getOpenFileName(parent, "Open a model", folder,
                                        "Models and ensemble cards (*.uvis *.pt *.pth *.ts *.torchscript *.json);;All files (*)");
}

QString askTruth(QWidget* parent, const QString& folder, bool depth) {
    return QFileDialog::getOpenFileName(
        parent, depth ? "Open depth ground truth" : "Open label ground truth", folder,
        depth ? "Depth (*.png *.npy *.exr);;All files (*)" : "Labels (*.png *.npy);;All files (*)");
}

bool mayReplace(QWidget* parent, const QString& dir, bool* overwrite) {
    *overwrite = false;
    if (!QFileInfo::exists(dir)) return true;
    if (QMessageBox::question(parent, "uvis", dir + " exists. Replace it?") != QMessageBox::Yes) return false;
    *overwrite = true;
    return true;
}

QString askDatasetFolder(QWidget* parent, const QString& folder) {
    return QFileDialog::getExistingDirectory(parent, "Open a folder of images (a data set)", folder);
}

QString askManifest(QWidget* parent, const QString& folder) {
    return QFileDialog::getOpenFileName(parent, "Open a data-set manifest", folder,
                                        "Manifests (*.csv *.json);;All files (*)");
}

QString askNewFolder(QWidget* parent, const QString& title, const QString& suggested, bool* overwrite) {
    const QString dir = QFileDialog::getSaveFileName(parent, title, suggested);
    *overwrite = false;
    if (dir.isEmpty() || !mayReplace(parent, dir, overwrite)) return {};
    return dir;
}

}  // namespace uvis::dialogs
