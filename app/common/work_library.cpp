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

namespace {

// lib<name>.so of the work folder, loaded, and its function `symbol`, checked to come from this
// build; null with the message said on stderr otherwise.
void* loadPartFunction(const char* program, const std::string& name, const char* symbol) {
    const std::string path = workDir() + "/lib" + name + ".so";
    void* library = dlopen(path.c_str(), RTLD_NOW | RTLD_LOCAL);
    if (!library) {
        std::fprintf(stderr, "%s: cannot load its library %s: %s\n", program, path.c_str(), dlerror());
        return nullptr;
    }
    using Version = const char* (*)();
    const auto version = reinterpret_cast<Version>(dlsym(library, "uvis_work_version"));
    void* function = dlsym(library, symbol);
    if (!version || !function) {
        std::fprintf(stderr, "%s: %s is not a uvis work library\n", program, path.c_str());
        return nullptr;
    }
    // Both parts compile the parsed struct from one header: a library of another build could
    // read it differently.
    if (versionString() != version()) {
        std::fprintf(stderr, "%s: %s is from another build (%s, this program is %s); reinstall uvis\n", program,
                     path.c_str(), version(), versionString().c_str());
        return nullptr;
    }
    // The library stays loaded: LibTorch and Qt do not support being unloaded.
    return function;
}

// Both entries: int (int* argc, char** argv, const void* parsed).
int runPart(const char* program, const char* part, const char* symbol, int& argc, char** argv, const void* parsed) {
    using Entry = int (*)(int*, char**, const void*);
    const auto entry = reinterpret_cast<Entry>(loadPartFunction(program, std::string(program) + part, symbol));
    return entry ? entry(&argc, argv, parsed) : Failure;
}

}  // namespace

int runWork(const char* program, int& argc, char** argv, const void* parsed) {
    return runPart(program, "-work", "uvis_work_main", argc, argv, parsed);
}

int runPrecheck(const char* program, int& argc, char** argv, const void* parsed) {
    return runPart(program, "-precheck", "uvis_precheck_main", argc, argv, parsed);
}

}  // namespace uvis::app
