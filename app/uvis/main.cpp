// uvis: the desktop application.
//   uvis [--model MODEL] [FILE]
// With nothing given it opens the bundled demo model and a bundled sample, so that a first-time
// user sees it work at once. `uvis --check-model MODEL` (hidden) is the child process in which
// the application checks a user's model before loading it (core/services/sessions/model_guard.h).

#include <QApplication>
#include <QDockWidget>
#include <QFileInfo>

#include <cstdio>

#include "common/command_line.h"
#include "common/exit_codes.h"
#include "core/runtime/allocator_tuning.h"
#include "core/io/thread_pools.h"
#include "core/model/model_validation.h"
#include "core/services/settings/app_settings.h"
#include "core/services/settings/resource_paths.h"
#include "ui/main_window.h"
#include "screenshot.h"

using namespace uvis;

namespace {

struct Options {
    std::string model, file, settingsFile, screenshot, windowSize, dock, checkModel, cacheDir;
    std::string compare, compareModel, compareMethod;  // a second configuration B
    int threads = 0;
    bool analyseVideo = false;
};

void defineOptions(CLI::App& cli, Options& o) {
    app::addVersionFlag(cli, "uvis");
    cli.add_option("file", o.file,
                   "An image or a video to open, or a data set: a folder (searched recursively) or a manifest "
                   "(.csv/.json) (default: a bundled sample)");
    cli.add_option("-m,--model", o.model, "Model file or ensemble card (default: the bundled demo ensemble)");
    cli.add_option("--settings", o.settingsFile,
                   "Read and write settings in this INI file instead of the user's (for reproducible screenshots)");
    cli.add_option("--screenshot", o.screenshot,
                   "When the first result is complete (and a data set's images scored, a video analysed), save a "
                   "picture of the window to this PNG and quit");
    cli.add_flag("--analyse-video", o.analyseVideo, "On a video: analyse the whole of it at once (Video → Analyse)");
    cli.add_option("--window-size", o.windowSize, "Window size WxH");
    cli.add_option("--show-dock", o.dock, "Bring a dock to the front: inspector, metrics, video_analysis or dataset");
    cli.add_option("--cache-dir", o.cacheDir,
                   "Keep data sets' per-image scores here (default: the user's cache folder; 64 MiB, oldest dropped)");
    cli.add_option("--threads", o.threads, "CPU threads for LibTorch and OpenCV (default: the settings' value, "
                                           "else the cores minus one)")
        ->check(CLI::Range(0, 1024));
    cli.add_option("--compare", o.compare, "Compare with a second configuration B (the A/B dock): a, b, both (side "
                                           "by side) or difference (B − A); B starts as A")
        ->check(CLI::IsMember({"a", "b", "both", "difference"}));
    cli.add_option("--compare-model", o.compareModel, "B's model (default: A's)")->needs("--compare");
    cli.add_option("--compare-method", o.compareMethod, "B's uncertainty method (" + methodNames() + ")")
        ->needs("--compare");
    cli.add_option("--check-model", o.checkModel)->group("");  // hidden: the model guard's child process
}

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

}  // namespace

int main(int argc, char** argv) {
    tuneAllocatorForInference();
    Options o;
    CLI::App cli{"uvis: see what a vision model does not know (Monte-Carlo dropout depth and segmentation with "
                 "aleatoric and epistemic uncertainty)."};
    defineOptions(cli, o);
    if (const int exit = app::parseCommandLine(cli, argc, argv); exit >= 0) return exit;
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
