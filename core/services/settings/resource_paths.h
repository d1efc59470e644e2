#pragma once
// Where the bundled resources (demo model, samples) are: $UVIS_RESOURCES, else an installed
// share/uvis/resources beside the executable (the build tree has the same layout).

#include <QString>

namespace uvis {

QString resourcesDir();
QString bundledModelPath();   // models/uvis-street-demo.uvis
// models/uvis-street-demo.ensemble.json: the demo's deep ensemble of 3 members, whose
// first member is the demo model; the application opens it by default when it is there.
QString bundledEnsemblePath();
QString bundledSamplePath();  // the first domain-A sample image

}  // namespace uvis
