#include "core/runtime/version.h"

#include "uvis_version_generated.h"

namespace uvis {

std::string versionNumber() { return UVIS_VERSION; }

std::string gitCommit() { return UVIS_GIT_COMMIT; }

std::string versionString() {
    const std::string commit = gitCommit();
    return commit.empty() ? versionNumber() : versionNumber() + " (git " + commit + ")";
}

}  // namespace uvis
