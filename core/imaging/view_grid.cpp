#include "core/imaging/view_grid.h"

#include <algorithm>

namespace uvis {
namespace {

// The image's shown area in one cell of a `g` grid.
double shownArea(GridShape g, int width, int height, int chrome, double aspect) {
    const double cellWidth = static_cast<double>(width) / g.columns;
    const double cellHeight = static_cast<double>(height) / g.rows - chrome;
    if (cellWidth <= 0 || cellHeight <= 0) return 0;
    const double shownWidth = std::min(cellWidth, cellHeight * aspect);
    return shownWidth * (shownWidth / aspect);
}

}  // namespace

GridShape bestViewGrid(int width, int height, int chrome, int imageWidth, int imageHeight, int views) {
    const int usual = std::min(3, views);
    GridShape best{usual, (views + usual - 1) / usual};
    if (imageWidth <= 0 || imageHeight <= 0 || views <= 0) return best;
    const double aspect = static_cast<double>(imageWidth) / imageHeight;
    const double usualArea = shownArea(best, width, height, chrome, aspect);
    double bestArea = usualArea * 1.15;  // another grid must be clearly better
    for (int columns = 1; columns <= views; ++columns) {
        const GridShape g{columns, (views + columns - 1) / columns};
        if ((g.rows - 1) * columns >= views) continue;  // a whole empty row
        const double area = shownArea(g, width, height, chrome, aspect);
        if (area > bestArea) {
            bestArea = area;
            best = g;
        }
    }
    return best;
}

}  // namespace uvis
