// The window's menus: each action asks a dialog or a session; what follows lives there.
#include <QDockWidget>
#include <QMenuBar>

#include "core/services/sessions/workspace.h"
#include "core/services/settings/app_settings.h"
#include "ui/comparison_panel.h"
#include "ui/dataset_browser.h"
#include "ui/export_actions.h"
#include "ui/file_dialogs.h"
#include "ui/help_texts.h"
#include "ui/main_window.h"
#include "ui/map_view.h"
#include "ui/video_analysis_panel.h"
#include "ui/video_bar.h"
#include "ui/view_link.h"

namespace uvis {

void MainWindow::buildMenus() {
    QMenu* file = menuBar()->addMenu("&File");
    // Each dialog answers with a path; the workspace acts on it (an empty answer: cancelled).
    auto ask = [this](auto question, auto act) {
        return [this, question, act] {
            if (const QString path = question(settings_.lastFolder()); !path.isEmpty()) act(path);
        };
    };
    Workspace& w = *workspace_;
    file->addAction("&Open image or video…", QKeySequence::Open, this,
                    ask([this](const QString& f) { return dialogs::askImageOrVideo(this, f); },
                        [&w](const QString& p) { w.openFile(p); }));
    file->addAction("Open &model…", QKeySequence(Qt::CTRL | Qt::Key_M), this,
                    ask([this](const QString& f) { return dialogs::askModel(this, f); },
                        [&w](const QString& p) { w.openModel(p); }));
    datasets_->addMenus(file, menuBar(), [this] { return settings_.lastFolder(); });
    recentMenu_ = file->addMenu("Open &recent");
    file->addAction("Open &depth ground truth…", this,
                    ask([this](const QString& f) { return dialogs::askTruth(this, f, true); },
                        [&w](const QString& p) { w.openTruth(p, EvaluationSession::Kind::Depth); }));
    file->addAction("Open &label ground truth…", this,
                    ask([this](const QString& f) { return dialogs::askTruth(this, f, false); },
                        [&w](const QString& p) { w.openTruth(p, EvaluationSession::Kind::Labels); }));
    file->addSeparator();
    file->addAction("&Export the current view…", QKeySequence(Qt::CTRL | Qt::Key_E), this,
                    [this] { exports_->chooseAndExportView(exportFolder(), shownDisplay(), displayState_.ranges()); });
    file->addAction("Export an overlay &video…", QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_E), this, [this] {
        exports_->chooseAndExportVideo(exportFolder(), shownDisplay(), videoBar_->frameCount(),
                                       videoBar_->currentFrame());
    });
    file->addSeparator();
    file->addAction("&Quit", QKeySequence::Quit, this, &QWidget::close);
    QMenu* video = menuBar()->addMenu("V&ideo");
    VideoTimeline& timeline = workspace_->timeline();
    video->addAction("&Analyse the whole video (timeline)", QKeySequence(Qt::CTRL | Qt::Key_T), this,
                     [this, &timeline] { timeline.analyse(analysis_->every()); });
    video->addAction("&Bookmark this frame", QKeySequence(Qt::CTRL | Qt::Key_B), this,
                     [&timeline] { timeline.addBookmark(timeline.currentFrame()); });
    video->addAction("Export the &worst frames…", this, [this] { chooseAndExportFrames(analysis_->worstFrames()); });
    video->addSeparator();
    video->addAction("&Play / pause", QKeySequence(Qt::Key_Space), this,
                     [this] { videoBar_->setPlaying(!videoBar_->playing()); });
    video->addAction("P&revious frame", QKeySequence(Qt::Key_Comma), this, [this] { videoBar_->step(-1); });
    video->addAction("&Next frame", QKeySequence(Qt::Key_Period), this, [this] { videoBar_->step(+1); });
    video->addAction("Export the b&ookmarked frames…", this,
                     [this, &timeline] { chooseAndExportFrames(timeline.bookmarks()); });
    QMenu* view = menuBar()->addMenu("&View");
    view->addAction("&Fit", QKeySequence(Qt::Key_F), link_, &ViewLink::fit);
    view->addAction("&1:1", QKeySequence(Qt::Key_1), this,
                    [this] { link_->setZoom(views_[0]->oneToOneZoom()); });
    view->addAction("Zoom &in", QKeySequence::ZoomIn, this, [this] { link_->zoomAt(link_->centre(), 1.25); });
    view->addAction("Zoom &out", QKeySequence::ZoomOut, this, [this] { link_->zoomAt(link_->centre(), 0.8); });
    compare_->addMenu(view);
    view->addSeparator();
    for (QDockWidget* d : findChildren<QDockWidget*>()) view->addAction(d->toggleViewAction());
    QMenu* help = menuBar()->addMenu("&Help");
    help->addAction("&What am I looking at?", QKeySequence::HelpContents, this, [this] { showMapsHelp(this); });
    help->addAction("&Keyboard shortcuts", this, [this] { showShortcuts(this, menuBar()->actions()); });
    help->addAction("&About uvis", this, [this] { showAbout(this, workspace_->analysis().device()); });
}

void MainWindow::rebuildRecentMenu() {
    recentMenu_->clear();
    const QStringList recent = settings_.recentFiles();
    for (const QString& path : recent) recentMenu_->addAction(path, this, [this, path] { openFile(path); });
    recentMenu_->setEnabled(!recent.isEmpty());
}

}  // namespace uvis
