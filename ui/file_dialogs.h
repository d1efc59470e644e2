#pragma once
// The questions the application asks with a dialog: which file to open, where to write. Each
// returns the answer (empty when the user cancelled); nothing here acts on it.

#include <QString>

class QWidget;

namespace uvis::dialogs {

QString askImageOrVideo(QWidget* parent, const QString& folder);
QString askModel(QWidget* parent, const QString& folder);
QString askDatasetFolder(QWidget* parent, const QString& folder);
QString askManifest(QWidget* parent, const QString& folder);  // .csv or .json
QString askTruth(QWidget* parent, const QString& folder, bool depth);
// A folder to create. An existing one is returned only if the user agreed to replace it; then
// *overwrite is true.
QString askNewFolder(QWidget* parent, const QString& title, const QString& suggested, bool* overwrite);
// "DIR exists. Replace it?" — true when it does not exist or the user said yes.
bool mayReplace(QWidget* parent, const QString& dir, bool* overwrite);

}  // namespace uvis::dialogs
