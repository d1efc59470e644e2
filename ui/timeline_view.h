#pragma once
// The uncertainty timeline under the video's scrubber: per analysed frame, the mean and the
// 95th percentile of one uncertainty map, on the scrubber's frame axis; the frame on screen and
// the bookmarks are marked; a click jumps to the analysed frame nearest to it.

#include <QWidget>

#include <map>

namespace uvis {

class TimelineView : public QWidget {
    Q_OBJECT
public:
    explicit TimelineView(QWidget* parent = nullptr);

    void reset(int frameCount, const QString& series, const QString& unit);
    void setPoint(int frame, double mean, double p95);
    void setCurrentFrame(int frame);
    void setBookmarks(const QList<int>& frames);
    int pointCount() const { return static_cast<int>(points_.size()); }
    // Widget x of a frame, and the analysed frame nearest to an x (−1 without points).
    double xOf(int frame) const;
    int frameNear(double x) const;

Q_SIGNALS:
    void frameClicked(int frame);

protected:
    void paintEvent(QPaintEvent*) override;
    void mousePressEvent(QMouseEvent*) override;

private:
    QRectF plotArea() const;
    int frameCount_ = 0;
    int current_ = -1;
    QString series_, unit_;
    std::map<int, std::pair<double, double>> points_;  // frame → mean, p95
    QList<int> bookmarks_;
};

}  // namespace uvis
