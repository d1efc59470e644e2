#pragma once
// Every uvis program is two parts: a front — its command line (CLI11, --help, --version, usage
// errors) — linked with neither LibTorch nor OpenCV nor Qt, and a work library with everything
// else, loaded only when a command runs. LibTorch's static initialisation (0.6 s on a quiet
// machine, seconds on a busy one) and OpenCV's used to run before `main` of every program, so
// even `--version` waited for them.
//
// The front hands the work what it parsed: a struct that both parts compile from one header.

#include "core/runtime/version.h"

namespace uvis::app {

// Loads lib<program>-work.so (in <libdir>/uvis, beside the build's or the installation's bin/),
// checks that it comes from the same build, and runs its entry (UVIS_WORK_ENTRY) with the parsed
// command line. A missing or foreign library is a message naming the file and exit code Failure.
int runWork(const char* program, int& argc, char** argv, const void* parsed);

// Loads lib<program>-precheck.so from the same folder, a smaller library without LibTorch, and
// runs its entry (UVIS_PRECHECK_ENTRY): -1 to go on to the work, else the exit code of a command
// it answered itself. A missing or foreign library is a message and exit code Failure.
int runPrecheck(const char* program, int& argc, char** argv, const void* parsed);

// The folder of this executable (not argv[0]: a program found on PATH or through a link).
std::string executableDir();

// Where the work libraries are, relative to the programs' bin/ folder.
std::string workDir();

}  // namespace uvis::app

// What both kinds of library say about their build.
#define UVIS_LIBRARY_VERSION                                                                      \
    extern "C" __attribute__((visibility("default"))) const char* uvis_work_version() {          \
        static const std::string version = uvis::versionString();                                \
        return version.c_str();                                                                   \
    }

// The work library's entry: `int function(int& argc, char** argv, const Parsed& parsed)`.
#define UVIS_WORK_ENTRY(Parsed, function)                                                         \
    extern "C" __attribute__((visibility("default"))) int uvis_work_main(int* argc, char** argv, \
                                                                         const void* parsed) {    \
        return function(*argc, argv, *static_cast<const Parsed*>(parsed));                        \
    }                                                                                             \
    UVIS_LIBRARY_VERSION

// The precheck library's entry: `int function(int& argc, char** argv, const Parsed& parsed)`, -1 to
// go on to the work.
#define UVIS_PRECHECK_ENTRY(Parsed, function)                                                     \
    extern "C" __attribute__((visibility("default"))) int uvis_precheck_main(int* argc, char** argv, \
                                                                             const void* parsed) { \
        return function(*argc, argv, *static_cast<const Parsed*>(parsed));                        \
    }                                                                                             \
    UVIS_LIBRARY_VERSION
