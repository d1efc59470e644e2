#pragma once
// Help → Keyboard shortcuts and Help → About: the texts (tested) and the boxes that show them.

#include <QString>

class QWidget;

namespace uvis {

QString shortcutsText();
// uvis's version and commit, and those of LibTorch, Qt and OpenCV, and the device in use.
QString aboutText(const QString& device);
void showShortcuts(QWidget* parent);
void showAbout(QWidget* parent, const QString& device);

}  // namespace uvis
