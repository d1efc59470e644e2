#pragma once
// A data set open in the application: its inputs, and their rows scored in the
// background by a worker thread with its own copy of the model — the analysis of the image on
// screen goes on beside it. The image the user looks at is scored next (prioritize); rows found
// in the score cache come at once. Rows reach the GUI thread by queued calls; a new model or new
// settings start over (answers of the old run are dropped). Qt Core layer.

#include <QImage>
#include <QObject>
#include <QStringList>

#include <atomic>
#include <deque>
#include <mutex>
#include <optional>
#include <memory>
#include <vector>

#include "core/dataset/dataset_inputs.h"
#include "core/dataset/dataset_table.h"
#include "core/engine/sampling_settings.h"
#include "core/model/model_card.h"
#include "core/services/batch/score_cache.h"
#include "core/services/jobs/background_job.h"

namespace uvis {

class DatasetSession : public QObject {
    Q_OBJECT
public:
    explicit DatasetSession(QObject* parent = nullptr);
    ~DatasetSession() override;  // cancels and joins the worker

    // The inputs `paths` name (folders searched recursively, manifests, images). Returns the
    // problems (each naming a path); the data set holds what could be listed. Stops scoring.
    QStringList open(const QStringList& paths);
    void close();
    bool isOpen() const { return !inputs_.empty(); }
    QStringList sources() const { return sources_; }

    // Scores every input not scored yet with `modelPath` (already checked: the workspace's) and
    // `settings`; a different model or settings start over. `cache` may be null.
    void score(const QString& modelPath, const ModelCard& card, const SamplingSettings& settings);
    void cancel();
    void prioritize(int index);  // scored next (the image on screen)
    // Stops a run first: the worker uses the cache it was handed when it started.
    void setCache(ScoreCache* cache);

    const std::vector<DatasetInput>& inputs() const { return inputs_; }
    const ImageRow* row(int index) const;  // nullptr while not scored
    QImage thumbnail(int index) const;     // at most kThumbnail pixels wide, once scored
    static constexpr int kThumbnail = 64;
    QString error(int index) const;        // why input `index` has no row
    int scoredCount() const { return scored_; }
    bool running() const { return worker_ && !done_; }
    int indexOf(const QString& path) const;
    // The rows so far as a table (dataset.csv / dataset.json), with the run's settings.
    DatasetTable table() const;

Q_SIGNALS:
    void opened(int count);
    void rowScored(int index);
    void rowFailed(int index, const QString& message);
    void progress(int done, int total);
    void finished(bool cancelled);
    void modelFailed(const QString& message);

private:
    // What one run's worker reads: handed to it when it starts, never shared with the GUI thread.
    struct Run {
        std::string modelPath;
        ModelCard card;
        SamplingSettings settings;
        DatasetSettings key;
        std::vector<DatasetInput> inputs;
        ScoreCache* cache = nullptr;  // thread-safe; kept by the owner until the run is joined
    };
    void stopWorker();
    void work(Run run, quint64 generation, const BackgroundJob& job);
    int takeNext();  // worker thread: the next input to score, -1 when none
    void accept(int index, ImageRow row, QImage thumbnail);  // GUI thread

    std::vector<DatasetInput> inputs_;
    QStringList sources_;
    std::vector<std::optional<ImageRow>> rows_;  // GUI thread
    std::vector<QString> errors_;
    std::vector<QImage> thumbnails_;
    int scored_ = 0;
    DatasetSettings settings_;
    ScoreCache* cache_ = nullptr;

    std::unique_ptr<BackgroundJob> worker_;
    std::atomic<bool> done_{true};
    std::atomic<quint64> generation_{0};
    std::mutex queueLock_;
    std::deque<int> pending_;  // worker's queue; prioritize() moves one to the front
};

}  // namespace uvis
