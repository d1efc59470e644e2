#pragma once
// What uvis-cli's front parsed (main.cpp) and its work library runs (work.cpp), as typed.

#include <cstdio>
#include <string>
#include <vector>

#include "common/exit_codes.h"

namespace uvis::cli {

// The options infer and ood share, as they are typed.
struct RunArgs {
    std::string model, method = "mc", device = "cpu", precision = "fp32", size, out = "uvis-out", frames, gtDepth,
        gtLabels;
    int samples = 16, noise = 0, every = 1, temporal = 0;
    double dropout = -1;
    unsigned long long seed = 0;
    bool rawMaps = false, overwrite = false, quiet = false, noGt = false, trustModel = false;
    int timeout = 60, inputTimeout = 600;
    long long maxPixels = 50'000'000;
    bool strict = false, resume = false, noCalibration = false;
    int probes = 4000;
    std::string shard;
    int shardCount = 0;
    std::vector<std::string> inputs;
};

// Every command's options as typed, and which command was given.
struct ParsedCommand {
    enum Command { Infer, Ood, Calibrate, Compare, Merge, Info, Validate } command = Infer;
    int threads = 0;
    RunArgs run, oodRun, calibrateRun, compareRun;
    std::vector<int> compareMc{8, 16, 32};
    int compareTta = 8, compareEnsembleMc = 8;
    std::vector<std::string> compareEnsembles;
    std::string compareFit, compareJson;
    std::string mergeOut;
    std::vector<std::string> mergeShardDirs;
    bool mergeOverwrite = false;
    std::string model;  // info and validate-model
    bool inProcess = false;
    int timeout = 60;
};

// A usage error, said on stderr: its exit code.
inline int usage(const std::string& message) {
    std::fprintf(stderr, "uvis-cli: %s\nRun with --help for more information.\n", message.c_str());
    return app::BadUsage;
}

}  // namespace uvis::cli
