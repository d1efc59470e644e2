#pragma once
// What uvis-bench's front (main.cpp) parsed and its work library (bench.cpp) measures.

#include <string>
#include <vector>

namespace uvis::bench {

struct Options {
    std::vector<std::string> sizes{"256x192", "640x480"};
    std::vector<int> samples{1, 8, 16, 32};
    int repeats = 3;
    int width = 32;
    int classes = 8;
    double dropout = 0.2;
    int threads = 0;
    std::string device = "cpu";
    std::string jsonPath = "uvis-bench.json";
    bool chunks = false;
    bool methods = false;
    bool skipMemory = false;
    bool verify = false, verifyOnly = false;
    // Internal: one measurement of peak memory in a fresh process.
    int memoryProbe = 0;
    std::string probeMode = "engine";
    std::string model;  // a model file instead of the built-in network (random weights)
    bool precision = false;       // bf16 against fp32 passes
    bool encoderDropout = false;  // the built-in network with dropout on its 1/8 encoder features too
    bool startup = false;         // the programs' start-up instead (the front measures it)
    std::string image;            // --startup: the PNG whose truncated copy uvis-cli refuses
    // --video: temporal sampling against full MC on this video (--model, default the demo model).
    std::string video, truth;
    int videoFrames = 40, videoSamples = 16;
    std::vector<int> fresh{1, 2, 4};
    bool temporal = false;  // temporal sampling's cost per frame on a pan with known motion
};

}  // namespace uvis::bench
