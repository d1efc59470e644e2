#pragma once
// The window's right-hand column of docks: each dock scrolls when the screen is short (a
// 1280×720 laptop) instead of pushing the window's minimum height past the screen; the control
// docks (Monte Carlo, Display) take what their controls need and the tabbed group under them the
// rest (dockColumnHeights).

#include <QString>

class QDockWidget;
class QMainWindow;
class QWidget;

namespace uvis {

// `widget` in a scrolling dock named `name`, added to the right of `window`.
QDockWidget* addScrollingDock(QMainWindow* window, QWidget* widget, const QString& title, const char* name);

// Caps the two control docks at the height of their contents, so that a growing window gives its
// height to `group`, and keeps them as wide as their widest controls; with `fresh` (no saved
// layout) also sizes the column: the controls whole, the group the rest. Call once the docks have
// their geometry.
void fitControlDocks(QMainWindow* window, QDockWidget* first, QDockWidget* second, QDockWidget* group, bool fresh);

}  // namespace uvis
