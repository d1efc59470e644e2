#include "core/temporal/temporal_sampler.h"

#include <algorithm>
#include <chrono>
#include <memory>
#include <cmath>
#include <vector>

#include "core/engine/internal/sampling_run.h"
#include "core/engine/internal/weighted_stats.h"
#include "core/temporal/motion.h"

namespace uvis {
namespace {

// A carried sample's weight halves with every frame it ages: the scene and the flow drift, so
// older samples say less about this frame. Chosen with uvis-bench --video on a 10 fps driving
// sequence (k = 2, 20 frames): the epistemic maps followed full MC with r 0.42 at ½ and 0.21 at
// 0.9; on a near-still sequence both gave 0.61.
constexpr double kAgeDecay = 0.5;

// A frame's mean depth [1,1,H,W] and class probabilities [1,K,H,W] (undefined where the model
// has no such output), in that frame's coordinates; and what makes a fresh sample's deviation
// from that mean as large as its deviation from the true mean on average ([1,1,H,W]): the mean
// includes the sample itself, which shrinks the deviation by E[(x − m)²] = σ² (1 − 2w/W + Σw²/W²)
// for a sample of weight w = 1 among weights summing to W.
struct Centre {
    torch::Tensor depth, probabilities, scale;
};

// One sample as it was drawn ([1,C,H,W] tensors in its own frame, undefined where the model has no
// such output) and the mean of the frame it was drawn in; where each pixel of the current frame
// lies in that frame (`grid`, [1,H,W,2] for grid_sample; undefined: the same place); where it can
// still be followed ([H,W], 1 or 0); and how many frames old it is. The sample is resampled once,
// through the composed motion, never frame after frame: repeated bilinear resampling would blur
// it and shrink its spread.
struct Sample {
    torch::Tensor depthMean, depthLogVar, segProbabilities, segLogVar;
    std::shared_ptr<const Centre> centre;
    torch::Tensor grid;
    torch::Tensor followed;
    int age = 0;
};

torch::Tensor row(const torch::Tensor& t, int64_t i) { return t.defined() ? t.narrow(0, i, 1) : torch::Tensor(); }

std::vector<Sample> samplesOf(const std::vector<PassChunk>& chunks, const torch::Tensor& everywhere) {
    std::vector<Sample> out;
    // The mean of this frame's samples, until the frame's own mean replaces it.
    for (const PassChunk& c : chunks) {
        const auto& any = c.depthMean.defined() ? c.depthMean : c.segProbabilities;
        for (int64_t i = 0; i < any.size(0); ++i)
            out.push_back({row(c.depthMean, i), row(c.depthLogVar, i), row(c.segProbabilities, i), row(c.segLogVar, i),
                           nullptr, torch::Tensor(), everywhere, 0});
    }
    return out;
}

// Bilinear resampling of [1,C,H,W] at `grid` ([1,H,W,2], −1…1 with corners on pixel centres).
torch::Tensor warp(const torch::Tensor& t, const torch::Tensor& grid) {
    if (!t.defined()) return t;
    namespace F = torch::nn::functional;
    return F::grid_sample(t, grid.to(t.dtype()),
                          F::GridSampleFuncOptions().mode(torch::kBilinear).padding_mode(torch::kBorder).align_corners(true));
}

// The sample grid of the motion's source positions, on `device`.
torch::Tensor gridOf(const FrameMotion& motion, int H, int W, const torch::Device& device) {
    auto grid = torch::from_blob(const_cast<float*>(motion.source.data()), {1, H, W, 2}, torch::kFloat32).clone();
    grid.select(3, 0).mul_(W > 1 ? 2.0 / (W - 1) : 0.0).sub_(1.0);
    grid.select(3, 1).mul_(H > 1 ? 2.0 / (H - 1) : 0.0).sub_(1.0);
    return grid.to(device);
}

// Σ w x / Σ w over the samples' rows: x [N,C,H,W], w [N,H,W] → [1,C,H,W].
torch::Tensor weightedMean(const torch::Tensor& x, const torch::Tensor& w) {
    if (!x.defined()) return x;
    const auto w4 = w.unsqueeze(1).to(x.dtype());
    return (x * w4).sum(0, /*keepdim=*/true) / w4.sum(0, /*keepdim=*/true);
}

// [begin, end) of samples drawn in one frame: they share its centre and, carried, one grid, so
// each run is resampled in one call.
using Run = std::pair<size_t, size_t>;
std::vector<Run> runsOf(const std::vector<Sample>& samples, size_t from) {
    std::vector<Run> runs;
    for (size_t i = from; i < samples.size(); ++i) {
        if (i == from || samples[i].centre != samples[i - 1].centre) runs.push_back({i, i + 1});
        else runs.back().second = i + 1;
    }
    return runs;
}

torch::Tensor rowsOf(const std::vector<Sample>& samples, Run run, torch::Tensor Sample::*member) {
    std::vector<torch::Tensor> parts;
    for (size_t i = run.first; i < run.second; ++i)
        if ((samples[i].*member).defined()) parts.push_back(samples[i].*member);
    return parts.empty() ? torch::Tensor() : torch::cat(parts, 0);
}

// [n,C,H,W] (or a [1,C,H,W] centre) resampled at one run's grid.
torch::Tensor warpRows(const torch::Tensor& x, const torch::Tensor& grid) {
    if (!x.defined() || !grid.defined()) return x;
    return warp(x, grid.expand({x.size(0), -1, -1, -1}));
}

torch::Tensor catDefined(const std::vector<torch::Tensor>& parts) {
    std::vector<torch::Tensor> defined;
    for (const auto& p : parts)
        if (p.defined()) defined.push_back(p);
    return defined.empty() ? torch::Tensor() : torch::cat(defined, 0);
}

// The sample's place one frame on: its grid looked up where this frame's pixels came from.
torch::Tensor composed(const torch::Tensor& grid, const torch::Tensor& step) {
    if (!grid.defined()) return step;
    return warp(grid.permute({0, 3, 1, 2}), step).permute({0, 2, 3, 1}).contiguous();
}

}  // namespace

std::uint64_t frameSeed(std::uint64_t seed, int frame) {
    // splitmix64 of the pair: neighbouring frames get unrelated streams.
    std::uint64_t z = seed + 0x9E3779B97F4A7C15ull * (static_cast<std::uint64_t>(frame) + 1);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return z ^ (z >> 31);
}

double carriedWeight(int age) { return std::pow(kAgeDecay, age); }

struct TemporalSampler::History {
    SamplingSettings settings;  // what the samples were drawn with (seed aside)
    GreyFrame grey;             // the last frame, for the motion
    float low = 0, high = 1;    // its grey levels' range (fixed from the first frame, for the flow's sake)
    std::vector<Sample> samples;  // newest first

    void clear() {
        samples.clear();
        grey = {};
    }
    // The frame's channel mean as 8-bit grey, on one scale for the whole history.
    GreyFrame greyOf(const ImageTensor& image, bool fresh) {
        const size_t n = static_cast<size_t>(image.height) * image.width;
        std::vector<float> mean(n, 0.f);
        for (int c = 0; c < image.channels; ++c)
            for (size_t i = 0; i < n; ++i) mean[i] += image.values[c * n + i] / image.channels;
        if (fresh) {
            const auto [lo, hi] = std::minmax_element(mean.begin(), mean.end());
            low = *lo;
            high = *hi > *lo ? *hi : *lo + 1.f;
        }
        GreyFrame out{image.width, image.height, std::vector<std::uint8_t>(n)};
        for (size_t i = 0; i < n; ++i)
            out.pixels[i] = static_cast<std::uint8_t>(std::lrint(std::clamp(255.f * (mean[i] - low) / (high - low), 0.f, 255.f)));
        return out;
    }
};

TemporalSampler::TemporalSampler(UncertaintyEngine& engine, MotionEstimator estimateMotion)
    : engine_(engine), estimateMotion_(std::move(estimateMotion)), history_(std::make_unique<History>()) {}
TemporalSampler::~TemporalSampler() = default;

void TemporalSampler::reset() { history_->clear(); }

SamplingResult TemporalSampler::runFrame(const ImageTensor& image, const SamplingSettings& settings, int frame,
                                         const ProgressFn& progress) {
    const auto start = std::chrono::steady_clock::now();
    const int members = engine_.card().members;
    SamplingSettings fresh = settings;
    fresh.samples = std::max(1, settings.temporalFresh);
    const int capacity = totalPasses(settings, members);
    const int freshPasses = totalPasses(fresh, members);
    if (settings.temporalFresh <= 0 || settings.method == UncertaintyMethod::Ensemble || freshPasses >= capacity) {
        history_->clear();
        SamplingResult result = engine_.run(image, settings, progress);
        if (settings.temporalFresh > 0 && settings.method == UncertaintyMethod::Ensemble)
            result.warnings.push_back("temporal sampling does not apply to a plain ensemble (its members are fixed): "
                                      "every frame runs all of them");
        return result;
    }
    if (std::string problem = malformedImage(image); !problem.empty()) {
        SamplingResult result;
        result.error = problem;
        return result;
    }
    History& h = *history_;
    SamplingSettings drawn = settings;
    drawn.seed = h.settings.seed;
    const bool sameScene = !h.samples.empty() && sameResults(drawn, h.settings) && h.grey.height == image.height &&
                           h.grey.width == image.width;
    GreyFrame grey = h.greyOf(image, !sameScene);
    FrameMotion motion;
    if (sameScene) motion = estimateMotion_(h.grey, grey);
    const bool carry = sameScene && !motion.cut;
    // A frame that carries nothing draws all T: the first, and the first after a cut.
    fresh.samples = carry ? fresh.samples : settings.samples;
    fresh.seed = frameSeed(settings.seed, frame);

    std::vector<PassChunk> chunks;
    SamplingResult result = runSampling(engine_.model(), imageTensor(image), fresh, progress,
                                        [&](const PassChunk& c) { chunks.push_back(c); });
    if (!result.ok() || result.cancelled || chunks.empty()) return result;

    c10::InferenceMode inferenceMode;
    const auto& any = chunks.front().depthMean.defined() ? chunks.front().depthMean : chunks.front().segProbabilities;
    const auto everywhere = torch::ones({image.height, image.width}, any.options().dtype(torch::kFloat32));
    std::vector<Sample> samples = samplesOf(chunks, everywhere);
    const size_t freshCount = samples.size();
    if (carry) {
        const auto grid = gridOf(motion, image.height, image.width, any.device());
        const auto followedNow = torch::from_blob(motion.followed.data(), {image.height, image.width}, torch::kUInt8)
                                     .to(any.device(), torch::kFloat32);
        const size_t keep = std::min(h.samples.size(), static_cast<size_t>(capacity) - freshCount);
        samples.insert(samples.end(), h.samples.begin(), h.samples.begin() + keep);
        for (const Run& run : runsOf(samples, freshCount)) {
            Sample& first = samples[run.first];
            // A point counts where it was followed in every frame since the sample was drawn.
            const auto followed =
                (warp(first.followed.unsqueeze(0).unsqueeze(0), grid)[0][0] > 0.999).to(torch::kFloat32) * followedNow;
            const auto moved = composed(first.grid, grid);
            for (size_t i = run.first; i < run.second; ++i) {
                samples[i].followed = followed;
                samples[i].grid = moved;
                ++samples[i].age;
            }
        }
    }
    // Every sample at this frame, output by output: the fresh ones as drawn, the carried ones
    // resampled run by run.
    const std::vector<Run> carried = runsOf(samples, freshCount);
    auto atThisFrame = [&](torch::Tensor Sample::*member) {
        std::vector<torch::Tensor> parts{rowsOf(samples, {0, freshCount}, member)};
        for (const Run& run : carried) parts.push_back(warpRows(rowsOf(samples, run, member), samples[run.first].grid));
        return parts;
    };
    std::vector<torch::Tensor> depth = atThisFrame(&Sample::depthMean);
    std::vector<torch::Tensor> probabilities = atThisFrame(&Sample::segProbabilities);
    // This frame's mean, from every sample where it lands (a mean suffers little from a flow a
    // pixel off); the fresh samples keep it as the centre they deviate from.
    std::vector<torch::Tensor> weightParts;
    for (const Sample& s : samples) weightParts.push_back((s.followed * carriedWeight(s.age)).unsqueeze(0));
    const auto weights = torch::cat(weightParts, 0);
    auto centre = std::make_shared<Centre>();
    centre->depth = weightedMean(catDefined(depth), weights);
    centre->probabilities = weightedMean(catDefined(probabilities), weights);
    const auto total = weights.sum(0, /*keepdim=*/true).unsqueeze(0);  // [1,1,H,W]
    const auto squares = weights.square().sum(0, /*keepdim=*/true).unsqueeze(0);
    // Where one sample is all there is, its deviation is 0 whatever the scale.
    centre->scale = (1.0 - 2.0 / total + squares / total.square()).clamp_min(1e-6).rsqrt();
    for (size_t i = 0; i < freshCount; ++i) samples[i].centre = centre;
    if (carry) {
        // A carried sample as a draw for this frame: this frame's mean plus the sample's own
        // deviation from the mean of the frame it was drawn in, carried by the flow. Carrying the
        // raw sample would count every misaligned edge (a flow a pixel off) as disagreement
        // between samples; deviations from a mean carry the dropout's disagreement alone.
        // The carried samples centre on their own mean: a centre that held the fresh samples would
        // pull every carried one towards them and shrink the spread between the two.
        const auto carriedWeights = weights.narrow(0, freshCount, weights.size(0) - freshCount);
        const auto carriedTotal = carriedWeights.sum(0, /*keepdim=*/true).unsqueeze(0);  // [1,1,H,W]
        auto carriedMean = [&](const std::vector<torch::Tensor>& parts, const torch::Tensor& all) {
            if (!all.defined()) return all;
            const auto mean = weightedMean(catDefined({parts.begin() + 1, parts.end()}), carriedWeights);
            return torch::where(carriedTotal > 0, mean.nan_to_num(0.0), all);
        };
        const Centre now{carriedMean(depth, centre->depth), carriedMean(probabilities, centre->probabilities), {}};
        for (size_t r = 0; r < carried.size(); ++r) {
            const Sample& first = samples[carried[r].first];
            const auto scale = warpRows(first.centre->scale, first.grid);
            auto& d = depth[r + 1];
            if (d.defined()) d = now.depth + (d - warpRows(first.centre->depth, first.grid)) * scale.to(d.dtype());
            auto& p = probabilities[r + 1];
            if (p.defined()) {
                p = (now.probabilities + (p - warpRows(first.centre->probabilities, first.grid)) * scale)
                        .clamp_min(0.0);
                p = p / p.sum(1, /*keepdim=*/true).clamp_min(1e-12);
            }
        }
        WeightedSamples all{catDefined(depth), catDefined(atThisFrame(&Sample::depthLogVar)), catDefined(probabilities),
                            catDefined(atThisFrame(&Sample::segLogVar)), weights};
        UncertaintyMaps maps = weightedMaps(all, settings.calibration);
        maps.samplesDone = result.maps.samplesDone;
        maps.samplesRequested = result.maps.samplesRequested;
        maps.carriedSamples = static_cast<int>(samples.size() - freshCount);
        result.maps = std::move(maps);
    }
    samples.resize(std::min(samples.size(), static_cast<size_t>(capacity - freshPasses)));
    h.samples = std::move(samples);
    h.grey = std::move(grey);
    h.settings = settings;
    result.totalMs = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count();
    return result;
}

}  // namespace uvis
