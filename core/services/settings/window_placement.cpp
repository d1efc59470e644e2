#include "core/services/settings/window_placement.h"

#include <algorithm>

#include <QMargins>

namespace uvis {

std::optional<QSize> firstWindowSize(const QRect& available) {
    const QSize wanted(1500, 820);
    const QMargins frameAllowance(8, 48, 8, 8);  // a title bar and borders, generously
    const QRect room = available.marginsRemoved(frameAllowance);
    if (room.width() >= wanted.width() && room.height() >= wanted.height()) return wanted;
    return std::nullopt;
}

QList<int> dockColumnHeights(int column, const QList<int>& wanted, int groupMinimum) {
    QList<int> heights = wanted;
    int used = 0;
    for (int h : wanted) used += h;
    heights << std::max(groupMinimum, column - used);
    return heights;
}

int controlDockMinimumWidth(int wanted, int availableWidth) { return std::min(wanted, availableWidth / 3); }

}  // namespace uvis
