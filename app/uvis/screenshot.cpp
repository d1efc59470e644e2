#include "screenshot.h"

#include <QApplication>
#include <QTimer>

#include <cstdio>
#include <memory>

#include "common/exit_codes.h"
#include "ui/dataset_browser.h"
#include "ui/main_window.h"
#include "ui/video_analysis_panel.h"

namespace uvis {
namespace {

bool everyImageScored(DatasetSession& d) {
    if (!d.isOpen()) return true;
    for (int i = 0; i < static_cast<int>(d.inputs().size()); ++i)
        if (!d.row(i) && d.error(i).isEmpty()) return false;
    return true;
}

}  // namespace

void saveWindowWhenComplete(MainWindow& window, const QString& out) {
    auto taken = std::make_shared<bool>(false);
    auto check = [&window, out, taken] {
        const ComparisonSession& compare = window.comparison();
        VideoTimeline& timeline = window.workspace().timeline();
        if (*taken || !window.session().latest().final || (compare.active() && !compare.b().latest().final) ||
            !everyImageScored(window.datasetBrowser()->session()) || timeline.analysing())
            return;
        *taken = true;
        // Let the views paint the final maps, then grab what is on screen.
        QTimer::singleShot(800, &window, [&window, out] {
            const bool ok = window.grab().save(out);
            // What the picture holds besides the first result, for whoever checks it.
            QString holds;
            DatasetSession& d = window.datasetBrowser()->session();
            if (d.isOpen()) holds += QString(" · %1 of %2 images scored").arg(d.scoredCount()).arg(d.inputs().size());
            if (const auto& points = window.workspace().timeline().points(); !points.empty())
                holds += QString(" · %1 frames of the video analysed").arg(points.size());
            std::fprintf(stderr, ok ? "uvis: wrote %s%s\n" : "uvis: %s could not be written%s\n", qPrintable(out),
                         qPrintable(holds));
            QApplication::exit(ok ? app::Ok : app::Failure);
        });
    };
    QObject::connect(&window, &MainWindow::viewsUpdated, &window, check);
    QObject::connect(&window.datasetBrowser()->session(), &DatasetSession::finished, &window, check);
    QObject::connect(&window.workspace().timeline(), &VideoTimeline::analysisFinished, &window, check);

    auto code = std::make_shared<int>(0);
    auto said = std::make_shared<QString>();
    auto fail = [code, said](int c, const QString& message) {
        if (*code == 0) QTimer::singleShot(0, [code] { QApplication::exit(*code); });
        if (c > *code) *code = c;
        if (!said->contains(message)) std::fprintf(stderr, "uvis: %s\n", qPrintable(message));
        *said += message;
    };
    QObject::connect(&window.session(), &AnalysisSession::modelFailed, &window,
                     [fail](const QString&, const QString& message) { fail(app::BadModel, message); });
    // A run that fails is the model's failure (the input was read before it started).
    QObject::connect(&window.session(), &AnalysisSession::inferenceFailed, &window,
                     [fail](const QString& message) { fail(app::BadModel, message); });
    QObject::connect(&window, &MainWindow::errorShown, &window,
                     [fail](const QString& message) { fail(app::BadInput, message); });
}

void analyseVideoOnceOpened(MainWindow& window) {
    // The video and the model open in either order, each off the GUI thread: start when both are.
    auto start = [&window] {
        VideoTimeline& timeline = window.workspace().timeline();
        if (timeline.hasVideo() && window.session().hasModel() && !timeline.analysing() && timeline.points().empty())
            timeline.analyse(window.analysisPanel()->every());
    };
    QObject::connect(&window, &MainWindow::fileOpened, &window, start);
    QObject::connect(&window.session(), &AnalysisSession::modelLoaded, &window, start);
}

}  // namespace uvis
