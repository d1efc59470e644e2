#include "core/runtime/resource_location.h"

#include <cstdlib>
#include <filesystem>

namespace uvis {

std::string resourcesDirBeside(const std::string& binDir) {
    if (const char* env = std::getenv("UVIS_RESOURCES"); env && *env) return env;
    return (std::filesystem::path(binDir) / ".." / "share" / "uvis" / "resources").lexically_normal().string();
}

}  // namespace uvis
