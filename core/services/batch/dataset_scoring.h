#pragma once
// One data-set input from file to row, the same for uvis-cli and the application's
// Dataset dock, so both give the same numbers: decode within the limits, find and load its
// ground truth, run the engine, evaluate, score. Split in the stages of a bounded pipeline:
// preparing (decoding) the next input runs beside the engine on this one, and the result of the
// previous one is written meanwhile (runPipeline).

#include <functional>
#include <future>
#include <optional>
#include <string>

#include "core/dataset/dataset_inputs.h"
#include "core/dataset/dataset_table.h"
#include "core/io/ground_truth.h"
#include "core/io/image_io.h"
#include "core/engine/uncertainty_engine.h"
#include "core/metrics/metrics.h"
#include "core/services/batch/image_header.h"

namespace uvis {

struct DecodeLimits {
    long long maxPixels = kDefaultMaxPixels;
    int maxSide = kDefaultMaxImageSide;
    bool findTruth = true;  // by the layouts of ground_truth.h (a manifest's truth is always used)
};

struct PreparedInput {
    DatasetInput input;
    RgbImageResult image;
    GroundTruth truth;
    std::string error;  // names the file and the problem; the input is skipped
};
PreparedInput prepareInput(const DatasetInput& input, const ModelCard& card, const DecodeLimits& limits,
                           TruthPaths given = {});

struct ScoredInput {
    SamplingResult result;
    MetricsReport metrics;
    ImageRow row;
    std::string error;
    bool cancelled = false;
};
// The engine's part: `result` only (`keepGoing` is asked between MC chunks).
ScoredInput runInput(const PreparedInput& prepared, UncertaintyEngine& engine, const ModelCard& card,
                     const SamplingSettings& settings, const std::function<bool()>& keepGoing = {});
// The rest, which needs no model: metrics against the truth and the row. A pipeline runs it in
// the writing stage, beside the engine's next input.
void evaluateInput(const PreparedInput& prepared, ScoredInput* scored);
// Both, one after the other.
ScoredInput scoreInput(const PreparedInput& prepared, UncertaintyEngine& engine, const ModelCard& card,
                       const SamplingSettings& settings, const std::function<bool()>& keepGoing = {});

// The result folder of a scored image (SPEC §5 files, as uvis-cli writes them) with kScoresFile:
// its row and the key it was made under (resultKey), for --resume. Atomic; empty or the problem.
constexpr const char* kScoresFile = "scores.json";
struct ResultFolder {
    std::string dir;
    int width = 0, height = 0;  // --size of written maps; 0: the image's
    int maxMapSide = kDefaultMaxImageSide;
    bool overwrite = false;
};
std::string writeScoredResult(const ResultFolder& folder, const std::string& modelPath, const ModelCard& card,
                              const SamplingSettings& settings, const PreparedInput& prepared, const ScoredInput& scored,
                              const std::string& key);

// Three stages over `count` items, at most one item in each: prepare(i) for the next item runs
// while run() works on this one and finish() writes the one before. Stops early when run()
// returns false (after finishing what it had).
template <typename Prepared, typename Ran>
void runPipeline(std::size_t count, const std::function<Prepared(std::size_t)>& prepare,
                 const std::function<std::optional<Ran>(Prepared&)>& run,
                 const std::function<void(Prepared&&, Ran&&)>& finish) {
    if (count == 0) return;
    std::future<Prepared> next = std::async(std::launch::async, prepare, std::size_t{0});
    std::future<void> writing;
    for (std::size_t i = 0; i < count; ++i) {
        Prepared current = next.get();
        if (i + 1 < count) next = std::async(std::launch::async, prepare, i + 1);
        std::optional<Ran> ran = run(current);
        if (writing.valid()) writing.get();
        if (!ran) break;
        writing = std::async(std::launch::async, [&finish, p = std::move(current), r = std::move(*ran)]() mutable {
            finish(std::move(p), std::move(r));
        });
    }
    if (writing.valid()) writing.get();
    if (next.valid()) next.wait();  // a prepared input nobody will run
}

}  // namespace uvis
