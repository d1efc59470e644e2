#pragma once
// SamplingSettings for a test request in one expression.

#include <cstdint>

#include "core/engine/sampling_settings.h"

namespace uvis::test {

inline SamplingSettings settingsFor(int samples, double p = 0.2, std::uint64_t seed = 0) {
    SamplingSettings s;
    s.samples = samples;
    s.dropout = p;
    s.seed = seed;
    return s;
}

}  // namespace uvis::test
