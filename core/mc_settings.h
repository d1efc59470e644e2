#pragma once
// One Monte-Carlo request: how many passes, at what dropout rate, with which seed, where.

#include <cstdint>
#include <string>
#include <vector>

#include "core/calibration.h"

#include "core/device.h"
#include "core/model_card.h"

namespace uvis {

// How the passes of a request are drawn (SPEC §2): every method feeds the same streaming
// estimators; a member of an ensemble or an augmentation is a pass.
enum class UncertaintyMethod {
    McDropout,   // "mc": T passes of one model with dropout p
    Ensemble,    // "ensemble": one pass per member at p = 0 (T = K)
    EnsembleMc,  // "ensemble-mc": T dropout passes per member (K·T passes)
    Tta,         // "tta": T passes on transformed inputs, each mapped back to the image
};

// "mc", "ensemble", "ensemble-mc", "tta": the names of the CLI, summary.json and the dock.
const char* methodName(UncertaintyMethod method);
// Words for a legend: "MC dropout", "deep ensemble", ...
const char* methodTitle(UncertaintyMethod method);
// Parses a name; false for an unknown one.
bool parseMethod(const std::string& name, UncertaintyMethod* method);
// "mc, ensemble, ensemble-mc or tta", for messages.
std::string methodNames();
// Whether the method needs a model ensemble (an ensemble card or a folder of members).
bool needsEnsemble(UncertaintyMethod method);

// The arithmetic of the model's passes. Statistics are always accumulated in float32; bf16 runs
// the network under autocast (convolutions and matrix products in bfloat16, where the CPU has
// AVX512-BF16/AMX or on CUDA) and converts every pass's outputs to float32 before they are folded in.
enum class Precision { Fp32, Bf16 };

// "fp32", "bf16": the names of the CLI, summary.json and the settings.
const char* precisionName(Precision precision);
bool parsePrecision(const std::string& name, Precision* precision);

struct McSettings {
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
    // keeps, uncalibrated (McResult::probes): what `uvis-cli calibrate` fits on.
    std::vector<int> probePixels;
};

// Empty when `method` can run on a model with this card (an ensemble's card counts its members);
// otherwise why not, in words a user can act on. MC dropout needs a model with dropout (a card
// without a "dropout" section is deterministic); the ensemble methods need an ensemble.
std::string methodUnavailableReason(UncertaintyMethod method, const ModelCard& card);

// The method a model is opened with when the user has chosen none that it supports: MC dropout
// when it has dropout, else its ensemble, else test-time augmentation.
UncertaintyMethod defaultMethod(const ModelCard& card);

// p when the user gave none: the card's training rate for the dropout methods, 0 for tta (SPEC
// §2: "p = 0 unless asked") and for a plain ensemble (whose members run at p = 0).
double defaultDropout(UncertaintyMethod method, double trainDropout);

// The number of passes a request makes with a model of `members` members (1 for one model).
int totalPasses(const McSettings& settings, int members);

// Empty when the settings are valid; otherwise what is wrong, in plain words.
std::string validateSettings(const McSettings& settings);

// Passes per decode call after the first when McSettings::chunkSize is 0. Measured with
// `uvis-bench --chunks` (README, "Performance").
int defaultChunkSize(DeviceKind device);

}  // namespace uvis
