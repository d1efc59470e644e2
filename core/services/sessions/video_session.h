#pragma once
// The open video: which decoder is current, which one is still opening, and which answers are
// stale. A file being opened gets a decoder of its own and becomes current only when it has
// opened, so a bad file never replaces the video on screen; each decoder has a serial, and only the current decoder's frames are passed on.
// Qt Core layer: the window shows what this says; it keeps no video state of its own.

#include <QObject>

#include <memory>

#include "core/services/sessions/video_decoder.h"

namespace uvis {

class VideoSession : public QObject {
    Q_OBJECT
public:
    explicit VideoSession(QObject* parent = nullptr);
    ~VideoSession() override;

    void open(const QString& path);  // answers: opened or openFailed
    void close();                    // e.g. a still image was opened instead
    void requestFrame(int index);    // latest wins; answer: frameReady or frameFailed

    bool isOpen() const { return current_ != nullptr; }
    const VideoInfo& info() const { return info_; }  // of the open video
    QString path() const { return info_.path; }

Q_SIGNALS:
    void opened(const uvis::VideoInfo& info);
    void openFailed(const QString& path, const QString& message);  // the open video (if any) stays
    void frameReady(int index, const uvis::RgbImage& frame);
    void frameFailed(const QString& message);  // names the file and the frame
    void closed();

private:
    std::unique_ptr<VideoDecoder> current_;   // the open video
    std::unique_ptr<VideoDecoder> opening_;   // a file still being opened
    int serial_ = 0;                          // decoders made so far
    int currentSerial_ = 0, openingSerial_ = 0;  // 0: none
    VideoInfo info_;
};

}  // namespace uvis
