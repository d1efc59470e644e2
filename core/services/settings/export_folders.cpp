#include "core/services/settings/export_folders.h"

#include <QDir>
#include <QFileInfo>

namespace uvis {

namespace {

bool isInside(const QString& path, const QString& root) {
    return path == root || path.startsWith(root.endsWith('/') ? root : root + '/');
}

}  // namespace

QString exportFolderOutside(const QString& folder, const QStringList& datasetSources) {
    QString result = QDir::cleanPath(QDir(folder).absolutePath());
    // Data-set folders may nest (a folder and one of its sub-folders): step out until none holds it.
    for (bool moved = true; moved;) {
        moved = false;
        for (const QString& source : datasetSources) {
            if (!QFileInfo(source).isDir()) continue;
            const QString root = QDir::cleanPath(QDir(source).absolutePath());
            if (isInside(result, root) && root != QDir::rootPath()) {
                result = QFileInfo(root).absolutePath();  // the folder that holds the data set
                moved = true;
            }
        }
    }
    return result;
}

}  // namespace uvis
