#pragma once
// Assembles the data-set parts of the window: the DatasetSession that scores the
// open data set, its score cache, the Dataset dock, Next/Previous, and batch export. It follows
// the Workspace — the model and settings it scores with, the image on screen (scored first,
// selected in the table) — and opens the images the user picks, with their ground truth.

#include <QList>
#include <QObject>
#include <QStringList>
#include <QTimer>

#include <functional>
#include <memory>

#include "core/services/sessions/dataset_session.h"
#include "core/services/batch/score_cache.h"

class QMenu;
class QMenuBar;
class QWidget;

class QProgressDialog;

namespace uvis {

class DatasetBatchJob;
class DatasetPanel;
class Workspace;

class DatasetBrowser : public QObject {
    Q_OBJECT
public:
    // `cacheDir` empty: the user's cache folder.
    DatasetBrowser(Workspace& workspace, const QString& cacheDir, QWidget* window);
    ~DatasetBrowser() override;

    DatasetPanel* panel() const { return panel_; }
    DatasetSession& session() { return session_; }
    // A folder or a manifest: listed, its first image opened, scoring started.
    void open(const QStringList& paths);
    bool next();      // the next image in the table's order; false at the end
    bool previous();
    int current() const { return current_; }
    // `inputs` as one batch folder in the background; answers with batchExported.
    void exportInputs(const QList<int>& inputs, const QString& dir, bool overwrite);
    void chooseAndExport(const QList<int>& inputs, const QString& startFolder);
    void cancelExport();  // the progress dialog's Cancel: nothing of the batch is written
    // File → Open folder / manifest, and the Dataset menu (Next, Previous, exports). `lastFolder`
    // says where dialogs start.
    void addMenus(QMenu* file, QMenuBar* bar, std::function<QString()> lastFolder);

Q_SIGNALS:
    void opened(const QString& path);  // a data set, listed
    void errorShown(const QString& message);
    void status(const QString& message);
    void batchExported(const QString& dir, const QString& error, bool cancelled);

private:
    void openInput(int input);
    void restartScoring();

    Workspace& workspace_;
    QWidget* window_;
    ScoreCache cache_;
    DatasetSession session_;
    DatasetPanel* panel_;
    QTimer refresh_;  // rows arrive fast; the table is redrawn at most every 250 ms
    int current_ = -1;
    std::unique_ptr<DatasetBatchJob> batch_;
    QProgressDialog* exportProgress_ = nullptr;  // shows the batch and cancels it
};

}  // namespace uvis
