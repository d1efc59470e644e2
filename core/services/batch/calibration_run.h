#pragma once
// Fitting a model's post-hoc calibration on a folder with ground truth (SPEC §2):
// what `uvis-cli calibrate` runs. The images with truth are split alternately: the even ones fit
// τ and c by minimising the NLL on per-pass samples at up to `probesPerImage` valid pixels each
// (the engine's probes, every method's passes); the odd ones check the fit with the product's own
// path — the engine without and with the calibration, the metrics pooled as for a data set.

#include <functional>
#include <string>
#include <vector>

#include "core/calibration/calibration.h"
#include "core/engine/uncertainty_engine.h"
#include "core/services/batch/dataset_scoring.h"

namespace uvis {

struct CalibrationOptions {
    std::string data;         // folder or manifest with ground truth
    SamplingSettings settings;      // method, T, p, seed of the request to calibrate
    DecodeLimits limits;
    int probesPerImage = 4000;
};

struct CalibrationRun {
    CalibrationRecord record;
    std::vector<std::string> warnings;  // inputs skipped (no truth, unreadable), with the reason
    std::string error;                  // nothing to fit on, or the engine failed
    bool cancelled = false;
    bool ok() const { return error.empty() && !cancelled; }
};

// `progress(done, total)` after each engine run; returning false stops.
CalibrationRun fitCalibration(UncertaintyEngine& engine, const ModelCard& card, const CalibrationOptions& options,
                              const std::function<bool(int, int)>& progress = {});

}  // namespace uvis
