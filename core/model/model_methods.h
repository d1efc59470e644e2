#pragma once
// Which of the uncertainty methods a model supports, by its card: MC dropout needs dropout (a
// card without a "dropout" section is a deterministic model), the ensemble methods an ensemble.

#include <string>

#include "core/model/model_card.h"
#include "core/types/uncertainty_method.h"

namespace uvis {

// Empty when `method` can run on a model with this card (an ensemble's card counts its members);
// otherwise why not, in words a user can act on. MC dropout needs a model with dropout (a card
// without a "dropout" section is deterministic); the ensemble methods need an ensemble.
std::string methodUnavailableReason(UncertaintyMethod method, const ModelCard& card);

// The method a model is opened with when the user has chosen none that it supports: MC dropout
// when it has dropout, else its ensemble, else test-time augmentation.
UncertaintyMethod defaultMethod(const ModelCard& card);

}  // namespace uvis
