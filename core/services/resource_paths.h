#pragma once
// Where the bundled resources (demo model, samples) are: $UVIS_RESOURCES, else an installed
// share/uvis/resources beside the executable, else the source tree this was built from.

#include <QString>

namespace uvis {

QString resourcesDir();
QString bundledModelPath();   // models/uvis-street-demo.uvis
QString bundledSamplePath();  // the first domain-A sample image

}  // namespace uvis
