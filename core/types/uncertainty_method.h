#pragma once
// The ways uvis draws its passes (SPEC §2) and the arithmetic they run in: plain names shared by
// the engine, the models (which methods a model supports), the programs and the settings.

#include <string>

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

}  // namespace uvis
