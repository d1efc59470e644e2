#pragma once
// What every uvis program does with its command line: CLI11 (one parser for all four programs),
// `--version` from project(VERSION) + git commit, and the family's exit codes (exit_codes.h): 0
// after --help or --version, BadUsage for any usage error (unknown option, bad value, missing argument).

#include <CLI/CLI.hpp>

#include <charconv>
#include <cmath>
#include <cstdint>
#include <string>

#include "common/exit_codes.h"
#include "core/runtime/version.h"

namespace uvis::app {


// A real number in [low, high]. CLI::Range alone lets "nan" through (every comparison with NaN is
// false), and a NaN dropout rate then quietly became the default.
inline CLI::Validator FiniteRange(double low, double high) {
    return CLI::Validator(
        [low, high](std::string& text) -> std::string {
            double value = 0;
            if (!CLI::detail::lexical_cast(text, value)) return "value " + text + " is not a number";
            if (!std::isfinite(value)) return "value " + text + " is not a finite number";
            if (value < low || value > high)
                return "value " + text + " not in range [" + std::to_string(low) + " - " + std::to_string(high) + "]";
            return {};
        },
        "FLOAT in [" + CLI::detail::to_string(low) + " - " + CLI::detail::to_string(high) + "]");
}

// A whole number ≥ 0 for an unsigned option (a seed): CLI11 would wrap "-1" to 2^64 − 1.
inline CLI::Validator WholeNumber() {
    return CLI::Validator(
        [](std::string& text) -> std::string {
            std::uint64_t value = 0;
            const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
            if (text.empty() || error != std::errc() || end != text.data() + text.size())
                return "value " + text + " is not a whole number from 0 to 2^64 − 1";
            return {};
        },
        "UINT");
}

// A path that, when given, is not empty ("-m ''" fell back to the default model).
inline CLI::Validator NonEmpty() {
    return CLI::Validator([](std::string& text) { return text.empty() ? std::string("an empty value") : std::string(); },
                          "");
}

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
        return BadUsage;
    }
}

}  // namespace uvis::app
