#include "ui/video_bar.h"

#include "core/services/sessions/playhead.h"
#include "core/types/frame_numbers.h"

#include <QComboBox>
#include <QHBoxLayout>
#include <QLabel>
#include <QProxyStyle>
#include <QSignalBlocker>
#include <QSlider>
#include <QStyle>
#include <QToolButton>

#include <algorithm>

namespace uvis {
namespace {

class AbsoluteClickStyle : public QProxyStyle {
public:
    int styleHint(StyleHint hint, const QStyleOption* option, const QWidget* widget,
                  QStyleHintReturn* returnData) const override {
        if (hint == QStyle::SH_Slider_AbsoluteSetButtons) return Qt::LeftButton;
        return QProxyStyle::styleHint(hint, option, widget, returnData);
    }
};

}  // namespace

VideoBar::VideoBar(Playhead& playhead, QWidget* parent) : QWidget(parent), playhead_(playhead) {
    auto* row = new QHBoxLayout(this);
    row->setContentsMargins(4, 0, 4, 0);
    back_ = new QToolButton;
    back_->setIcon(style()->standardIcon(QStyle::SP_MediaSeekBackward));
    back_->setToolTip("Previous frame (,)");
    play_ = new QToolButton;
    play_->setIcon(style()->standardIcon(QStyle::SP_MediaPlay));
    play_->setToolTip("Play / pause (Space)");
    forward_ = new QToolButton;
    forward_->setIcon(style()->standardIcon(QStyle::SP_MediaSeekForward));
    forward_->setToolTip("Next frame (.)");
    scrubber_ = new QSlider(Qt::Horizontal);
    // A click on the scrubber jumps to that frame (a plain slider would page by 10 frames).
    auto* jump = new AbsoluteClickStyle;
    jump->setParent(scrubber_);
    scrubber_->setStyle(jump);
    label_ = new QLabel;
    label_->setToolTip("Frames count from 0, as in frames.csv and summary.json");
    speed_ = new QComboBox;
    for (double s : {0.25, 0.5, 1.0, 2.0, 4.0}) speed_->addItem(QString("%1×").arg(s), s);
    speed_->setCurrentIndex(2);
    speed_->setToolTip("Playback speed");
    for (QWidget* w : std::initializer_list<QWidget*>{back_, play_, forward_}) row->addWidget(w);
    row->addWidget(scrubber_, 1);
    row->addWidget(label_);
    row->addWidget(speed_);
    pace_ = new QComboBox;
    pace_->addItem("Keep up", false);
    pace_->addItem("Every frame complete", true);
    pace_->setToolTip("Keep up: play at the video's pace; the maps follow as inference allows (partial, "
                      "a few frames behind, each map's note says which frame and how many samples).\n"
                      "Every frame complete: play each frame only once all its samples are done.");
    row->addWidget(pace_);

    connect(back_, &QToolButton::clicked, this, [this] { step(-1); });
    connect(forward_, &QToolButton::clicked, this, [this] { step(+1); });
    connect(play_, &QToolButton::clicked, this, [this] { setPlaying(!playing()); });
    connect(scrubber_, &QSlider::valueChanged, this, [this](int v) { seek(v); });
    connect(speed_, &QComboBox::currentIndexChanged, this,
            [this] { playhead_.setSpeed(speed_->currentData().toDouble()); });
    connect(pace_, &QComboBox::currentIndexChanged, this,
            [this] { playhead_.setEveryFrameComplete(pace_->currentData().toBool()); });
    connect(&playhead_, &Playhead::positionChanged, this, &VideoBar::showPosition);
    connect(&playhead_, &Playhead::playingChanged, this, [this](bool on) {
        play_->setIcon(style()->standardIcon(on ? QStyle::SP_MediaPause : QStyle::SP_MediaPlay));
    });
    showPosition(playhead_.position());
}

int VideoBar::currentFrame() const { return playhead_.position(); }
int VideoBar::frameCount() const { return playhead_.frameCount(); }
bool VideoBar::playing() const { return playhead_.playing(); }
void VideoBar::setPlaying(bool playing) { playhead_.setPlaying(playing); }
void VideoBar::step(int delta) { playhead_.step(delta); }
void VideoBar::seek(int index) { playhead_.seek(index); }

void VideoBar::showPosition(int index) {
    const QSignalBlocker block(scrubber_);
    scrubber_->setRange(0, std::max(0, playhead_.frameCount() - 1));
    scrubber_->setValue(index);
    updateLabel();
}

QString VideoBar::label() const { return label_->text(); }

void VideoBar::updateLabel() {
    const int frames = playhead_.frameCount();
    auto text = [&](int frame) {
        return QString("%1 of %2 · %3 s")
            .arg(QString::fromStdString(frameName(frame)))
            .arg(frames)
            .arg(frame / playhead_.fps(), 0, 'f', 2);
    };
    // As wide as its longest text, so the scrubber beside it keeps its size while playing.
    if (frames > 0) label_->setFixedWidth(label_->fontMetrics().horizontalAdvance(text(frames - 1)) + 8);
    label_->setText(frames > 0 ? text(playhead_.position()) : QString());
}

}  // namespace uvis
