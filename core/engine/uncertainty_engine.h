#pragma once
// The uncertainty engine: one image, the samples a method draws (T dropout passes, K members,
// K·T, or T augmented passes) → SPEC §2 maps, streamed.
// Public: no LibTorch types. Call it from the thread that owns the model (the inference
// thread); it is synchronous and reports progress through a callback after every chunk.

#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "core/types/image.h"
#include "core/types/maps.h"
#include "core/engine/sampling_settings.h"
#include "core/model/model_card.h"

namespace uvis {

class Model;
class DepthAccumulator;
class SegAccumulator;

// Handed to the progress callback after each chunk. snapshot() computes the partial result
// from the passes done so far (a valid estimate); it is only valid during the callback, and
// costs a little, so a caller that refreshes a view may call it less often than every chunk.
class SamplingProgress {
public:
    int samplesDone() const { return done_; }
    int samplesRequested() const { return requested_; }
    UncertaintyMaps snapshot() const;

private:
    friend struct SamplingRun;
    SamplingProgress(const DepthAccumulator* depth, const SegAccumulator* seg, const Calibration* calibration, int done,
               int requested)
        : depth_(depth), seg_(seg), calibration_(calibration), done_(done), requested_(requested) {}
    const DepthAccumulator* depth_;
    const SegAccumulator* seg_;
    const Calibration* calibration_;
    int done_;
    int requested_;
};

// Return false to stop: the run ends after the current chunk, with the result so far.
using ProgressFn = std::function<bool(const SamplingProgress&)>;

// Per-pass outputs at SamplingSettings::probePixels, before any calibration. Absent outputs stay empty.
struct PassProbes {
    int passes = 0, classes = 0;
    std::vector<float> segLogits;    // [pass][probe][class]
    std::vector<float> depthMean;    // [pass][probe], metres
    std::vector<float> depthLogVar;  // [pass][probe]
};

struct SamplingResult {
    UncertaintyMaps maps;
    PassProbes probes;
    std::string error;  // plain words; empty on success
    std::vector<std::string> warnings;
    bool cancelled = false;
    std::string device;
    int chunkSize = 0;
    // Passes the model ran per call: chunkSize, or 1 for a model that takes one image at a time.
    int passesPerCall = 0;
    // The error came from the model itself (it threw, or gave outputs the contract refuses), not
    // from the settings or the input: a program reports it as the model's failure.
    bool modelFailed = false;
    double encodeMs = 0.0;          // deterministic part, once per frame
    double msPerSample = 0.0;       // stochastic part and statistics, per pass
    double firstResultMs = 0.0;     // from the start of the run to the first partial result
    double totalMs = 0.0;
    bool ok() const { return error.empty(); }
};

class UncertaintyEngine {
public:
    explicit UncertaintyEngine(std::shared_ptr<Model> model);
    ~UncertaintyEngine();

    const ModelCard& card() const;
    // The model the engine runs (for internal callers that run it themselves: temporal sampling).
    Model& model() const;

    // `image` must be [3, card().input.height, card().input.width], normalised (preprocess.h).
    SamplingResult run(const ImageTensor& image, const SamplingSettings& settings,
                 const ProgressFn& progress = {});

private:
    std::shared_ptr<Model> model_;
};

}  // namespace uvis
