#include "core/services/resource_paths.h"

#include <QCoreApplication>
#include <QDir>
#include <QFileInfo>

namespace uvis {

QString resourcesDir() {
    const QString env = qEnvironmentVariable("UVIS_RESOURCES");
    if (!env.isEmpty()) return env;
    const QString installed = QDir(QCoreApplication::applicationDirPath()).filePath("../share/uvis/resources");
    if (QFileInfo::exists(installed)) return QDir::cleanPath(installed);
    return QStringLiteral(UVIS_SOURCE_RESOURCES);
}

QString bundledModelPath() { return QDir(resourcesDir()).filePath("models/uvis-street-demo.uvis"); }
QString bundledEnsemblePath() { return QDir(resourcesDir()).filePath("models/uvis-street-demo.ensemble.json"); }

QString bundledSamplePath() { return QDir(resourcesDir()).filePath("samples/domainA/A_000000_rgb.png"); }

}  // namespace uvis
