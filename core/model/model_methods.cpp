#include "core/model/model_methods.h"

namespace uvis {

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

}  // namespace uvis
