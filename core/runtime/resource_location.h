#pragma once
// Where the bundled resources (demo model, samples) are, without Qt: the application's settings
// use it, and so do the programs' fronts, which load no Qt.

#include <string>

namespace uvis {

// $UVIS_RESOURCES, else share/uvis/resources beside the programs' bin/ folder — installed and in
// the build tree alike (the build links share/uvis/resources to the sources' resources), so no
// path of the machine that built it is compiled in.
std::string resourcesDirBeside(const std::string& binDir);

}  // namespace uvis
