#include "ui/view_area.h"

#include <QGridLayout>

namespace uvis {

ViewArea::ViewArea(std::vector<QWidget*> views, QWidget* parent) : QWidget(parent), views_(std::move(views)) {
    grid_ = new QGridLayout(this);
    grid_->setContentsMargins(0, 0, 0, 0);
    grid_->setSpacing(6);
    arrange();
}

void ViewArea::setSceneShape(int width, int height) {
    if (width <= 0 || height <= 0 || (width == sceneWidth_ && height == sceneHeight_)) return;
    sceneWidth_ = width;
    sceneHeight_ = height;
    arrange();
}

void ViewArea::resizeEvent(QResizeEvent* event) {
    QWidget::resizeEvent(event);
    arrange();
}

void ViewArea::arrange() {
    // Each cell spends about three lines of text on its title and legend besides the image.
    const int chrome = fontMetrics().height() * 3 + 16;
    const int count = static_cast<int>(views_.size());
    const GridShape shape = width() > 0 && height() > 0
                                ? bestViewGrid(width(), height(), chrome, sceneWidth_, sceneHeight_, count)
                                : GridShape{std::min(3, count), (count + 2) / 3};
    if (shape == shape_) return;
    shape_ = shape;
    for (QWidget* v : views_) grid_->removeWidget(v);
    for (int i = 0; i < std::max(grid_->rowCount(), grid_->columnCount()); ++i) {
        grid_->setRowStretch(i, 0);
        grid_->setColumnStretch(i, 0);
    }
    for (int i = 0; i < count; ++i) grid_->addWidget(views_[i], i / shape.columns, i % shape.columns);
    for (int r = 0; r < shape.rows; ++r) grid_->setRowStretch(r, 1);
    for (int c = 0; c < shape.columns; ++c) grid_->setColumnStretch(c, 1);
}

}  // namespace uvis
