#pragma once
// The uncertainty timeline under the video's scrubber: per analysed frame, the mean and the
// 95th percentile of one uncertainty map, on the scrubber's frame axis (with frame numbers); the
// frame on screen and the bookmarks are marked; hovering reads out the nearest analysed frame;
// a click jumps to it. The mean is far smaller than the 95th percentile, so by default each
// series has its own scale (a shared linear scale and a log scale are in the context menu).

#include <QWidget>

#include <array>
#include <optional>

#include <map>

namespace uvis {

class TimelineView : public QWidget {
    Q_OBJECT
public:
    explicit TimelineView(QWidget* parent = nullptr);

    enum class Scale { EachItsOwn, Shared, Log };

    void reset(int frameCount, const QString& series, const QString& unit);
    void setScale(Scale scale);
    Scale scale() const { return scale_; }
    void setPoint(int frame, double mean, double p95);
    void setCurrentFrame(int frame);
    void setBookmarks(const QList<int>& frames);
    int pointCount() const { return static_cast<int>(points_.size()); }
    // Widget x of a frame, and the analysed frame nearest to an x (−1 without points).
    double xOf(int frame) const;
    int frameNear(double x) const;
    // Widget y of a value of the mean (p95 false) or 95th-percentile series under the current scale.
    double yOf(double value, bool p95) const;
    QRectF plotArea() const;  // where the curves are drawn
    // "frame 12: mean 0.41 m², 95th percentile 3.2 m²"; empty for a frame not analysed.
    QString readout(int frame) const;
    int hoveredFrame() const { return hovered_; }

Q_SIGNALS:
    void frameClicked(int frame);

protected:
    void paintEvent(QPaintEvent*) override;
    void mousePressEvent(QMouseEvent*) override;
    void mouseMoveEvent(QMouseEvent*) override;
    void leaveEvent(QEvent*) override;
    void contextMenuEvent(QContextMenuEvent*) override;

private:
    double seriesHigh(bool p95) const;  // the largest finite value (both series under Shared)
    double seriesLow(bool p95) const;   // the smallest positive value (the log scale's floor)
    std::pair<double, double> linearRange(bool p95) const;  // the linear axis: low, high
    std::pair<double, double> axis(bool p95) const;  // the axis of the scale in use, cached
    int frameCount_ = 0;
    int current_ = -1;
    QString series_, unit_;
    std::map<int, std::pair<double, double>> points_;  // frame → mean, p95
    QList<int> bookmarks_;
    Scale scale_ = Scale::EachItsOwn;
    int hovered_ = -1;
    mutable std::array<std::optional<std::pair<double, double>>, 2> axes_;  // mean, p95; reset on change
};

}  // namespace uvis
