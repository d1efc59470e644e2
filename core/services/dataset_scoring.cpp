#include "core/services/dataset_scoring.h"

#include "core/preprocess.h"

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

ScoredInput scoreInput(const PreparedInput& p, McEngine& engine, const ModelCard& card, const McSettings& settings,
                       const std::function<bool()>& keepGoing) {
    ScoredInput s;
    s.result = engine.run(toModelInput(p.image.image, card.input), settings,
                          [&](const McProgress&) { return !keepGoing || keepGoing(); });
    if (s.result.cancelled) {
        s.cancelled = true;
        return s;
    }
    if (!s.result.ok()) {
        s.error = p.input.path + ": " + s.result.error;
        return s;
    }
    if (p.truth.any())
        s.metrics = evaluateMaps(s.result.maps, p.truth.depth.empty() ? nullptr : &p.truth.depth,
                                 p.truth.labels.empty() ? nullptr : &p.truth.labels);
    s.row = scoreImage(p.input.name, s.result.maps, s.metrics);
    s.row.warnings = p.truth.warnings;
    if (!p.image.warning.empty()) s.row.warnings.insert(s.row.warnings.begin(), p.image.warning);
    return s;
}

}  // namespace uvis
