#pragma once
// Fields that the summary.json of an image and of a video share (SPEC §5), built in one place.
// Internal to uvis_export (nlohmann-json).

#include <nlohmann/json.hpp>

#include <string>

#include "core/calibration/calibration.h"
#include "core/model/model_card.h"

namespace uvis {

// The calibration a result was computed under (identity: "applied": false).
nlohmann::json calibrationSummary(const Calibration& calibration);

// How the model's dropout ran at rate p: null for a deterministic model; otherwise the card's
// trained rate and layers, and for a model whose layers have their own rates the factor p / train_p
// each of them was scaled by (capped at 0.95).
nlohmann::json trainedDropoutJson(const ModelCard& card, double p);

}  // namespace uvis
