#pragma once
// The subcommands of uvis-train. Each returns the process exit code:
// 0 success, 2 bad usage, 3 bad input file, 1 anything else.

#include <cstdint>
#include <string>
#include <vector>

#include "core/runtime/device.h"

namespace uvis::train {

struct RenderArgs {
    std::string domain = "A";
    int count = 100;
    std::uint64_t seed = 1;
    std::string out;
    std::string size = "256x192";
    double videoSeconds = 0;   // > 0: one sequence as a video instead of stills
    double fps = 10;
    bool frameTruth = true;    // with a video: ground truth (and RGB) per frame
    bool quiet = false;
};

struct TrainArgs {
    std::string data;
    std::string test;          // optional: evaluate here after training, metrics into the card
    std::string out;
    std::string domain;
    double fraction = 1.0;
    int steps = 3000;
    int batch = 8;
    double lr = 2e-3;
    int width = 32;
    bool encoderDropout = false;
    double dropout = 0.2;
    bool concreteDropout = false;  // learn each dropout site's rate
    int noiseSamples = 5;
    bool laplace = false;
    std::uint64_t seed = 1;
    std::string device = "cpu";
    int checkpointEvery = 500;
    std::string resume;
    std::string name = "uvis-street";
    int evalSamples = 8;
    int ensemble = 1;          // K ≥ 2: a deep ensemble of K members (seeds seed … seed + K − 1)
    bool quiet = false;
};

struct EvaluateArgs {
    std::string model;
    std::string data;
    std::string json;          // where to write the metrics (stdout too)
    int samples = 8;
    double dropout = -1;
    std::uint64_t seed = 1;
    std::string device = "cpu";
    int limit = 0;
    bool quiet = false;
};

struct SeedTableArgs {
    std::string trainData, testA, testB;
    std::string out = "seed-table";  // folder for the models (seed<N>/<stem>_<pct>.uvis) and the table
    std::vector<std::string> methods{"mc"};    // "mc", "concrete", "ensemble", in table order
    int members = 3;                           // K of the ensemble method
    std::vector<double> fractions{1.0, 0.25};  // training-set shares, largest first
    std::vector<std::uint64_t> seeds{1};       // one repeat per seed
    int steps = 1500;
    int batch = 8;
    int width = 32;
    bool encoderDropout = false;
    double dropout = 0.2;
    int samples = 16;
    int limit = 0;
    std::string device = "cpu";
    bool quiet = false;
};

// What the front parsed (main.cpp) and the work library runs (work.cpp): one command.
struct ParsedCommand {
    enum Command { Render, Train, Evaluate, Seal, SeedTable } command = Render;
    int threads = 0;
    RenderArgs render;
    TrainArgs train;
    EvaluateArgs evaluate;
    SeedTableArgs table;
    std::string sealPath;
};

int runRender(const RenderArgs& args, const std::string& command);
int runTrain(const TrainArgs& args, const std::string& command);
int runEvaluate(const EvaluateArgs& args);
// Rewrites a .uvis model with the SHA-256 of its weights in the card (models written before the
// seal existed); refuses a model whose recorded digest does not match.
int runSeal(const std::string& path);
int runSeedTable(const SeedTableArgs& args, const std::string& command);

bool parseDevice(const std::string& text, DeviceKind* out);

}  // namespace uvis::train
