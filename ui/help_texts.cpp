#include "ui/help_texts.h"

#include <QMessageBox>

#include "core/runtime/device.h"
#include "core/io/image_io.h"
#include "core/runtime/version.h"

namespace uvis {

QString shortcutsText() {
    return "<table>"
           "<tr><td><b>Ctrl+O</b></td><td>open an image or a video</td></tr>"
           "<tr><td><b>Ctrl+M</b></td><td>open a model</td></tr>"
           "<tr><td><b>Ctrl+E</b></td><td>export the current view</td></tr>"
           "<tr><td><b>Ctrl+Shift+E</b></td><td>export an overlay video</td></tr>"
           "<tr><td><b>Space</b></td><td>play / pause the video</td></tr>"
           "<tr><td><b>,</b> and <b>.</b></td><td>previous / next frame</td></tr>"
           "<tr><td><b>Ctrl+T</b></td><td>analyse the whole video (timeline)</td></tr>"
           "<tr><td><b>Ctrl+B</b></td><td>bookmark this frame</td></tr>"
           "<tr><td><b>F</b>, double-click</td><td>fit the image in the views</td></tr>"
           "<tr><td><b>1</b></td><td>one image pixel per screen pixel</td></tr>"
           "<tr><td><b>Ctrl++</b> / <b>Ctrl+-</b>, wheel</td><td>zoom in / out (all views together)</td></tr>"
           "<tr><td>drag</td><td>pan (all views together)</td></tr>"
           "<tr><td><b>A</b> / <b>B</b></td><td>compare: show configuration A / B (the A/B dock)</td></tr>"
           "<tr><td><b>S</b> / <b>D</b></td><td>compare: A and B side by side / difference B − A</td></tr>"
           "<tr><td><b>Shift+C</b></td><td>compare: off (A only)</td></tr>"
           "<tr><td><b>Ctrl+Q</b></td><td>quit</td></tr>"
           "</table>";
}

QString aboutText(const QString& device) {
    return QString("<p><b>uvis %1</b> — see what a vision model does not know.</p>"
                   "<p>Monte-Carlo dropout depth and segmentation with aleatoric and epistemic uncertainty "
                   "(Kendall &amp; Gal 2017).</p>"
                   "<p>LibTorch %2 · Qt %3 · OpenCV %4<br>Device: %5</p>")
        .arg(QString::fromStdString(versionString()), QString::fromStdString(libTorchVersion()), qVersion(),
             QString::fromStdString(openCvVersion()), device.isEmpty() ? QString("no model loaded yet") : device);
}

void showShortcuts(QWidget* parent) {
    auto* box = new QMessageBox(QMessageBox::NoIcon, "Keyboard shortcuts", shortcutsText(), QMessageBox::Ok, parent);
    box->setAttribute(Qt::WA_DeleteOnClose);
    box->open();
}

void showAbout(QWidget* parent, const QString& device) { QMessageBox::about(parent, "About uvis", aboutText(device)); }

}  // namespace uvis
