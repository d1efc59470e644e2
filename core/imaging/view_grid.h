#pragma once
// How the application's views share its space: the grid (columns × rows) in which an image of
// the given shape is shown largest. Six views of a 4:3 photo fit 3 × 2; a tall portrait photo is
// larger side by side in one row, a panorama in one column — a fixed 3 × 2 showed them small
// with wide empty margins.

namespace uvis {

struct GridShape {
    int columns = 3, rows = 2;
    bool operator==(const GridShape& o) const { return columns == o.columns && rows == o.rows; }
};

// `width` × `height`: the space for all views; `chrome`: what each cell spends besides the image
// (title and legend); `imageWidth` × `imageHeight`: the image's shape. Of the grids that hold
// `views` cells, the one whose cells show the image largest; 3 × 2 (for six) unless another one
// is clearly larger (by 15 %), so that a window does not flip between grids at the margin.
GridShape bestViewGrid(int width, int height, int chrome, int imageWidth, int imageHeight, int views = 6);

}  // namespace uvis
