#include "core/services/batch/dataset_scoring.h"

#include <nlohmann/json.hpp>

#include <filesystem>

#include "core/export/result_export.h"
#include "core/io/atomic_file.h"
#include "core/types/json_document.h"
#include "core/engine/preprocess.h"

namespace uvis {

PreparedInput prepareInput(const DatasetInput& input, const ModelCard& card, const DecodeLimits& limits,
                           TruthPaths given) {
    PreparedInput p;
    p.input = input;
    if (input.video) {
        p.error = input.path + ": a video (a data set's table holds images; open it on its own)";
        return p;
    }
    p.image = readImageWithinLimit(QString::fromStdString(input.path), limits.maxPixels, limits.maxSide);
    if (!p.image.error.empty()) {
        p.error = p.image.error;
        return p;
    }
    if (input.fromManifest) given = input.truth;
    p.truth = loadGroundTruth(input.path, given, limits.findTruth && !input.fromManifest, p.image.image.width,
                              p.image.image.height, card, p.image.fileWidth, p.image.fileHeight);
    if (!p.truth.errors.empty()) p.error = p.truth.errors.front();
    return p;
}

ScoredInput runInput(const PreparedInput& p, UncertaintyEngine& engine, const ModelCard& card, const SamplingSettings& settings,
                     const std::function<bool()>& keepGoing) {
    ScoredInput s;
    s.result = engine.run(toModelInput(p.image.image, card.input), settings,
                          [&](const SamplingProgress&) { return !keepGoing || keepGoing(); });
    if (s.result.cancelled) s.cancelled = true;
    else if (!s.result.ok()) s.error = p.input.path + ": " + s.result.error;
    return s;
}

void evaluateInput(const PreparedInput& p, ScoredInput* s) {
    if (p.truth.any())
        s->metrics = evaluateMaps(s->result.maps, p.truth.depth.empty() ? nullptr : &p.truth.depth,
                                  p.truth.labels.empty() ? nullptr : &p.truth.labels);
    s->row = scoreImage(p.input.name, s->result.maps, s->metrics);
    s->row.warnings = p.truth.warnings;
    if (!p.image.warning.empty()) s->row.warnings.insert(s->row.warnings.begin(), p.image.warning);
}

ScoredInput scoreInput(const PreparedInput& p, UncertaintyEngine& engine, const ModelCard& card, const SamplingSettings& settings,
                       const std::function<bool()>& keepGoing) {
    ScoredInput s = runInput(p, engine, card, settings, keepGoing);
    if (!s.cancelled && s.error.empty()) evaluateInput(p, &s);
    return s;
}

std::string writeScoredResult(const ResultFolder& folder, const std::string& modelPath, const ModelCard& card,
                              const SamplingSettings& settings, const PreparedInput& p, const ScoredInput& s,
                              const std::string& key) {
    RunInfo info;
    info.input = p.input.path;
    info.modelPath = modelPath;
    info.settings = settings;
    info.result = &s.result;
    if (!p.image.warning.empty()) info.inputWarnings.push_back(p.image.warning);
    if (p.truth.any()) {
        info.metrics = &s.metrics;
        info.depthTruthPath = p.truth.depth.empty() ? "" : p.truth.paths.depth;
        info.labelTruthPath = p.truth.labels.empty() ? "" : p.truth.paths.labels;
        info.labelMapping = p.truth.labelMapping;
        info.truthWarnings = p.truth.warnings;
    }
    ExportOptions e;
    e.dir = folder.dir;
    e.width = folder.width;
    e.height = folder.height;
    const RgbImageResult& image = p.image;
    if (folder.width == 0 && image.fileWidth > 0)
        e.sizeNote = "the maps are " + std::to_string(image.image.width) + "×" + std::to_string(image.image.height) +
                     ", not the input's " + std::to_string(image.fileWidth) + "×" + std::to_string(image.fileHeight) +
                     ": the longer side is capped at " + std::to_string(folder.maxMapSide) + " (--size to choose)";
    e.overwrite = folder.overwrite;
    e.extraFiles = [&](const std::string& dir) {
        const nlohmann::json doc{{"key", parseJson(key, "a result key").value}, {"row", parseJson(imageRowJson(s.row), "a table row").value}};
        return writeFileAtomically((std::filesystem::path(dir) / kScoresFile).string(), jsonText(doc, 1) + "\n");
    };
    return exportResult(e, image.image, card, info);
}

}  // namespace uvis
