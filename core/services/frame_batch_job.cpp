#include "core/services/frame_batch_job.h"

#include <opencv2/videoio.hpp>

#include <QDir>
#include <QFileInfo>

#include "core/export/result_export.h"
#include "core/io/atomic_file.h"
#include "core/io/decode.h"
#include "core/model_loader.h"
#include "core/preprocess.h"

namespace uvis {

FrameBatchJob::FrameBatchJob(FrameBatchRequest request, QObject* parent) : QThread(parent), request_(std::move(request)) {}

FrameBatchJob::~FrameBatchJob() {
    cancel_ = true;
    wait();
}

void FrameBatchJob::run() {
    try {
        const FrameBatchRequest& r = request_;
        LoadedModel loaded = loadModel(r.modelPath.toStdString(), r.settings.device);
        if (!loaded) {
            Q_EMIT done(QString::fromStdString(loaded.error), false);
            return;
        }
        McEngine engine(loaded.model);
        const ModelCard& card = engine.card();
        cv::VideoCapture capture(r.video.toStdString());
        if (!capture.isOpened()) {
            Q_EMIT done(r.video + ": not a video OpenCV can open, or the file is corrupt", false);
            return;
        }
        PartialFolder folder;
        if (std::string e = folder.open(r.dir.toStdString(), r.overwrite); !e.empty()) {
            Q_EMIT done(QString::fromStdString(e), false);
            return;
        }
        const QString stem = QFileInfo(r.video).completeBaseName();
        int done = 0;
        for (int index : r.frames) {
            if (cancel_) break;
            capture.set(cv::CAP_PROP_POS_FRAMES, index);
            cv::Mat bgr;
            if (!capture.read(bgr)) {
                Q_EMIT this->done(r.video + QString(": frame %1 cannot be decoded").arg(index + 1), false);
                return;
            }
            const RgbImage frame = rgbFromBgr(bgr);
            McResult result = engine.run(toModelInput(frame, card.input), r.settings,
                                         [this](const McProgress&) { return !cancel_.load(); });
            if (result.cancelled) break;
            if (!result.ok()) {
                Q_EMIT this->done(r.video + QString(": frame %1: ").arg(index + 1) + QString::fromStdString(result.error),
                                  false);
                return;
            }
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
                o.extraFiles = [&](const std::string& dir) { return r.extraFiles(dir, frame, result.maps, card); };
            if (std::string e = exportResult(o, frame, card, info); !e.empty()) {
                Q_EMIT this->done(QString::fromStdString(e), false);
                return;
            }
            Q_EMIT progress(++done, r.frames.size());
        }
        if (cancel_) {
            Q_EMIT this->done({}, true);  // the partial folder is removed
            return;
        }
        Q_EMIT this->done(QString::fromStdString(folder.commit()), false);
    } catch (const std::exception& e) {
        // An exception escaping run() would terminate the program.
        Q_EMIT done(request_.video + ": " + QString::fromUtf8(e.what()), false);
    }
}

}  // namespace uvis
