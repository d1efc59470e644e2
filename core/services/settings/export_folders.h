#pragma once
// Where the application suggests writing an export. Qt Core layer.

#include <QString>
#include <QStringList>

namespace uvis {

// `folder`, unless it lies inside (or is) a folder of the open data set (`datasetSources`: what the
// data set was opened from; manifests list their images and are not searched, so only folders
// count) — an export there would be scored as a part of the data set — then the folder that holds
// that data-set folder.
QString exportFolderOutside(const QString& folder, const QStringList& datasetSources);

}  // namespace uvis
