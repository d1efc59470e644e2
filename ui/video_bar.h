#pragma once
// Video transport: play/pause, step back/forward, a frame scrubber, playback speed — the
// widgets of the Playhead (core/services/sessions/playhead.h), which decides what is asked for
// when. The scrubber shows the playhead's position; the analysis skips frames that inference
// cannot keep up with.

#include <QWidget>

class QComboBox;
class QLabel;
class QSlider;
class QToolButton;

namespace uvis {

class Playhead;

class VideoBar : public QWidget {
    Q_OBJECT
public:
    QString label() const;  // "frame 7 of 100 · 0.28 s" (frames count from 0)
    explicit VideoBar(Playhead& playhead, QWidget* parent = nullptr);

    // What a user does with the buttons, for menus and tests (the playhead's own).
    int currentFrame() const;
    int frameCount() const;
    bool playing() const;
    void setPlaying(bool playing);
    void step(int delta);
    void seek(int index);
    QSlider* scrubber() const { return scrubber_; }

private:
    void showPosition(int index);  // moves the scrubber without asking for a frame
    void updateLabel();
    Playhead& playhead_;
    QToolButton* back_;
    QToolButton* play_;
    QToolButton* forward_;
    QSlider* scrubber_;
    QLabel* label_;
    QComboBox* speed_;
    QComboBox* pace_;
};

}  // namespace uvis
