// uvis: the desktop application.
//   uvis [--model MODEL] [FILE]
// With nothing given it opens the bundled demo model and a bundled sample, so that a first-time
// user sees it work at once.

#include <QApplication>
#include <QCommandLineParser>
#include <QDockWidget>
#include <QFileInfo>
#include <QTimer>

#include <cstdio>

#include "core/allocator_tuning.h"
#include "core/services/app_settings.h"
#include "core/services/model_guard.h"
#include "core/services/resource_paths.h"
#include "ui/main_window.h"

using namespace uvis;

int main(int argc, char** argv) {
    tuneAllocatorForInference();
    // Without a display Qt's xcb plugin aborts with a core dump; say what to do instead.
    if (qEnvironmentVariableIsEmpty("QT_QPA_PLATFORM") && qEnvironmentVariableIsEmpty("DISPLAY") &&
        qEnvironmentVariableIsEmpty("WAYLAND_DISPLAY")) {
        std::fprintf(stderr, "uvis: no display (DISPLAY and WAYLAND_DISPLAY are not set). Run it on a desktop, under "
                             "xvfb-run, or use uvis-cli for files without a display.\n");
        return 1;
    }
    QApplication app(argc, argv);
    QApplication::setApplicationName("uvis");
    QApplication::setOrganizationName("uvis");
    QApplication::setApplicationVersion("0.1.0");

    QCommandLineParser parser;
    parser.setApplicationDescription("uvis: see what a vision model does not know (Monte-Carlo dropout depth and "
                                     "segmentation with aleatoric and epistemic uncertainty).");
    parser.addHelpOption();
    parser.addVersionOption();
    parser.addPositionalArgument("file", "An image or a video to open (default: a bundled sample).", "[FILE]");
    const QCommandLineOption model({"m", "model"}, "Model file (default: the bundled demo model).", "model");
    const QCommandLineOption settingsFile("settings", "Read and write settings in this INI file instead of the "
                                                      "user's (for reproducible screenshots).", "ini");
    const QCommandLineOption screenshot("screenshot", "When the first result is complete, save a picture of the "
                                                      "window to FILE and quit.", "png");
    const QCommandLineOption size("window-size", "Window size WxH.", "WxH");
    const QCommandLineOption dock("show-dock", "Bring a dock to the front: inspector, metrics or video_analysis.",
                                  "name");
    parser.addOptions({model, settingsFile, screenshot, size, dock});
    parser.process(app);
    const QStringList files = parser.positionalArguments();
    if (files.size() > 1) {
        std::fprintf(stderr, "uvis: give at most one FILE\nTry 'uvis --help'.\n");
        return 2;
    }
    const QString modelPath = parser.isSet(model) ? parser.value(model) : bundledModelPath();
    const QString file = files.isEmpty() ? bundledSamplePath() : files.first();
    for (const QString& path : {modelPath, file})
        if (!QFileInfo(path).isFile()) {
            std::fprintf(stderr, "uvis: %s: no such file\n", qPrintable(path));
            return 3;
        }

    AppSettings settings(parser.value(settingsFile));
    MainWindow window(settings, MainWindow::Paths{bundledModelPath(), defaultValidator()});
    if (parser.isSet(size)) {
        const QStringList wh = parser.value(size).split('x');
        if (wh.size() == 2) window.resize(wh[0].toInt(), wh[1].toInt());
    } else if (settings.windowGeometry().isEmpty()) {
        window.resize(1500, 820);
    }
    window.show();
    if (parser.isSet(dock)) {
        QDockWidget* d = window.findChild<QDockWidget*>("dock_" + parser.value(dock));
        if (!d) {
            std::fprintf(stderr, "uvis: --show-dock: no dock '%s'\n", qPrintable(parser.value(dock)));
            return 2;
        }
        d->raise();
    }
    window.openModel(modelPath);
    window.openFile(file);

    if (parser.isSet(screenshot)) {
        const QString out = parser.value(screenshot);
        QObject::connect(&window, &MainWindow::viewsUpdated, &window, [&window, out] {
            const auto& latest = window.session().latest();
            if (!latest.final) return;
            // Let the views paint the final maps, then grab what is on screen.
            QTimer::singleShot(800, &window, [&window, out] {
                const bool ok = window.grab().save(out);
                std::fprintf(stderr, ok ? "uvis: wrote %s\n" : "uvis: %s could not be written\n", qPrintable(out));
                QApplication::exit(ok ? 0 : 1);
            });
        });
    }
    return app.exec();
}
