#pragma once
// Writing one inference result as files (SPEC §5): raw .npy maps, coloured PNGs, an overlay of
// the epistemic map on the input, and summary.json. Shared by uvis-cli and the application, so
// that both write the same numbers. Qt Core only (for the card's SHA-256).

#include <functional>
#include <map>
#include <cmath>
#include <string>
#include <vector>

#include "core/types/image.h"
#include "core/types/maps.h"
#include "core/engine/uncertainty_engine.h"
#include "core/metrics/metrics.h"
#include "core/model/model_card.h"

namespace uvis {

// Statistics over the finite values of a map. Non-finite values are counted, never folded into
// a number: with none finite, mean/median/p95 are NaN (null in JSON, "nan" in CSV).
struct MapStatistics {
    double mean = std::nan(""), median = std::nan(""), p95 = std::nan("");
    size_t nonFinite = 0;
};

// A named map of a result: its .npy name, unit, and values at the model's size.
struct NamedMap {
    std::string name;  // "depth_epistemic_var"
    std::string unit;  // "m²", "nats", ...
    const FloatMap* values = nullptr;
    const ClassMap* classes = nullptr;
};

// The maps the result holds, in the SPEC §5 names (only those the model has).
std::vector<NamedMap> namedMaps(const UncertaintyMaps& maps);
// The unit of the map named `name` ("m²" for "depth_epistemic_var"); empty for an unknown name.
std::string mapUnit(const std::string& name);
MapStatistics statistics(const FloatMap& map);

struct RunInfo {
    std::string input;
    std::string modelPath;
    SamplingSettings settings;
    SamplingResult const* result = nullptr;  // device, timings, warnings, maps
    // Against ground truth: summary.json gains "metrics" and "ground_truth", the
    // folder sparsification.csv and reliability.csv.
    MetricsReport const* metrics = nullptr;
    std::string depthTruthPath, labelTruthPath;
    std::string labelMapping;               // how label ids became the model's classes
    std::vector<std::string> truthWarnings; // ids the model does not know, … (in "warnings")
    std::vector<std::string> inputWarnings;  // summary.json "input_warnings" (a truncated JPEG, …)
};

struct ExportOptions {
    std::string dir;           // the result folder to create (DIR/<stem>)
    int width = 0, height = 0; // size of written maps; 0: the input's size
    bool rawMaps = true;
    bool pictures = true;
    bool overwrite = false;
    std::string sizeNote;      // why the maps are not at the input's size (summary.json map_size_note)
    // More files for the same folder (the application's view pictures), written into the
    // temporary folder before it is renamed into place. Returns empty or the problem.
    std::function<std::string(const std::string& dir)> extraFiles;
};

std::string cardSha256(const ModelCard& card);


// The summary document (SPEC §5): inputs, model name and card hash, T, p, seed, device,
// timings, per-map statistics.
std::string summaryJson(const RunInfo& info, const ModelCard& card, const ExportOptions& options);

// Writes the folder: everything into a temporary sibling, renamed into place at the end, so an
// interrupted run leaves no half-written result. Refuses an existing folder unless `overwrite`.
// Empty on success, else the problem naming the path.
std::string exportResult(const ExportOptions& options, const RgbImage& input, const ModelCard& card,
                         const RunInfo& info);

// The epistemic map people look at first: depth epistemic σ for depth models, mutual information
// for segmentation-only models, blended over the input (for overlays and overlay videos).
RgbImage epistemicOverlay(const RgbImage& input, const UncertaintyMaps& maps, float opacity = 0.55f);

}  // namespace uvis
