#include "common/work_library.h"

#include <dlfcn.h>
#include <unistd.h>

#include <cstdio>
#include <string>

#include "common/exit_codes.h"
#include "core/runtime/version.h"

namespace uvis::app {

std::string executableDir() {
    char path[4096];
    const ssize_t n = readlink("/proc/self/exe", path, sizeof path - 1);
    if (n <= 0) return ".";
    const std::string exe(path, static_cast<size_t>(n));
    const size_t slash = exe.rfind('/');
    return slash == std::string::npos ? "." : exe.substr(0, slash);
}

// UVIS_WORK_DIR: the library folder relative to bin/, the same in the build and installed.
std::string workDir() { return executableDir() + "/" UVIS_WORK_DIR; }

int runWork(const char* program, int& argc, char** argv, const void* parsed) {
    const std::string path = workDir() + "/lib" + program + "-work.so";
    void* library = dlopen(path.c_str(), RTLD_NOW | RTLD_LOCAL);
    if (!library) {
        std::fprintf(stderr, "%s: cannot load its work library: %s\n", program, dlerror());
        return Failure;
    }
    using Version = const char* (*)();
    using Entry = int (*)(int*, char**, const void*);
    const auto version = reinterpret_cast<Version>(dlsym(library, "uvis_work_version"));
    const auto entry = reinterpret_cast<Entry>(dlsym(library, "uvis_work_main"));
    if (!version || !entry) {
        std::fprintf(stderr, "%s: %s is not a uvis work library\n", program, path.c_str());
        return Failure;
    }
    // Both parts compile the parsed struct from one header: a library of another build could
    // read it differently.
    if (versionString() != version()) {
        std::fprintf(stderr, "%s: %s is from another build (%s, this program is %s); reinstall uvis\n", program,
                     path.c_str(), version(), versionString().c_str());
        return Failure;
    }
    // The library stays loaded: LibTorch and Qt do not support being unloaded.
    return entry(&argc, argv, parsed);
}

}  // namespace uvis::app
