#include "core/services/sessions/workspace.h"

#include <QDir>
#include <QFileInfo>

#include "core/model/ensemble_card.h"
#include "core/io/media_kind.h"
#include "core/services/batch/image_header.h"

namespace uvis {

Workspace::Workspace(ValidatorCommand validator, QString bundledModel, QObject* parent, ModelLoaderFn loader,
                     int checkTimeoutMs)
    : QObject(parent),
      analysis_(std::move(validator), nullptr, std::move(loader), checkTimeoutMs),
      timeline_(analysis_),
      bundledModel_(std::move(bundledModel)),
      imageLoad_(this, [this](RgbImageResult result, const QString& problem) { imageLoaded(std::move(result), problem); }) {
    connect(&video_, &VideoSession::opened, this, [this](const VideoInfo& info) {
        currentFile_ = info.path;
        evaluation_.clear();  // no per-frame ground truth for videos
        timeline_.videoOpened(info.path, info.frameCount);
        playhead_.setVideo(info.frameCount, info.fps);
        Q_EMIT videoOpened(info);
        Q_EMIT fileOpened(info.path);
    });
    connect(&video_, &VideoSession::openFailed, this,
            [this](const QString&, const QString& message) { Q_EMIT errorShown(message); });
    connect(&video_, &VideoSession::frameReady, this, [this](int index, const RgbImage& frame) {
        show(frame, index);
        timeline_.setCurrentFrame(index);
        playhead_.frameShown(index);
        if (!analysis_.hasModel()) playhead_.frameAnalysed(index);  // nothing to wait for
    });
    connect(&video_, &VideoSession::frameFailed, this, [this](const QString& message) {
        playhead_.frameFailed();
        Q_EMIT frameFailed(message);
    });
    connect(&playhead_, &Playhead::frameRequested, &video_, &VideoSession::requestFrame);
    connect(&playhead_, &Playhead::playingChanged, &analysis_, &AnalysisSession::setPlaying);
    connect(&analysis_, &AnalysisSession::modelLoaded, this, [this] { findTruth(); });
    connect(&analysis_, &AnalysisSession::resultUpdated, this, [this](const AnalysedFrame& frame) {
        if (frame.final && !video_.isOpen()) evaluation_.evaluate(frame.maps);
        if (frame.final && frame.frameIndex >= 0) playhead_.frameAnalysed(frame.frameIndex);
    });
    // A failed run is not waited for.
    connect(&analysis_, &AnalysisSession::inferenceFailed, this, [this] { playhead_.frameAnalysed(playhead_.shown()); });
    connect(&analysis_, &AnalysisSession::modelFailed, this, [this] { playhead_.frameAnalysed(playhead_.shown()); });
    connect(&evaluation_, &EvaluationSession::truthChanged, this, [this] {
        // New truth for the result on screen: score it again.
        const AnalysedFrame& f = analysis_.latest();
        if (f.final && !video_.isOpen()) evaluation_.evaluate(f.maps);
    });
    connect(&evaluation_, &EvaluationSession::failed, this, &Workspace::errorShown);
    connect(&timeline_, &VideoTimeline::errorShown, this, &Workspace::errorShown);
}

Workspace::~Workspace() = default;

void Workspace::openFile(const QString& path) { openFile(path, TruthPaths{}); }

void Workspace::openFile(const QString& path, const TruthPaths& truth) {
    loadingTruth_ = truth;
    const QFileInfo info(path);
    if (!info.exists()) {
        Q_EMIT errorShown(path + ": no such file");
        return;
    }
    if (!info.isFile()) {
        Q_EMIT errorShown(path + ": not a regular file");
        return;
    }
    if (mediaKind(path.toStdString()) == MediaKind::Video) {
        video_.open(path);
        return;
    }
    loadingImage_ = path;
    // A size bomb is refused from its header, before anything is decoded.
    imageLoad_.request(path, [path](const BackgroundJob&) { return readImageWithinLimit(path); });
}

void Workspace::imageLoaded(RgbImageResult result, const QString& problem) {
    if (!problem.isEmpty() || !result.error.empty()) {  // what is open stays
        Q_EMIT errorShown(problem.isEmpty() ? QString::fromStdString(result.error) : problem);
        return;
    }
    if (video_.isOpen()) {
        video_.close();
        timeline_.videoClosed();
        playhead_.close();
        Q_EMIT videoClosed();
    }
    analysis_.setPlaying(false);
    currentFile_ = loadingImage_;
    truth_ = loadingTruth_;
    fileSize_ = QSize(result.fileWidth, result.fileHeight);  // empty unless analysed reduced
    show(std::move(result.image), -1);
    findTruth();
    Q_EMIT fileOpened(currentFile_);
    // After fileOpened: a warning or note belongs to this file, and the next file's
    // fileOpened takes it off the screen.
    if (!result.warning.empty()) Q_EMIT warningShown(QString::fromStdString(result.warning));
    else if (result.fileWidth > 0)
        Q_EMIT noteShown(QFileInfo(loadingImage_).fileName() + ": " +
                         QString::fromStdString(reductionNote(result, kDefaultMaxImageSide)));
}

void Workspace::openAny(const QString& path) {
    const QString base = QFileInfo(path).completeBaseName();
    // An ensemble card is a model too (a folder is a data set: File → Open model takes a card).
    if (isModelFile(path.toStdString()) || (QFileInfo(path).isFile() && isEnsemblePath(path.toStdString())))
        openModel(path);
    else if (base.endsWith("_depth")) openTruth(path, EvaluationSession::Kind::Depth);
    else if (base.endsWith("_labels")) openTruth(path, EvaluationSession::Kind::Labels);
    else openFile(path);
}

bool Workspace::isBundledModel(const QString& path) const {
    const QFileInfo model(bundledModel_);
    const QString file = QFileInfo(path).canonicalFilePath();
    // The bundled ensemble's card sits beside the model (<stem>.ensemble.json), as its members do.
    const QString ensemble = QFileInfo(model.dir().filePath(model.completeBaseName() + ".ensemble.json")).canonicalFilePath();
    return !file.isEmpty() && (file == model.canonicalFilePath() || file == ensemble);
}

void Workspace::openModel(const QString& path) {
    analysis_.openModel(path, isBundledModel(path));
}

void Workspace::openTruth(const QString& path, EvaluationSession::Kind kind) {
    if (video_.isOpen() || displayed().pixels.empty()) {
        Q_EMIT errorShown(path + ": ground truth belongs to a still image; open the image first");
        return;
    }
    evaluation_.load(path, kind, displayed().width, displayed().height, analysis_.card(), fileSize_);
}

const RgbImage& Workspace::displayed() const { return imageOrEmpty(displayed_); }

void Workspace::show(RgbImage image, int frameIndex) {
    displayed_ = std::make_shared<const RgbImage>(std::move(image));
    displayedFrame_ = frameIndex;
    Q_EMIT imageShown(*displayed_, frameIndex);
    analysis_.setImage(displayed_, frameIndex);
}

void Workspace::findTruth() {
    if (video_.isOpen() || currentFile_.isEmpty() || displayed().pixels.empty()) return;
    evaluation_.findFor(currentFile_, displayed().width, displayed().height, analysis_.card(), fileSize_, truth_);
}

}  // namespace uvis
