#pragma once
// Lines `uvis-cli infer` says on stderr that both its work library and its input precheck say,
// so that a run refused by either reads the same.

#include <cstdio>
#include <string>

namespace uvis::cli {

// "uvis-cli: [3/10] path": an input is started.
inline void sayStarted(bool quiet, int number, int count, const std::string& path) {
    if (!quiet) std::fprintf(stderr, "uvis-cli: [%d/%d] %s\n", number, count, path.c_str());
}

// A problem of one input or argument (it names the file).
inline void sayProblem(const std::string& problem) { std::fprintf(stderr, "uvis-cli: %s\n", problem.c_str()); }

// The last line of a run with failed inputs (exit code BadInput).
inline void sayFailures(int failures) { std::fprintf(stderr, "uvis-cli: %d input(s) failed\n", failures); }

// The problem of an input that decoded only in part (a truncated JPEG) under --strict.
inline std::string strictRefusal(const std::string& warning) { return warning + " (refused: --strict)"; }

}  // namespace uvis::cli
