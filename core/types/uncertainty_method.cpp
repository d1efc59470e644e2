#include "core/types/uncertainty_method.h"

#include <iterator>

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

}  // namespace uvis
