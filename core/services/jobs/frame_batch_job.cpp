#include "core/services/jobs/frame_batch_job.h"

#include <opencv2/videoio.hpp>

#include <QDir>
#include <QFileInfo>

#include "core/export/result_export.h"
#include "core/types/frame_numbers.h"
#include "core/io/atomic_file.h"
#include "core/io/decode.h"
#include "core/engine/uncertainty_engine.h"
#include "core/engine/preprocess.h"

namespace uvis {
namespace {

JobOutcome exportFrames(const FrameBatchRequest& r, BackgroundJob& job) {
    QString problem;
    const std::unique_ptr<UncertaintyEngine> engine = BackgroundJob::loadEngine(r.modelPath, r.settings.device, &problem);
    if (!engine) return {problem, false};
    const ModelCard& card = engine->card();
    cv::VideoCapture capture;
    if (!openVideoFile(capture, r.video.toStdString())) return {r.video + ": not a video OpenCV can open, or the file is corrupt", false};
    PartialFolder folder;  // removed unless committed
    if (std::string e = folder.open(r.dir.toStdString(), r.overwrite); !e.empty())
        return {QString::fromStdString(e), false};
    const QString stem = QFileInfo(r.video).completeBaseName();
    int done = 0;
    for (int index : r.frames) {
        if (job.cancelRequested()) return {{}, true};
        capture.set(cv::CAP_PROP_POS_FRAMES, index);
        cv::Mat bgr;
        const QString frameText = QString::fromStdString(frameName(index));
        if (!capture.read(bgr)) return {r.video + ": " + frameText + " cannot be decoded", false};
        const RgbImage frame = rgbFromBgr(bgr);
        SamplingResult result = engine->run(toModelInput(frame, card.input), r.settings,
                                      [&job](const SamplingProgress&) { return !job.cancelRequested(); });
        if (result.cancelled) return {{}, true};
        if (!result.ok())
            return {r.video + ": " + frameText + ": " + QString::fromStdString(result.error), false};
        RunInfo info;
        info.input = (r.video + QString("#frame=%1").arg(index)).toStdString();
        info.modelPath = r.modelPath.toStdString();
        info.settings = r.settings;
        info.result = &result;
        ExportOptions o;
        o.dir = QDir(QString::fromStdString(folder.path()))
                    .filePath(QString("%1_frame_%2").arg(stem).arg(index, 6, 10, QChar('0')))
                    .toStdString();
        if (r.extraFiles)
            o.extraFiles = [&](const std::string& dir) { return r.extraFiles(dir, frame, result.maps, card, info); };
        if (std::string e = exportResult(o, frame, card, info); !e.empty()) return {QString::fromStdString(e), false};
        job.reportProgress(++done, r.frames.size(), index);
    }
    return {QString::fromStdString(folder.commit()), false};
}

}  // namespace

FrameBatchJob::FrameBatchJob(FrameBatchRequest request, QObject* parent)
    : BackgroundJob(request.video, [request](BackgroundJob& job) { return exportFrames(request, job); }, parent) {}

}  // namespace uvis
