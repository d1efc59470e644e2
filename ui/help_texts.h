#pragma once
// Help → What am I looking at?, Help → Keyboard shortcuts and Help → About: the texts (tested)
// and the boxes that show them.

#include <QString>

#include <QList>

class QAction;
class QWidget;

namespace uvis {

// The shortcuts of `menus` (a menu bar's actions) and their sub-menus, made from the actions
// themselves so that the list cannot miss one, and the views' mouse gestures.
QString shortcutsText(const QList<QAction*>& menus);
// uvis's version and commit, and those of LibTorch, Qt and OpenCV, and the device in use.
QString aboutText(const QString& device);
// Each view and measure in two sentences, with the formulas of docs/spec.md §2 and the intuition
// of Kendall & Gal (2017): what a map shows, how it is computed, and what it means for a user.
QString mapsHelpText();
void showMapsHelp(QWidget* parent);
void showShortcuts(QWidget* parent, const QList<QAction*>& menus);
void showAbout(QWidget* parent, const QString& device);

}  // namespace uvis
