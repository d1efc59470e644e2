#pragma once
// How big the main window opens the first time (no saved geometry). Qt Core layer.

#include <QRect>
#include <QSize>

#include <optional>

namespace uvis {

// 1500×820 where `available` (the screen's available area) has room for that and a window
// manager's frame, else nothing: maximised. The frame is unknown before the window is shown, and
// only a maximised window keeps title bar, status bar and docks on a small screen (1280×720).
std::optional<QSize> firstWindowSize(const QRect& available);

}  // namespace uvis
