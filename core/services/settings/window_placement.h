#pragma once
// How big the main window opens the first time (no saved geometry). Qt Core layer.

#include <QList>
#include <QRect>
#include <QSize>

#include <optional>

namespace uvis {

// 1500×820 where `available` (the screen's available area) has room for that and a window
// manager's frame, else nothing: maximised. The frame is unknown before the window is shown, and
// only a maximised window keeps title bar, status bar and docks on a small screen (1280×720).
std::optional<QSize> firstWindowSize(const QRect& available);

// The heights of a column of docks on a first start: each control dock what its controls need
// (`wanted`), the group under them what is left of `column`, at least `groupMinimum`. Sharing the
// height evenly cut controls at 1280×720 while an empty inspector took the most.
QList<int> dockColumnHeights(int column, const QList<int>& wanted, int groupMinimum);

// The least width of the control docks: what their widest controls need (`wanted`), but at most a
// third of the screen's `availableWidth`, so that the views keep the rest and the window still
// fits a small screen (where the controls then scroll sideways).
int controlDockMinimumWidth(int wanted, int availableWidth);

}  // namespace uvis
