#pragma once
// The six views in the grid that shows the image on screen largest (bestViewGrid): 3 × 2 for a
// 4:3 photo, one row for a tall portrait, one column for a panorama; re-arranged when the image's
// shape or the space changes.

#include <QWidget>

#include <vector>

#include "core/imaging/view_grid.h"

class QGridLayout;

namespace uvis {

class ViewArea : public QWidget {
    Q_OBJECT
public:
    explicit ViewArea(std::vector<QWidget*> views, QWidget* parent = nullptr);
    void setSceneShape(int width, int height);
    GridShape shape() const { return shape_; }

protected:
    void resizeEvent(QResizeEvent* event) override;

private:
    void arrange();
    std::vector<QWidget*> views_;
    QGridLayout* grid_;
    GridShape shape_{0, 0};
    int sceneWidth_ = 4, sceneHeight_ = 3;
};

}  // namespace uvis
