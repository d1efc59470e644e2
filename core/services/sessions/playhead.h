#pragma once
// Where the open video is and where it goes next — the transport's policy, apart from its
// widgets. The position is the frame asked for last. A decoded frame that answers an older
// request (a scrubber drag asks for dozens, a playing timer for one more) never moves the
// position back; and while playing, a tick asks for the next frame only once the frame asked for
// has been shown, so playback paces itself to the decoder instead of running ahead of the screen
// (or jumping back to a late answer). With "every frame complete" a tick also waits for the shown
// frame's final analysis, so each frame played has its full set of samples; otherwise playback
// keeps the video's pace and the maps follow as inference allows. Qt Core layer.

#include <QObject>
#include <QTimer>

namespace uvis {

class Playhead : public QObject {
    Q_OBJECT
public:
    explicit Playhead(QObject* parent = nullptr);

    void setVideo(int frameCount, double fps);  // paused at frame 0; nothing requested
    void close() { setVideo(0, 25.0); }
    void setSpeed(double speed);                // 1 = the video's own rate
    void setPlaying(bool playing);              // from the end, playing starts again at frame 0
    void step(int delta);                       // pauses
    void seek(int index);                       // clamped; asks for the frame
    // A frame chosen elsewhere (the analysis timeline, the worst frames): playback pauses there,
    // so the frame the user picked stays on screen to be looked at.
    void jumpTo(int index);
    void tick();                                // what the playing timer does (public for tests)
    void setEveryFrameComplete(bool complete);
    bool everyFrameComplete() const { return complete_; }

    // What the decoder answered: a frame reached the screen, or the frame asked for cannot be
    // decoded (playback stops there).
    void frameShown(int index);
    void frameFailed();
    // The analysis of `index` is final (or cannot run): what "every frame complete" waits for.
    void frameAnalysed(int index) { analysed_ = index; }

    int position() const { return position_; }  // the frame asked for last
    int shown() const { return shown_; }        // the frame on screen; -1 before the first
    bool waiting() const { return requested_ && shown_ != position_; }
    bool waitingForAnalysis() const { return complete_ && shown_ >= 0 && analysed_ != shown_; }
    int frameCount() const { return frameCount_; }
    double fps() const { return fps_; }
    bool playing() const { return timer_.isActive(); }

Q_SIGNALS:
    void frameRequested(int index);
    void positionChanged(int index);
    void playingChanged(bool playing);

private:
    void updateInterval();

    QTimer timer_;
    int frameCount_ = 0;
    double fps_ = 25.0;
    double speed_ = 1.0;
    int position_ = 0;
    int shown_ = -1;
    bool requested_ = false;  // position_ was asked for and not yet answered
    bool complete_ = false;
    int analysed_ = -1;
};

}  // namespace uvis
