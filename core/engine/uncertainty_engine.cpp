#include "core/engine/uncertainty_engine.h"
#include "core/runtime/exception_text.h"

#include <chrono>
#include <sstream>

#include "core/model/internal/autocast_scope.h"
#include "core/engine/internal/sampling_run.h"
#include "core/engine/internal/pass_sampler.h"
#include "core/engine/internal/streaming_stats.h"

namespace uvis {
namespace {

using Clock = std::chrono::steady_clock;

double msSince(Clock::time_point start) {
    return std::chrono::duration<double, std::milli>(Clock::now() - start).count();
}

// Appends the outputs of one chunk at the probe pixels: [pass][probe][channel], as float32.
void keepProbes(const ModelOutputs& out, const torch::Tensor& index, PassProbes* probes) {
    auto take = [&](const torch::Tensor& t, std::vector<float>* into) {
        if (!t.defined()) return;
        // [c,C,H,W] → [c,C,P] → [c,P,C]
        auto picked = t.flatten(2).index_select(2, index.to(t.device())).transpose(1, 2).contiguous()
                          .to(torch::kCPU, torch::kFloat32);
        into->insert(into->end(), picked.data_ptr<float>(), picked.data_ptr<float>() + picked.numel());
    };
    take(out.segLogits, &probes->segLogits);
    take(out.depthMean, &probes->depthMean);
    take(out.depthLogVar, &probes->depthLogVar);
    const auto any = out.segLogits.defined() ? out.segLogits : out.depthMean;
    probes->passes += static_cast<int>(any.size(0));
    if (out.segLogits.defined()) probes->classes = static_cast<int>(out.segLogits.size(1));
}

}  // namespace

// The state of one run; SamplingProgress reads its accumulators.
struct SamplingRun {
    DepthAccumulator depth;
    SegAccumulator seg;
    Calibration calibration;
    SamplingProgress progress(int done, int requested) const {
        return SamplingProgress(&depth, &seg, &calibration, done, requested);
    }
};

UncertaintyMaps SamplingProgress::snapshot() const {
    UncertaintyMaps maps;
    maps.samplesDone = done_;
    maps.samplesRequested = requested_;
    if (depth_) depth_->snapshot(&maps);
    if (seg_) seg_->snapshot(&maps);
    if (calibration_) applyCalibration(*calibration_, &maps);
    return maps;
}

namespace {

// Why `settings`, `image` and the probe pixels cannot run on `model` (empty when they can); the
// input's size (H, W) as the model runs it.
std::string checkRequest(const Model& model, const torch::Tensor& image, const SamplingSettings& settings, int64_t* H,
                         int64_t* W) {
    if (std::string problem = validateSettings(settings); !problem.empty()) return problem;
    const ModelCard& card = model.card();
    // A fixed-size model takes exactly its card's size; keep_aspect and native models take the
    // size the preprocessing chose for this image.
    const bool fixed = card.input.resize == InputSpec::Resize::Fixed;
    const bool shaped = image.defined() && image.dim() == 4;
    *H = fixed || !shaped ? card.input.height : image.size(2);
    *W = fixed || !shaped ? card.input.width : image.size(3);
    if (!shaped || image.size(0) != 1 || image.size(1) != 3 || image.size(2) != *H || image.size(3) != *W ||
        *H % card.input.multipleOf || *W % card.input.multipleOf) {
        std::ostringstream out;
        out << "the input tensor has shape " << (image.defined() ? shapeOf(image) : "none") << ", the model '"
            << card.name << "' expects 1×3×" << *H << "×" << *W;
        if (!fixed) out << " (sides multiples of " << card.input.multipleOf << ")";
        return out.str();
    }
    for (int i : settings.probePixels)
        if (i < 0 || i >= *H * *W)
            return "probe pixel " + std::to_string(i) + " lies outside the " + std::to_string(*W) + "×" +
                   std::to_string(*H) + " input";
    return {};
}

// Passes per decode call: the request's, or automatic chunks that hold about as many pixels as
// the default chunk at the card's size (a model run at a 2048×1024 frame's own size decodes fewer
// passes at a time, so memory stays bounded).
int chunkSizeFor(const ModelCard& card, const SamplingSettings& settings, DeviceKind device, int64_t H, int64_t W) {
    if (settings.chunkSize > 0) return settings.chunkSize;
    const double pixels = double(H) * W, cardPixels = double(card.input.height) * card.input.width;
    return std::max(1, static_cast<int>(defaultChunkSize(device) * std::min(1.0, cardPixels / pixels)));
}

// Draws the passes chunk by chunk and folds them into `run`, reporting after every chunk; stops
// when the progress callback says so. Returns the passes done.
int foldPasses(PassSampler& sampler, const ModelCard& card, const SamplingSettings& settings, const ProgressFn& progress,
               const PassSink& sink, Clock::time_point start, SamplingRun& run, SamplingResult& result) {
    // One generator per request: the same seed gives the same samples, whatever else runs.
    at::Generator noiseRng = at::detail::createCPUGenerator(settings.seed ^ 0x9E3779B97F4A7C15ull);
    const auto probeIndex =
        torch::tensor(std::vector<int64_t>(settings.probePixels.begin(), settings.probePixels.end()), torch::kLong);
    const int total = sampler.total();
    int done = 0;
    while (done < total) {
        // Automatic chunking starts with a single pass, so that the first partial result arrives
        // after one decode, then batches for throughput.
        const int chunk = settings.chunkSize == 0 && done == 0 ? 1 : result.chunkSize;
        const int64_t c = std::min(chunk, total - done);
        ModelOutputs out = sampler.next(c);
        outputsToFloat32(out);
        if (!settings.probePixels.empty()) keepProbes(out, probeIndex, &result.probes);
        if (settings.calibration.temperature != 1.0 && out.segLogits.defined())
            out.segLogits = out.segLogits / settings.calibration.temperature;
        PassChunk passes;
        if (card.depth) {
            run.depth.add(out.depthMean, out.depthLogVar);
            passes.depthMean = out.depthMean;
            passes.depthLogVar = out.depthLogVar;
        }
        if (card.segmentation) {
            passes.segProbabilities = passProbabilities(out.segLogits, out.segLogVar, settings.noiseSamples, noiseRng);
            passes.segLogVar = out.segLogVar;
            run.seg.add(passes.segProbabilities, out.segLogVar);
        }
        if (sink) sink(passes);
        done += static_cast<int>(c);
        if (progress) {
            const bool first = result.firstResultMs == 0.0;
            const bool goOn = progress(run.progress(done, total));
            if (first) result.firstResultMs = msSince(start);
            if (!goOn) {
                result.cancelled = done < total;
                break;
            }
        }
    }
    return done;
}

}  // namespace

SamplingResult runSampling(Model& model, const torch::Tensor& image, const SamplingSettings& settings,
                       const ProgressFn& progress, const PassSink& sink) {
    const auto start = Clock::now();
    SamplingResult result;
    int64_t H = 0, W = 0;
    if (std::string problem = checkRequest(model, image, settings, &H, &W); !problem.empty()) {
        result.error = problem;
        return result;
    }
    const DeviceChoice device = resolveDevice(settings.device);
    if (!device.message.empty()) result.warnings.push_back(device.message);
    result.device = deviceName(device.kind);
    result.chunkSize = chunkSizeFor(model.card(), settings, device.kind, H, W);
    try {
        // Moved outside InferenceMode, so that the weights stay ordinary tensors.
        model.moveTo(torchDevice(device.kind));
        // InferenceMode is thread-local: it must be set in the thread that runs the passes.
        c10::InferenceMode inferenceMode;
        auto input = image.to(model.device(), torch::kFloat32);
        // bf16 covers the network's passes only (encode and decode); statistics stay float32.
        AutocastScope autocast(settings.precision, model.device());
        // The method draws the passes (pass_sampler.h); an ensemble's members encode here.
        const auto encodeStart = Clock::now();
        std::unique_ptr<PassSampler> sampler = makePassSampler(model, input, settings);
        result.encodeMs = msSince(encodeStart);
        SamplingRun run;
        run.calibration = settings.calibration;
        const auto decodeStart = Clock::now();
        const int done = foldPasses(*sampler, model.card(), settings, progress, sink, start, run, result);
        result.maps = run.progress(done, sampler->total()).snapshot();
        result.passesPerCall = model.passesPerCall() > 0 ? std::min(model.passesPerCall(), result.chunkSize)
                                                         : result.chunkSize;
        result.msPerSample = done > 0 ? msSince(decodeStart) / done : 0.0;
        if (result.firstResultMs == 0.0) result.firstResultMs = msSince(start);
    } catch (...) {
        result.error = "the model failed: " + describeException();
        result.modelFailed = true;
    }
    if (!result.ok()) result.maps = UncertaintyMaps{};  // never show a partial result as valid
    result.totalMs = msSince(start);
    return result;
}

UncertaintyEngine::UncertaintyEngine(std::shared_ptr<Model> model) : model_(std::move(model)) {}
UncertaintyEngine::~UncertaintyEngine() = default;

const ModelCard& UncertaintyEngine::card() const { return model_->card(); }

Model& UncertaintyEngine::model() const { return *model_; }

SamplingResult UncertaintyEngine::run(const ImageTensor& image, const SamplingSettings& settings,
                       const ProgressFn& progress) {
    if (std::string problem = malformedImage(image); !problem.empty()) {
        SamplingResult result;
        result.error = problem;
        return result;
    }
    return runSampling(*model_, imageTensor(image), settings, progress);
}

std::string malformedImage(const ImageTensor& image) {
    if (image.channels > 0 && image.height > 0 && image.width > 0 &&
        image.values.size() == static_cast<size_t>(image.channels) * image.height * image.width)
        return {};
    std::ostringstream out;
    out << "the input image tensor is malformed (" << image.channels << "×" << image.height << "×" << image.width
        << " with " << image.values.size() << " values)";
    return out.str();
}

torch::Tensor imageTensor(const ImageTensor& image) {
    // from_blob does not own the buffer: clone before the vector can go away.
    return torch::from_blob(const_cast<float*>(image.values.data()), {1, image.channels, image.height, image.width},
                            torch::kFloat32)
        .clone();
}

}  // namespace uvis
