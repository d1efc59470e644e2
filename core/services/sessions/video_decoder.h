#pragma once
// Video frames off the GUI thread. One decoder thread owns the cv::VideoCapture; open() and
// requestFrame() store the latest wish under a mutex and wake it (the Mandelbrot pattern again:
// a scrubber drag asks for many frames, only the last one is decoded). Sequential frames are
// read in order; a jump seeks. Qt Core layer.

#include <QMutex>
#include <QThread>
#include <QWaitCondition>

#include <atomic>
#include <memory>

#include "core/types/image.h"

namespace uvis {

struct VideoInfo {
    QString path;
    int frameCount = 0;  // as the container says; a truncated file may hold fewer
    double fps = 25.0;
    int width = 0, height = 0;
};

class VideoDecoder : public QThread {
    Q_OBJECT
public:
    explicit VideoDecoder(QObject* parent = nullptr);
    ~VideoDecoder() override;  // stops and waits; returns within one frame's decoding

    // Both return at once; answers come as signals carrying the same `generation` (bumped by
    // every open()), so frames of a previous video are recognisable.
    int open(const QString& path);
    void requestFrame(int index);

Q_SIGNALS:
    void opened(int generation, const uvis::VideoInfo& info);
    void frameReady(int generation, int index, const uvis::RgbImage& frame);
    void failed(int generation, const QString& message);  // names the file

protected:
    void run() override;

private:
    QMutex mutex_;
    QWaitCondition wake_;
    QString openPath_;     // guarded: a pending open
    int generation_ = 0;   // guarded
    int wantedFrame_ = -1; // guarded: -1 = none
    std::atomic<bool> abort_{false};
};

}  // namespace uvis

Q_DECLARE_METATYPE(uvis::VideoInfo)
Q_DECLARE_METATYPE(uvis::RgbImage)
