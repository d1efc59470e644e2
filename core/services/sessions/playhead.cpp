#include "core/services/sessions/playhead.h"

#include <algorithm>

namespace uvis {

Playhead::Playhead(QObject* parent) : QObject(parent) {
    connect(&timer_, &QTimer::timeout, this, &Playhead::tick);
    updateInterval();
}

void Playhead::setVideo(int frameCount, double fps) {
    setPlaying(false);
    frameCount_ = std::max(0, frameCount);
    fps_ = fps > 0 ? fps : 25.0;
    position_ = 0;
    shown_ = -1;
    analysed_ = -1;
    requested_ = false;
    updateInterval();
    Q_EMIT positionChanged(0);
}

void Playhead::setSpeed(double speed) {
    speed_ = speed > 0 ? speed : 1.0;
    updateInterval();
}

void Playhead::updateInterval() { timer_.setInterval(std::max(1, static_cast<int>(1000.0 / (fps_ * speed_)))); }

void Playhead::setPlaying(bool playing) {
    if (playing == timer_.isActive()) return;
    if (playing && frameCount_ > 0) {
        if (position_ + 1 >= frameCount_) seek(0);
        timer_.start();
    } else {
        timer_.stop();
    }
    Q_EMIT playingChanged(timer_.isActive());
}

void Playhead::setEveryFrameComplete(bool complete) { complete_ = complete; }

void Playhead::step(int delta) {
    setPlaying(false);
    seek(position_ + delta);
}

void Playhead::jumpTo(int index) {
    setPlaying(false);
    seek(index);
}

void Playhead::seek(int index) {
    if (frameCount_ <= 0) return;
    position_ = std::clamp(index, 0, frameCount_ - 1);
    requested_ = true;
    Q_EMIT positionChanged(position_);
    Q_EMIT frameRequested(position_);
}

void Playhead::tick() {
    // The decoder has not shown the frame asked for yet, or (every frame complete) its analysis
    // is not final: this tick is skipped.
    if (waiting() || waitingForAnalysis()) return;
    if (position_ + 1 >= frameCount_) {
        setPlaying(false);
        return;
    }
    seek(position_ + 1);
}

void Playhead::frameShown(int index) {
    shown_ = index;
    if (index == position_) requested_ = false;
}

void Playhead::frameFailed() {
    requested_ = false;
    setPlaying(false);
}

}  // namespace uvis
