#include "core/services/sessions/video_session.h"

namespace uvis {

VideoSession::VideoSession(QObject* parent) : QObject(parent) {}

VideoSession::~VideoSession() = default;  // each decoder stops and joins its thread

void VideoSession::open(const QString& path) {
    // Each decoder opens one file: its serial tells its answers apart, even ones still queued
    // from a decoder that is gone.
    opening_ = std::make_unique<VideoDecoder>();  // an earlier open still pending is dropped
    const int serial = ++serial_;
    openingSerial_ = serial;
    VideoDecoder* d = opening_.get();
    connect(d, &VideoDecoder::opened, this, [this, serial](int, const VideoInfo& info) {
        if (serial != openingSerial_) return;
        current_ = std::move(opening_);
        currentSerial_ = serial;
        openingSerial_ = 0;
        info_ = info;
        Q_EMIT opened(info);
    });
    connect(d, &VideoDecoder::frameReady, this, [this, serial](int, int index, const RgbImage& frame) {
        if (serial != currentSerial_) return;  // not (or no longer) on screen
        Q_EMIT frameReady(index, frame);
    });
    connect(d, &VideoDecoder::failed, this, [this, serial, path](int, const QString& message) {
        if (serial == openingSerial_) {
            openingSerial_ = 0;
            opening_.reset();  // it never opened: the open video (if any) stays
            Q_EMIT openFailed(path, message);
        } else if (serial == currentSerial_) {
            Q_EMIT frameFailed(message);
        }
    });
    d->open(path);
}

void VideoSession::close() {
    opening_.reset();
    openingSerial_ = 0;
    if (!current_) return;
    current_.reset();
    currentSerial_ = 0;
    info_ = VideoInfo{};
    Q_EMIT closed();
}

void VideoSession::requestFrame(int index) {
    if (current_) current_->requestFrame(index);
}

}  // namespace uvis
