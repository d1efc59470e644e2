// The application, started with what its front (main.cpp) parsed.

#include <QApplication>
#include <QDockWidget>
#include <QFileInfo>

#include <cstdio>

#include "common/exit_codes.h"
#include "common/work_library.h"
#include "core/io/thread_pools.h"
#include "core/model/model_validation.h"
#include "core/runtime/allocator_tuning.h"
#include "core/services/settings/app_settings.h"
#include "core/services/settings/resource_paths.h"
#include "options.h"
#include "screenshot.h"
#include "ui/main_window.h"

namespace uvis {
namespace {

// The model and the file to open: as given, else the demo ensemble and the file open when uvis
// last closed (if it is still there), else a sample. False (said on stderr) when one is missing.
bool chooseModelAndFile(const Options& o, const AppSettings& settings, QString* modelPath, QString* file) {
    // By default the demo's ensemble (every method on offer; MC dropout runs its first member, the
    // demo model), else the demo model.
    const QString defaultModel = QFileInfo(bundledEnsemblePath()).isFile() ? bundledEnsemblePath() : bundledModelPath();
    *modelPath = o.model.empty() ? defaultModel : QString::fromStdString(o.model);
    *file = QString::fromStdString(o.file);
    if (file->isEmpty() && !settings.recentFiles().isEmpty() && QFileInfo(settings.recentFiles().first()).isFile())
        *file = settings.recentFiles().first();
    if (file->isEmpty()) *file = bundledSamplePath();
    for (const QString& path : {*modelPath, *file})
        if (!QFileInfo(path).isFile() && !(path == *file && QFileInfo(path).isDir())) {
            std::fprintf(stderr, "uvis: %s: no such file or folder\n", qPrintable(path));
            return false;
        }
    return true;
}

// Window size, the dock in front, the screenshot and the A/B configuration the command line
// asks for. -1, or the exit code of a usage error (said on stderr).
int applyWindowOptions(const Options& o, MainWindow& window) {
    if (!o.windowSize.empty()) {
        const QStringList wh = QString::fromStdString(o.windowSize).split('x');
        if (wh.size() == 2) window.resize(wh[0].toInt(), wh[1].toInt());
        window.show();
    } else {
        window.showOnScreen();
    }
    if (!o.dock.empty()) {
        QDockWidget* d = window.findChild<QDockWidget*>(QString::fromStdString("dock_" + o.dock));
        if (!d) {
            std::fprintf(stderr, "uvis: --show-dock: no dock '%s'\n", o.dock.c_str());
            return app::BadUsage;
        }
        d->raise();
    }
    if (!o.screenshot.empty()) saveWindowWhenComplete(window, QString::fromStdString(o.screenshot));
    if (o.analyseVideo) analyseVideoOnceOpened(window);
    if (!o.compare.empty()) {
        ComparisonSession& compare = window.comparison();
        CompareMode mode = CompareMode::Both;
        parseCompareMode(o.compare, &mode);
        compare.setMode(mode);
        if (!o.compareModel.empty()) compare.openModelB(QString::fromStdString(o.compareModel));
        if (!o.compareMethod.empty()) {
            SamplingSettings b = compare.b().settings();
            if (!parseMethod(o.compareMethod, &b.method)) {
                std::fprintf(stderr, "uvis: --compare-method: unknown method '%s' (%s)\n", o.compareMethod.c_str(),
                             methodNames().c_str());
                return app::BadUsage;
            }
            compare.b().setSettings(b);
        }
    }
    return -1;
}

int run(int& argc, char** argv, const Options& o) {
    tuneAllocatorForInference();
    // The model guard's child process: load, run and check the model; exit 4 when it fails.
    if (!o.checkModel.empty()) return validateAndPrint(o.checkModel).ok ? 0 : 4;

    // Without a display Qt's xcb plugin aborts with a core dump; say what to do instead.
    if (qEnvironmentVariableIsEmpty("QT_QPA_PLATFORM") && qEnvironmentVariableIsEmpty("DISPLAY") &&
        qEnvironmentVariableIsEmpty("WAYLAND_DISPLAY")) {
        std::fprintf(stderr, "uvis: no display (DISPLAY and WAYLAND_DISPLAY are not set). Run it on a desktop, under "
                             "xvfb-run, or use uvis-cli for files without a display.\n");
        return app::Failure;
    }
    QApplication app(argc, argv);
    QApplication::setApplicationName("uvis");
    QApplication::setOrganizationName("uvis");
    QApplication::setApplicationVersion(QString::fromStdString(versionString()));

    AppSettings settings(QString::fromStdString(o.settingsFile));
    QString modelPath, file;
    if (!chooseModelAndFile(o, settings, &modelPath, &file)) return app::BadInput;
    // One setting for LibTorch's and OpenCV's pools; one core stays free for the GUI thread.
    setComputeThreads(o.threads > 0 ? o.threads : settings.threads());
    MainWindow window(settings, MainWindow::Paths{bundledModelPath(), selfValidator(), QString::fromStdString(o.cacheDir)});
    if (const int exit = applyWindowOptions(o, window); exit >= 0) return exit;
    window.openModel(modelPath);
    window.openFile(file);
    return app.exec();
}

}  // namespace
}  // namespace uvis

UVIS_WORK_ENTRY(uvis::Options, uvis::run)
