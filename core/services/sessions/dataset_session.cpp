#include "core/services/sessions/dataset_session.h"

#include <QFileInfo>
#include <QImageReader>

#include <algorithm>

#include "core/engine/uncertainty_engine.h"
#include "core/model/model_loader.h"
#include "core/services/batch/dataset_scoring.h"

namespace uvis {

DatasetSession::DatasetSession(QObject* parent) : QObject(parent) {}

DatasetSession::~DatasetSession() { stopWorker(); }

void DatasetSession::stopWorker() {
    worker_.reset();  // cancels, and waits within one input
    done_ = true;
}

QStringList DatasetSession::open(const QStringList& paths) {
    close();
    std::vector<std::string> list;
    for (const QString& p : paths) list.push_back(p.toStdString());
    DatasetInputs found = collectDatasetInputs(list);
    QStringList problems;
    for (const std::string& e : found.errors) problems << QString::fromStdString(e);
    // A data set's table holds images; a video opens on its own.
    for (DatasetInput& in : found.inputs)
        if (!in.video) inputs_.push_back(std::move(in));
    rows_.assign(inputs_.size(), std::nullopt);
    errors_.assign(inputs_.size(), QString());
    thumbnails_.assign(inputs_.size(), QImage());
    sources_ = paths;
    Q_EMIT opened(static_cast<int>(inputs_.size()));
    return problems;
}

void DatasetSession::close() {
    stopWorker();
    ++generation_;
    inputs_.clear();
    rows_.clear();
    errors_.clear();
    thumbnails_.clear();
    sources_.clear();
    scored_ = 0;
}

void DatasetSession::score(const QString& modelPath, const ModelCard& card, const SamplingSettings& settings) {
    if (inputs_.empty()) return;
    const DatasetSettings wanted = datasetSettings(card, modelPath.toStdString(), settings);
    stopWorker();
    if (!(wanted == settings_)) {  // other numbers: every row again
        rows_.assign(inputs_.size(), std::nullopt);
        errors_.assign(inputs_.size(), QString());
        scored_ = 0;
    }
    settings_ = wanted;
    {
        std::lock_guard<std::mutex> hold(queueLock_);
        pending_.clear();
        for (size_t i = 0; i < inputs_.size(); ++i)
            if (!rows_[i] && errors_[i].isEmpty()) pending_.push_back(static_cast<int>(i));
    }
    if (scored_ == static_cast<int>(inputs_.size())) {
        Q_EMIT finished(false);
        return;
    }
    done_ = false;
    const quint64 generation = ++generation_;
    worker_ = std::make_unique<BackgroundJob>(
        modelPath, [this, generation, run = Run{modelPath.toStdString(), card, settings, settings_, inputs_, cache_}](
                       BackgroundJob& job) mutable {
            work(std::move(run), generation, job);
            return JobOutcome{};
        });
    // Only an exception that escaped the work (it names the model) comes this way.
    connect(worker_.get(), &BackgroundJob::done, this, [this, generation](const QString& problem) {
        if (problem.isEmpty() || generation != generation_) return;
        done_ = true;
        Q_EMIT modelFailed(problem);
    });
    worker_->start();
}

void DatasetSession::setCache(ScoreCache* cache) {
    stopWorker();
    cache_ = cache;
}

void DatasetSession::cancel() {
    const bool wasRunning = running();
    stopWorker();
    if (wasRunning) Q_EMIT finished(true);
}

void DatasetSession::prioritize(int index) {
    std::lock_guard<std::mutex> hold(queueLock_);
    const auto at = std::find(pending_.begin(), pending_.end(), index);
    if (at == pending_.end()) return;
    pending_.erase(at);
    pending_.push_front(index);
}

int DatasetSession::takeNext() {
    std::lock_guard<std::mutex> hold(queueLock_);
    if (pending_.empty()) return -1;
    const int next = pending_.front();
    pending_.pop_front();
    return next;
}

void DatasetSession::work(Run run, quint64 generation, const BackgroundJob& job) {
    // Queued to the GUI thread; dropped there when a newer run has started.
    auto post = [this, generation](auto fn) {
        QMetaObject::invokeMethod(this, [this, generation, fn]() mutable {
            if (generation == generation_) fn();
        }, Qt::QueuedConnection);
    };
    LoadedModel loaded = loadModel(run.modelPath, run.settings.device);
    if (!loaded) {
        post([this, e = QString::fromStdString(loaded.error)] {
            done_ = true;
            Q_EMIT modelFailed(e);
        });
        return;
    }
    UncertaintyEngine engine(loaded.model);
    const DatasetSettings& key = run.key;
    const std::size_t total = run.inputs.size();
    runPipeline<std::pair<int, PreparedInput>, ScoredInput>(
        total,
        [&](std::size_t) {
            // The next input by priority at the moment it is needed; cached rows are posted here.
            for (int index = takeNext(); index >= 0 && !job.cancelRequested(); index = takeNext()) {
                const DatasetInput& in = run.inputs[index];
                if (run.cache)
                    if (auto row = run.cache->find(resultKey(key, in.path), in.path)) {
                        row->image = in.name;
                        QImageReader reader(QString::fromStdString(in.path));  // decodes small (JPEG) or whole
                        const QSize size = reader.size();
                        if (size.isValid()) reader.setScaledSize(size.scaled(kThumbnail, kThumbnail, Qt::KeepAspectRatio));
                        post([this, index, r = std::move(*row), t = reader.read()]() mutable { accept(index, std::move(r), t); });
                        continue;
                    }
                return std::make_pair(index, prepareInput(in, run.card, DecodeLimits{}));
            }
            return std::make_pair(-1, PreparedInput{});
        },
        [&](std::pair<int, PreparedInput>& p) -> std::optional<ScoredInput> {
            if (p.first < 0 || job.cancelRequested()) return std::nullopt;
            ScoredInput s;
            if (!p.second.error.empty()) {
                s.error = p.second.error;
                return s;
            }
            s = runInput(p.second, engine, run.card, run.settings, [&job] { return !job.cancelRequested(); });
            if (s.cancelled) return std::nullopt;
            return s;
        },
        [&](std::pair<int, PreparedInput>&& p, ScoredInput&& s) {
            const int index = p.first;
            if (!s.error.empty()) {
                post([this, index, e = QString::fromStdString(s.error)] {
                    errors_[index] = e;
                    Q_EMIT rowFailed(index, e);
                });
                return;
            }
            evaluateInput(p.second, &s);  // beside the engine's next input
            if (run.cache) run.cache->store(resultKey(key, p.second.input.path), p.second.input.path, s.row);
            const RgbImage& image = p.second.image.image;
            const QImage thumbnail = QImage(image.pixels.data(), image.width, image.height, image.width * 3,
                                            QImage::Format_RGB888)
                                         .scaled(kThumbnail, kThumbnail, Qt::KeepAspectRatio, Qt::SmoothTransformation);
            post([this, index, r = std::move(s.row), thumbnail]() mutable { accept(index, std::move(r), thumbnail); });
        });
    const bool cancelled = job.cancelRequested();
    post([this, cancelled] {
        done_ = true;
        Q_EMIT finished(cancelled);
    });
}

void DatasetSession::accept(int index, ImageRow row, QImage thumbnail) {
    if (!rows_[index]) ++scored_;
    rows_[index] = std::move(row);
    thumbnails_[index] = std::move(thumbnail);
    Q_EMIT rowScored(index);
    Q_EMIT progress(scored_, static_cast<int>(rows_.size()));
}

QImage DatasetSession::thumbnail(int index) const {
    return index >= 0 && index < static_cast<int>(thumbnails_.size()) ? thumbnails_[index] : QImage();
}

const ImageRow* DatasetSession::row(int index) const {
    return index >= 0 && index < static_cast<int>(rows_.size()) && rows_[index] ? &*rows_[index] : nullptr;
}

QString DatasetSession::error(int index) const {
    return index >= 0 && index < static_cast<int>(errors_.size()) ? errors_[index] : QString();
}

int DatasetSession::indexOf(const QString& path) const {
    const std::string wanted = QFileInfo(path).absoluteFilePath().toStdString();
    for (size_t i = 0; i < inputs_.size(); ++i)
        if (QFileInfo(QString::fromStdString(inputs_[i].path)).absoluteFilePath().toStdString() == wanted)
            return static_cast<int>(i);
    return -1;
}

DatasetTable DatasetSession::table() const {
    DatasetTable t;
    t.settings = settings_;
    t.inputsTotal = inputs_.size();
    for (size_t i = 0; i < rows_.size(); ++i) {
        if (rows_[i]) t.add(*rows_[i]);
        else if (!errors_[i].isEmpty()) t.failed.emplace_back(inputs_[i].name, errors_[i].toStdString());
    }
    t.sort();
    return t;
}

}  // namespace uvis
