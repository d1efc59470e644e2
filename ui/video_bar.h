#pragma once
// Video transport: play/pause, step back/forward, a frame scrubber, playback speed. It asks for
// frames (frameRequested); the decoder thread delivers them. While playing, a timer advances
// the frame at the video's rate × speed whatever inference does — the session skips frames
// that inference cannot keep up with.

#include <QTimer>
#include <QWidget>

class QComboBox;
class QLabel;
class QSlider;
class QToolButton;

namespace uvis {

class VideoBar : public QWidget {
    Q_OBJECT
public:
    QString label() const;  // "frame 7 of 100 (from 0) · 0.28 s"
    explicit VideoBar(QWidget* parent = nullptr);

    void setVideo(int frameCount, double fps);
    void showFrame(int index);  // the frame on screen now (moves the scrubber, no request)
    int currentFrame() const { return current_; }
    int frameCount() const { return frameCount_; }
    bool playing() const { return timer_.isActive(); }

    void setPlaying(bool playing);
    void step(int delta);
    void seek(int index);
    QSlider* scrubber() const { return scrubber_; }

Q_SIGNALS:
    void frameRequested(int index);
    void playingChanged(bool playing);

private:
    void updateLabel();
    QToolButton* back_;
    QToolButton* play_;
    QToolButton* forward_;
    QSlider* scrubber_;
    QLabel* label_;
    QComboBox* speed_;
    QTimer timer_;
    int frameCount_ = 0;
    int current_ = 0;
    double fps_ = 25.0;
};

}  // namespace uvis
