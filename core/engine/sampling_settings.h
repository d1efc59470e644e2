#pragma once
// One request to the engine, whatever the method: how the samples are drawn (MC dropout, an
// ensemble, ensemble × dropout, test-time augmentation), how many, at what dropout rate, with
// which seed, where and in what arithmetic. Words: a *sample* is one prediction the method draws,
// made by one *pass* (one forward run of one model on one input); T counts samples per model.

#include <cstdint>
#include <string>
#include <vector>

#include "core/calibration/calibration.h"
#include "core/runtime/device.h"
#include "core/types/uncertainty_method.h"

namespace uvis {

struct SamplingSettings {
    UncertaintyMethod method = UncertaintyMethod::McDropout;
    int samples = 16;       // T ≥ 1 (per member for ensemble-mc; ignored by ensemble: T = K)
                            // p: ignored by ensemble (members run at p = 0)
    double dropout = 0.2;   // p ∈ [0, 1)
    std::uint64_t seed = 0;
    DeviceKind device = DeviceKind::Cpu;
    Precision precision = Precision::Fp32;
    // Passes per decode call. 0 = automatic: one pass first (earliest partial result), then
    // defaultChunkSize(device) passes a call.
    int chunkSize = 0;
    int noiseSamples = 0;   // N logit-noise draws per pass (Kendall & Gal eq. 12); 0 = softmax(f_t)
    // Post-hoc calibration applied to this request (identity: none): logits / τ in every pass,
    // the depth variances (m² and log) × c.
    Calibration calibration;
    // Pixels (row-major indices at the model's input size) whose per-pass outputs the result
    // keeps, uncalibrated (SamplingResult::probes): what `uvis-cli calibrate` fits on.
    std::vector<int> probePixels;
    // Video only (core/temporal): each frame draws this many fresh samples k and reuses those of
    // earlier frames, carried by optical flow, up to T; 0 = every frame draws all T. A single
    // image ignores it.
    int temporalFresh = 0;
};

// p when the user gave none: the card's training rate for the dropout methods, 0 for tta (SPEC
// §2: "p = 0 unless asked") and for a plain ensemble (whose members run at p = 0).
double defaultDropout(UncertaintyMethod method, double trainDropout);

// Whether two requests give the same numbers: method, T, N, p, seed, precision and calibration
// (not the device, the chunking or the probes, nor the temporal sampling, which leaves a still
// image's numbers alone and draws video samples the same way whatever k). What the data-set table
// and comparisons key on, and what decides whether a video's stored samples can be carried on.
bool sameResults(const SamplingSettings& a, const SamplingSettings& b);

// The number of passes a request makes with a model of `members` members (1 for one model).
int totalPasses(const SamplingSettings& settings, int members);

// Empty when the settings are valid; otherwise what is wrong, in plain words.
std::string validateSettings(const SamplingSettings& settings);

// Passes per decode call after the first when SamplingSettings::chunkSize is 0. Measured with
// `uvis-bench --chunks` (README, "Performance").
int defaultChunkSize(DeviceKind device);

}  // namespace uvis
