#include "ui/help_texts.h"

#include <QAction>
#include <QDialog>
#include <QDialogButtonBox>
#include <QTextBrowser>
#include <QVBoxLayout>
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

QString mapsHelpText() {
    // One entry per view, in the order of the window; formulas as docs/spec.md §2 writes them.
    const QList<std::pair<QString, QString>> entries = {
        {"Input",
         "The image or video frame the model sees. Every other view shows the same scene point at the same "
         "place; hover to read one pixel's numbers in the Pixel inspector."},
        {"Depth",
         "The predictive mean depth μ̄ = (1/T) Σ<sub>t</sub> μ<sub>t</sub> in metres over the T stochastic "
         "passes (each pass drops other units). The legend gives the range in metres."},
        {"Segmentation",
         "The class with the highest mean probability, argmax p̄ with p̄ = (1/T) Σ<sub>t</sub> "
         "softmax(f<sub>t</sub>). Confidence is max p̄: how sure the averaged model is."},
        {"Aleatoric uncertainty (the data)",
         "Noise in the data that no amount of training removes — reflections, far or thin objects, object "
         "edges: depth σ = √A with A = (1/T) Σ<sub>t</sub> exp(s<sub>t</sub>), the variance the model "
         "predicts for itself; for classes the expected entropy (1/T) Σ<sub>t</sub> H[p<sub>t</sub>] in nats. "
         "It stays high where the scene is ambiguous, however much data the model saw."},
        {"Epistemic uncertainty (the model)",
         "What the model does not know: how much the T passes disagree. Depth σ = √E with E = (1/T) "
         "Σ<sub>t</sub> μ<sub>t</sub>² − μ̄² (metres); for classes the mutual information H[p̄] − (1/T) "
         "Σ<sub>t</sub> H[p<sub>t</sub>] (nats, BALD). It grows on scenes unlike the training data and "
         "shrinks with more data — the map to hunt failures with."},
        {"σ/μ (relative)",
         "The standard deviation divided by the depth, near √ of the variance of log depth: 0.1 means about "
         "±10 %. Far pixels have large σ in metres; σ/μ compares near and far fairly."},
        {"Chosen measure",
         "The measure picked under the views (any of the above, or the predictive entropy H[p̄] = −Σ<sub>k</sub> "
         "p̄<sub>k</sub> log p̄<sub>k</sub>, the total of both kinds), with its threshold as an overlay. "
         "With ground truth, the error row shows where the model is wrong and whether it knew "
         "(wrong × uncertain)."},
        {"Samples",
         "“12 / 32 samples” is how many passes are in the maps so far: the maps refine while you watch, and "
         "every partial result is a valid estimate. More samples give steadier epistemic maps; the same seed "
         "gives the same maps."},
    };
    QString html = "<h3>What am I looking at?</h3><p>uvis runs the model T times with dropout on (Monte-Carlo "
                   "dropout; other methods draw the passes differently) and shows the statistics of the passes. "
                   "Two kinds of uncertainty (Kendall &amp; Gal, 2017): <b>aleatoric</b> — the data is "
                   "ambiguous; <b>epistemic</b> — the model has not seen enough like it.</p><dl>";
    for (const auto& [title, text] : entries) html += "<dt><b>" + title + "</b></dt><dd>" + text + "</dd>";
    return html + "</dl>";
}

void showMapsHelp(QWidget* parent) {
    // A scrolling page of its own size, not a message box that grows with its text: it fits a
    // 1280×720 screen and stays open beside the views.
    auto* dialog = new QDialog(parent);
    dialog->setObjectName("maps_help");
    dialog->setWindowTitle("What am I looking at?");
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    auto* page = new QTextBrowser;
    page->setHtml(mapsHelpText());
    auto* buttons = new QDialogButtonBox(QDialogButtonBox::Close);
    QObject::connect(buttons, &QDialogButtonBox::rejected, dialog, &QDialog::close);
    auto* column = new QVBoxLayout(dialog);
    column->addWidget(page);
    column->addWidget(buttons);
    dialog->resize(560, 520);
    dialog->show();
}

void showShortcuts(QWidget* parent, const QList<QAction*>& menus) {
    auto* box = new QMessageBox(QMessageBox::NoIcon, "Keyboard shortcuts", shortcutsText(menus), QMessageBox::Ok, parent);
    box->setAttribute(Qt::WA_DeleteOnClose);
    box->open();
}

void showAbout(QWidget* parent, const QString& device) { QMessageBox::about(parent, "About uvis", aboutText(device)); }

}  // namespace uvis
