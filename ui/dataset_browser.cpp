#include "ui/dataset_browser.h"

#include <QFileDialog>
#include <QProgressDialog>
#include <QFileInfo>
#include <QMenu>
#include <QMenuBar>

#include "core/services/jobs/dataset_batch_job.h"
#include "core/services/sessions/workspace.h"
#include "core/services/settings/export_folders.h"
#include "ui/dataset_panel.h"
#include "ui/file_dialogs.h"
#include "ui/dataset_table_model.h"

namespace uvis {

DatasetBrowser::DatasetBrowser(Workspace& workspace, const QString& cacheDir, QWidget* window)
    : QObject(window), workspace_(workspace), window_(window), cache_(cacheDir) {
    session_.setCache(&cache_);
    panel_ = new DatasetPanel(session_);
    refresh_.setSingleShot(true);
    refresh_.setInterval(250);
    connect(&refresh_, &QTimer::timeout, panel_, &DatasetPanel::refresh);
    connect(&session_, &DatasetSession::rowScored, this, [this] {
        if (!refresh_.isActive()) refresh_.start();
    });
    connect(&session_, &DatasetSession::rowFailed, this, [this] {
        if (!refresh_.isActive()) refresh_.start();
    });
    connect(&session_, &DatasetSession::finished, this, [this](bool cancelled) {
        panel_->refresh();
        panel_->setRunning(false);
        Q_EMIT status(cancelled ? "Data set: scoring stopped" : "Data set: every image scored");
    });
    connect(&session_, &DatasetSession::modelFailed, this, &DatasetBrowser::errorShown);
    connect(panel_, &DatasetPanel::openRequested, this, &DatasetBrowser::openInput);
    connect(panel_, &DatasetPanel::stopRequested, &session_, &DatasetSession::cancel);
    connect(panel_, &DatasetPanel::resumeRequested, this, &DatasetBrowser::restartScoring);
    connect(panel_, &DatasetPanel::exportRequested, this, [this](const QList<int>& inputs) {
        chooseAndExport(inputs, QString());
    });
    // The model and settings the views use score the data set too.
    AnalysisSession& analysis = workspace_.analysis();
    connect(&analysis, &AnalysisSession::modelLoaded, this, &DatasetBrowser::restartScoring);
    connect(&analysis, &AnalysisSession::resultSettingsChanged, this, &DatasetBrowser::restartScoring);
    connect(&workspace_, &Workspace::fileOpened, this, [this](const QString& path) {
        current_ = session_.indexOf(path);
        if (current_ >= 0) session_.prioritize(current_);  // the image on screen first
        panel_->setCurrent(current_);
    });
}

DatasetBrowser::~DatasetBrowser() {
    if (batch_) batch_->stop();
}

void DatasetBrowser::open(const QStringList& paths) {
    const QStringList problems = session_.open(paths);
    for (const QString& p : problems) Q_EMIT errorShown(p);
    current_ = -1;
    panel_->refresh();
    if (session_.inputs().empty()) return;
    Q_EMIT opened(paths.join(", "));
    Q_EMIT status(QString("Data set %1: %2 images").arg(paths.join(", ")).arg(session_.inputs().size()));
    restartScoring();
    openInput(panel_->model()->inputAt(0));
}

void DatasetBrowser::restartScoring() {
    const AnalysisSession& analysis = workspace_.analysis();
    if (!session_.isOpen() || analysis.modelPath().isEmpty()) return;
    session_.score(analysis.modelPath(), analysis.card(), analysis.settings());
    panel_->setRunning(session_.running());
    panel_->refresh();
}

void DatasetBrowser::openInput(int input) {
    if (input < 0 || input >= static_cast<int>(session_.inputs().size())) return;
    const DatasetInput& in = session_.inputs()[input];
    workspace_.openFile(QString::fromStdString(in.path), in.fromManifest ? in.truth : TruthPaths{});
}

bool DatasetBrowser::next() {
    const int input = panel_->model()->order().next(current_);
    if (input < 0) return false;
    openInput(input);
    return true;
}

bool DatasetBrowser::previous() {
    const int input = panel_->model()->order().previous(current_);
    if (input < 0) return false;
    openInput(input);
    return true;
}

void DatasetBrowser::exportInputs(const QList<int>& inputs, const QString& dir, bool overwrite) {
    if (batch_ && batch_->busy()) {
        Q_EMIT errorShown("A data-set export is still running; wait for it or cancel it first");
        return;
    }
    const AnalysisSession& analysis = workspace_.analysis();
    DatasetBatchRequest r{analysis.modelPath(), dir, overwrite, analysis.settings(), {}};
    for (int i : inputs)
        if (i >= 0 && i < static_cast<int>(session_.inputs().size())) r.inputs.push_back(session_.inputs()[i]);
    if (r.inputs.empty()) {
        Q_EMIT errorShown("Nothing to export: select rows in the Dataset table first");
        return;
    }
    batch_ = std::make_unique<DatasetBatchJob>(r);
    if (!exportProgress_) {
        exportProgress_ = new QProgressDialog("Exporting data-set images…", "Cancel", 0, 100, window_);
        exportProgress_->setWindowModality(Qt::NonModal);
        exportProgress_->setMinimumDuration(0);
        connect(exportProgress_, &QProgressDialog::canceled, this, &DatasetBrowser::cancelExport);
    }
    exportProgress_->setMaximum(static_cast<int>(r.inputs.size()));
    exportProgress_->setValue(0);
    exportProgress_->show();
    connect(batch_.get(), &BackgroundJob::progress, this, [this](int done, int total) {
        exportProgress_->setMaximum(std::max(1, total));
        exportProgress_->setValue(done);
        Q_EMIT status(QString("Exporting data-set images: %1 of %2").arg(done).arg(total));
    });
    connect(batch_.get(), &BackgroundJob::done, this, [this, dir](const QString& problem, bool cancelled) {
        exportProgress_->hide();
        Q_EMIT status(cancelled ? "Data-set export cancelled; nothing written"
                                : problem.isEmpty() ? "Exported to " + dir : problem);
        if (!problem.isEmpty()) Q_EMIT errorShown(problem);
        Q_EMIT batchExported(dir, problem, cancelled);
    });
    batch_->start();
}

void DatasetBrowser::chooseAndExport(const QList<int>& inputs, const QString& startFolder) {
    const QString dir = QFileDialog::getSaveFileName(window_, "Export images as one folder",
                                                     exportFolderOutside(startFolder, session_.sources()),
                                                     QString(), nullptr, QFileDialog::DontConfirmOverwrite);
    if (!dir.isEmpty()) exportInputs(inputs, dir, false);
}

void DatasetBrowser::addMenus(QMenu* file, QMenuBar* bar, std::function<QString()> lastFolder) {
    file->addAction("Open &folder (data set)…", QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_O), this, [=] {
        if (const QString dir = dialogs::askDatasetFolder(window_, lastFolder()); !dir.isEmpty()) open({dir});
    });
    file->addAction("Open data-set m&anifest…", this, [=] {
        if (const QString m = dialogs::askManifest(window_, lastFolder()); !m.isEmpty()) open({m});
    });
    QMenu* menu = bar->addMenu("&Dataset");
    // Alt+arrows: a focused spin box or slider takes PageUp/PageDown and the plain arrows, not these.
    QAction* nextAction = menu->addAction("&Next image", QKeySequence(Qt::ALT | Qt::Key_Right), this, [this] {
        if (!next()) Q_EMIT status("The last image of the data set (in the table's order)");
    });
    QAction* previousAction = menu->addAction("&Previous image", QKeySequence(Qt::ALT | Qt::Key_Left), this, [this] {
        if (!previous()) Q_EMIT status("The first image of the data set (in the table's order)");
    });
    for (QAction* a : {nextAction, previousAction}) a->setShortcutContext(Qt::ApplicationShortcut);
    menu->addSeparator();
    menu->addAction("&Stop or resume scoring", this, [this] {
        session_.running() ? session_.cancel() : restartScoring();
    });
    menu->addAction("Export the &selected images…", this,
                    [=] { chooseAndExport(panel_->selectedInputs(), lastFolder()); });
    menu->addAction("Export the &first N images of the table…", this,
                    [=] { chooseAndExport(panel_->firstInputs(panel_->exportCount()), lastFolder()); });
    menu->addAction("Export the data-set &table (dataset.csv, dataset.json)…", this, [=] {
        const QString dir = QFileDialog::getExistingDirectory(window_, "Folder for dataset.csv and dataset.json", lastFolder());
        if (dir.isEmpty()) return;
        const std::string e = writeDatasetFiles(dir.toStdString(), session_.table(), false);
        e.empty() ? Q_EMIT status("Wrote " + dir + "/dataset.csv and dataset.json") : Q_EMIT errorShown(QString::fromStdString(e));
    });
}

void DatasetBrowser::cancelExport() {
    if (batch_) batch_->cancel();
}

}  // namespace uvis
