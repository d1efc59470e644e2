#pragma once
// What every uvis program does with its command line: CLI11 (one parser for all four programs),
// `--version` from project(VERSION) + git commit, and the family's exit codes: 0 after --help or
// --version, 2 for any usage error (unknown option, bad value, missing argument).

#include <CLI/CLI.hpp>

#include "core/version.h"

namespace uvis::app {

constexpr int kUsageExit = 2;

inline void addVersionFlag(CLI::App& app, const std::string& program) {
    app.set_version_flag("--version", program + " " + versionString());
}

// -1: go on; otherwise the exit code to return (CLI11 has printed help, version or the error).
inline int parseCommandLine(CLI::App& app, int argc, char** argv) {
    try {
        app.parse(argc, argv);
        return -1;
    } catch (const CLI::Success& e) {
        return app.exit(e);
    } catch (const CLI::Error& e) {
        app.exit(e);
        return kUsageExit;
    }
}

}  // namespace uvis::app
