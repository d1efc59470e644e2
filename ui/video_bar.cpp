#include "ui/video_bar.h"

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

VideoBar::VideoBar(QWidget* parent) : QWidget(parent) {
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
    label_->setMinimumWidth(150);
    speed_ = new QComboBox;
    for (double s : {0.25, 0.5, 1.0, 2.0, 4.0}) speed_->addItem(QString("%1×").arg(s), s);
    speed_->setCurrentIndex(2);
    speed_->setToolTip("Playback speed");
    for (QWidget* w : std::initializer_list<QWidget*>{back_, play_, forward_}) row->addWidget(w);
    row->addWidget(scrubber_, 1);
    row->addWidget(label_);
    row->addWidget(speed_);

    connect(back_, &QToolButton::clicked, this, [this] { step(-1); });
    connect(forward_, &QToolButton::clicked, this, [this] { step(+1); });
    connect(play_, &QToolButton::clicked, this, [this] { setPlaying(!playing()); });
    connect(scrubber_, &QSlider::valueChanged, this, [this](int v) { seek(v); });
    connect(speed_, &QComboBox::currentIndexChanged, this, [this] {
        timer_.setInterval(static_cast<int>(1000.0 / (fps_ * speed_->currentData().toDouble())));
    });
    connect(&timer_, &QTimer::timeout, this, [this] {
        if (current_ + 1 >= frameCount_) {
            setPlaying(false);
            return;
        }
        seek(current_ + 1);
    });
    setVideo(0, 25.0);
}

void VideoBar::setVideo(int frameCount, double fps) {
    setPlaying(false);
    frameCount_ = frameCount;
    fps_ = fps > 0 ? fps : 25.0;
    current_ = 0;
    timer_.setInterval(static_cast<int>(1000.0 / (fps_ * speed_->currentData().toDouble())));
    const QSignalBlocker block(scrubber_);
    scrubber_->setRange(0, std::max(0, frameCount - 1));
    scrubber_->setValue(0);
    updateLabel();
}

void VideoBar::showFrame(int index) {
    current_ = index;
    const QSignalBlocker block(scrubber_);
    scrubber_->setValue(index);
    updateLabel();
}

void VideoBar::setPlaying(bool playing) {
    if (playing == timer_.isActive()) return;
    if (playing && frameCount_ > 0) {
        if (current_ + 1 >= frameCount_) seek(0);
        timer_.start();
    } else {
        timer_.stop();
    }
    play_->setIcon(style()->standardIcon(timer_.isActive() ? QStyle::SP_MediaPause : QStyle::SP_MediaPlay));
    Q_EMIT playingChanged(timer_.isActive());
}

void VideoBar::step(int delta) {
    setPlaying(false);
    seek(current_ + delta);
}

void VideoBar::seek(int index) {
    if (frameCount_ <= 0) return;
    index = std::clamp(index, 0, frameCount_ - 1);
    showFrame(index);
    Q_EMIT frameRequested(index);
}

QString VideoBar::label() const { return label_->text(); }

void VideoBar::updateLabel() {
    label_->setText(frameCount_ > 0 ? QString("%1 of %2 (from 0) · %3 s")
                                          .arg(QString::fromStdString(frameName(current_)))
                                          .arg(frameCount_)
                                          .arg(current_ / fps_, 0, 'f', 2)
                                    : QString());
}

}  // namespace uvis
