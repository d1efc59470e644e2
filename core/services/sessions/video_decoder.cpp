#include "core/services/sessions/video_decoder.h"

#include "core/runtime/exception_text.h"

#include <opencv2/videoio.hpp>

#include "core/types/frame_numbers.h"
#include "core/io/decode.h"

namespace uvis {

VideoDecoder::VideoDecoder(QObject* parent) : QThread(parent) {
    qRegisterMetaType<VideoInfo>();
    qRegisterMetaType<RgbImage>();
}

VideoDecoder::~VideoDecoder() {
    {
        QMutexLocker lock(&mutex_);
        abort_ = true;
        wake_.wakeOne();
    }
    wait();
}

int VideoDecoder::open(const QString& path) {
    QMutexLocker lock(&mutex_);
    openPath_ = path;
    wantedFrame_ = -1;
    const int generation = ++generation_;
    if (!isRunning()) start(LowPriority);
    else wake_.wakeOne();
    return generation;
}

void VideoDecoder::requestFrame(int index) {
    QMutexLocker lock(&mutex_);
    wantedFrame_ = std::max(0, index);
    if (!isRunning()) start(LowPriority);
    else wake_.wakeOne();
}

void VideoDecoder::run() {
    // The capture lives and dies on this thread.
    cv::VideoCapture capture;
    VideoInfo info;
    int generation = 0;
    int next = 0;  // the frame the next read() returns
    while (!abort_) {
        QString path;
        int wanted = -1;
        {
            QMutexLocker lock(&mutex_);
            while (!abort_ && openPath_.isEmpty() && wantedFrame_ < 0) wake_.wait(&mutex_);
            if (abort_) return;
            path = openPath_;
            openPath_.clear();
            wanted = wantedFrame_;
            wantedFrame_ = -1;
            generation = generation_;
        }
        try {
            if (!path.isEmpty()) {
                info = VideoInfo{};
                if (!openVideoFile(capture, path.toStdString())) {
                    Q_EMIT failed(generation, path + ": not a video OpenCV can open, or the file is corrupt");
                    continue;
                }
                info.path = path;
                info.frameCount = static_cast<int>(capture.get(cv::CAP_PROP_FRAME_COUNT));
                const double fps = capture.get(cv::CAP_PROP_FPS);
                info.fps = fps > 0 && fps < 1000 ? fps : 25.0;
                info.width = static_cast<int>(capture.get(cv::CAP_PROP_FRAME_WIDTH));
                info.height = static_cast<int>(capture.get(cv::CAP_PROP_FRAME_HEIGHT));
                next = 0;
                if (info.frameCount <= 0) {
                    capture.release();
                    Q_EMIT failed(generation, path + ": the video holds no frames");
                    continue;
                }
                Q_EMIT opened(generation, info);
                if (wanted < 0) wanted = 0;
            }
            if (wanted < 0 || !capture.isOpened()) continue;
            wanted = std::min(wanted, info.frameCount - 1);
            if (wanted != next) {
                capture.set(cv::CAP_PROP_POS_FRAMES, wanted);
                next = wanted;
            }
            cv::Mat bgr;
            if (!capture.read(bgr) || bgr.empty()) {
                Q_EMIT failed(generation, info.path + ": " + QString::fromStdString(frameName(wanted)) +
                                              QString(" (of %1) cannot be decoded: the video is truncated or corrupt")
                                                  .arg(info.frameCount));
                next = -1;  // force a seek next time
                continue;
            }
            next = wanted + 1;
            Q_EMIT frameReady(generation, wanted, rgbFromBgr(bgr));
        } catch (...) {
            // An exception escaping run() would terminate the program.
            Q_EMIT failed(generation, info.path + ": " + QString::fromStdString(describeException()));
        }
    }
}

}  // namespace uvis
