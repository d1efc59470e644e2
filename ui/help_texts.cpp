#include "ui/help_texts.h"

#include <QAction>
#include <QMenu>
#include <QMessageBox>
#include <QRegularExpression>

#include <functional>

#include "core/runtime/device.h"
#include "core/io/image_io.h"
#include "core/runtime/version.h"

namespace uvis {

QString shortcutsText(const QList<QAction*>& menus) {
    // Every menu action with a shortcut, by its menu path; then what the views do with the mouse.
    QString rows;
    auto row = [&rows](const QString& keys, const QString& what) {
        rows += "<tr><td style='padding-right:24px'><b>" + keys.toHtmlEscaped() + "</b></td><td>" + what.toHtmlEscaped() +
                "</td></tr>";
    };
    std::function<void(const QList<QAction*>&, const QString&)> walk = [&](const QList<QAction*>& actions,
                                                                           const QString& path) {
        for (QAction* a : actions) {
            const QString name = QString(a->text()).remove(QRegularExpression("&(?!&)")).remove(QChar(0x2026));
            if (a->menu()) {
                walk(a->menu()->actions(), path + name + " → ");
                continue;
            }
            QStringList keys;
            for (const QKeySequence& k : a->shortcuts()) keys << k.toString(QKeySequence::NativeText);
            if (!keys.isEmpty()) row(keys.join(" or "), path + name);
        }
    };
    walk(menus, QString());
    row("double-click", "fit the image in the views");
    row("wheel", "zoom in / out (all views together)");
    row("drag", "pan (all views together)");
    return "<table>" + rows + "</table>";
}

QString aboutText(const QString& device) {
    return QString("<p><b>uvis %1</b> — see what a vision model does not know.</p>"
                   "<p>Monte-Carlo dropout depth and segmentation with aleatoric and epistemic uncertainty "
                   "(Kendall &amp; Gal 2017).</p>"
                   "<p>LibTorch %2 · Qt %3 · OpenCV %4<br>Device: %5</p>")
        .arg(QString::fromStdString(versionString()), QString::fromStdString(libTorchVersion()), qVersion(),
             QString::fromStdString(openCvVersion()), device.isEmpty() ? QString("no model loaded yet") : device);
}

void showShortcuts(QWidget* parent, const QList<QAction*>& menus) {
    auto* box = new QMessageBox(QMessageBox::NoIcon, "Keyboard shortcuts", shortcutsText(menus), QMessageBox::Ok, parent);
    box->setAttribute(Qt::WA_DeleteOnClose);
    box->open();
}

void showAbout(QWidget* parent, const QString& device) { QMessageBox::about(parent, "About uvis", aboutText(device)); }

}  // namespace uvis
