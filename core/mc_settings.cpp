#include "core/mc_settings.h"

#include <cmath>
#include <iterator>
#include <sstream>

namespace uvis {

namespace {
struct MethodNames {
    UncertaintyMethod method;
    const char* name;
    const char* title;
};
constexpr MethodNames kMethods[] = {
    {UncertaintyMethod::McDropout, "mc", "MC dropout"},
    {UncertaintyMethod::Ensemble, "ensemble", "deep ensemble"},
    {UncertaintyMethod::EnsembleMc, "ensemble-mc", "ensemble + MC dropout"},
    {UncertaintyMethod::Tta, "tta", "test-time augmentation"},
};
}  // namespace

const char* methodName(UncertaintyMethod method) {
    for (const auto& m : kMethods)
        if (m.method == method) return m.name;
    return "mc";
}

const char* methodTitle(UncertaintyMethod method) {
    for (const auto& m : kMethods)
        if (m.method == method) return m.title;
    return "MC dropout";
}

bool parseMethod(const std::string& name, UncertaintyMethod* method) {
    for (const auto& m : kMethods)
        if (name == m.name) {
            *method = m.method;
            return true;
        }
    return false;
}

std::string methodNames() {
    std::string text;
    const size_t n = std::size(kMethods);
    for (size_t i = 0; i < n; ++i) text += std::string(i == 0 ? "" : i + 1 == n ? " or " : ", ") + kMethods[i].name;
    return text;
}

const char* precisionName(Precision precision) { return precision == Precision::Bf16 ? "bf16" : "fp32"; }

bool parsePrecision(const std::string& name, Precision* precision) {
    if (name != "fp32" && name != "bf16") return false;
    *precision = name == "bf16" ? Precision::Bf16 : Precision::Fp32;
    return true;
}

bool needsEnsemble(UncertaintyMethod method) {
    return method == UncertaintyMethod::Ensemble || method == UncertaintyMethod::EnsembleMc;
}

std::string methodUnavailableReason(UncertaintyMethod method, const ModelCard& card) {
    const bool mc = method == UncertaintyMethod::McDropout || method == UncertaintyMethod::EnsembleMc;
    if (needsEnsemble(method) && card.members < 2)
        return std::string(methodTitle(method)) + " needs an ensemble of models (an ensemble card or a folder of "
               "member models); '" + card.name + "' is one model";
    if (mc && !card.hasDropout)
        return std::string(methodTitle(method)) + " needs a model with dropout; '" + card.name +
               "' has no dropout (its card has no 'dropout' section: a deterministic model): use test-time "
               "augmentation (tta)" + (card.members < 2 ? " or an ensemble of such models" : " or the plain ensemble");
    return {};
}

UncertaintyMethod defaultMethod(const ModelCard& card) {
    if (card.hasDropout) return UncertaintyMethod::McDropout;
    return card.members >= 2 ? UncertaintyMethod::Ensemble : UncertaintyMethod::Tta;
}

double defaultDropout(UncertaintyMethod method, double trainDropout) {
    return method == UncertaintyMethod::McDropout || method == UncertaintyMethod::EnsembleMc ? trainDropout : 0.0;
}

int totalPasses(const McSettings& settings, int members) {
    switch (settings.method) {
        case UncertaintyMethod::Ensemble: return members;
        case UncertaintyMethod::EnsembleMc: return members * settings.samples;
        default: return settings.samples;
    }
}

std::string validateSettings(const McSettings& s) {
    std::ostringstream out;
    if (s.samples < 1)
        out << "the number of MC samples T must be at least 1 (got " << s.samples << ")";
    else if (!std::isfinite(s.dropout) || s.dropout < 0.0 || s.dropout >= 1.0)
        out << "the dropout rate p must lie in [0, 1) (got " << s.dropout << ")";
    else if (s.chunkSize < 0)
        out << "the chunk size must be 0 (automatic) or positive (got " << s.chunkSize << ")";
    else if (!s.calibration.valid())
        out << "the calibration's temperature must lie in [0.01, 100] and its variance scale in [1e-6, 1e6] (got "
            << s.calibration.temperature << " and " << s.calibration.depthVarianceScale << ")";
    else if (s.noiseSamples < 0 || s.noiseSamples > 1024)
        out << "the number of logit-noise draws must lie in [0, 1024] (got " << s.noiseSamples
            << ")";
    return out.str();
}

int defaultChunkSize(DeviceKind device) {
    // CPU, 2 cores, 256×192, T = 16: chunk 1: 58.9 ms, 2: 66.3, 4: 57.3, 8: 52.8, 16: 57.0 —
    // the small 1/16 and 1/8 convolutions batch well; 8 passes keep a refresh every ~35 ms.
    // CUDA: batching is what fills a GPU; 8 until measured there.
    (void)device;
    return 8;
}

}  // namespace uvis
