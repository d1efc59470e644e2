#include "core/services/settings/resource_paths.h"

#include <QCoreApplication>
#include <QDir>

#include "core/runtime/resource_location.h"

namespace uvis {

QString resourcesDir() {
    return QString::fromStdString(resourcesDirBeside(QCoreApplication::applicationDirPath().toStdString()));
}

QString bundledModelPath() { return QDir(resourcesDir()).filePath("models/uvis-street-demo.uvis"); }
QString bundledEnsemblePath() { return QDir(resourcesDir()).filePath("models/uvis-street-demo.ensemble.json"); }

QString bundledSamplePath() { return QDir(resourcesDir()).filePath("samples/domainA/A_000000_rgb.png"); }

}  // namespace uvis
