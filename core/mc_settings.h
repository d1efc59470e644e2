#pragma once
// One Monte-Carlo request: how many passes, at what dropout rate, with which seed, where.

#include <cstdint>
#include <string>

#include "core/device.h"

namespace uvis {

struct McSettings {
    int samples = 16;       // T ≥ 1
    double dropout = 0.2;   // p ∈ [0, 1)
    std::uint64_t seed = 0;
    DeviceKind device = DeviceKind::Cpu;
    // Passes per decode call. 0 = automatic: one pass first (earliest partial result), then
    // defaultChunkSize(device) passes a call.
    int chunkSize = 0;
    int noiseSamples = 0;   // N logit-noise draws per pass (Kendall & Gal eq. 12); 0 = softmax(f_t)
};

// Empty when the settings are valid; otherwise what is wrong, in plain words.
std::string validateSettings(const McSettings& settings);

// Passes per decode call after the first when McSettings::chunkSize is 0. Measured with
// `uvis-bench --chunks` (README, "Performance").
int defaultChunkSize(DeviceKind device);

}  // namespace uvis
