#include "core/services/settings/resource_paths.h"

#include <QCoreApplication>
#include <QDir>

namespace uvis {

QString resourcesDir() {
    const QString env = qEnvironmentVariable("UVIS_RESOURCES");
    if (!env.isEmpty()) return env;
    // Installed, and in the build tree alike (the build links share/uvis/resources to the
    // sources' resources), so no path of the machine that built it is compiled in.
    return QDir::cleanPath(QDir(QCoreApplication::applicationDirPath()).filePath("../share/uvis/resources"));
}

QString bundledModelPath() { return QDir(resourcesDir()).filePath("models/uvis-street-demo.uvis"); }
QString bundledEnsemblePath() { return QDir(resourcesDir()).filePath("models/uvis-street-demo.ensemble.json"); }

QString bundledSamplePath() { return QDir(resourcesDir()).filePath("samples/domainA/A_000000_rgb.png"); }

}  // namespace uvis
