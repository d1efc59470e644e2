#pragma once
// "Does the model know when it is wrong?" at data-set level: one point per scored
// image with ground truth, its mean uncertainty (x) against its error (y) — depth: relative
// predictive variance against abs-rel; segmentation: predictive entropy against 1 − pixel
// accuracy. Clicking a point opens that image; the image on screen is ringed.

#include <QWidget>

#include <vector>

#include "core/services/batch/dataset_order.h"
#include "core/services/sessions/dataset_session.h"

namespace uvis {

class DatasetScatter : public QWidget {
    Q_OBJECT
public:
    explicit DatasetScatter(const DatasetSession& session, QWidget* parent = nullptr);
    void setDepth(bool depth);  // else segmentation
    void setVisibleInputs(const std::vector<int>& inputs);  // what the filters let through
    void setCurrent(int input);
    void refresh();
    // The widget position of input's point (tests, and clicking); invalid when not plotted.
    QPointF pointOf(int input) const;

Q_SIGNALS:
    void inputClicked(int input);

protected:
    void paintEvent(QPaintEvent*) override;
    void mousePressEvent(QMouseEvent* event) override;
    void mouseMoveEvent(QMouseEvent* event) override;

private:
    struct Point {
        int input;
        double x, y;
    };
    QRectF plotArea() const;
    int nearest(QPointF position) const;
    const DatasetSession& session_;
    bool depth_ = true;
    std::vector<int> visible_;
    std::vector<Point> points_;
    double xMin_ = 0, xMax_ = 1, yMin_ = 0, yMax_ = 1;
    int current_ = -1;
};

}  // namespace uvis
