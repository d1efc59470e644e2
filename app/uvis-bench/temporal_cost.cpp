#include "temporal_cost.h"

#include <torch/torch.h>

#include <algorithm>
#include <iostream>
#include <stdexcept>
#include <vector>

#include "bench_report.h"
#include "core/engine/uncertainty_engine.h"
#include "core/temporal/temporal_sampler.h"
#include "options.h"

namespace uvis::bench {
namespace {

// Frames measured once the history is full (T / k frames in): the steady state of a long video.
constexpr int kMeasuredFrames = 8;

// Frame `f` of a camera panning over a random texture one pixel a frame (a sampler's input).
ImageTensor panFrame(const torch::Tensor& texture, int width, int f) {
    const auto crop = texture.narrow(2, f, width).contiguous();
    ImageTensor image;
    image.channels = static_cast<int>(crop.size(0));
    image.height = static_cast<int>(crop.size(1));
    image.width = width;
    image.values.assign(crop.data_ptr<float>(), crop.data_ptr<float>() + crop.numel());
    return image;
}

// The pan's motion, known: each pixel was one to the right in the frame before; the right edge
// came into view.
FrameMotion panMotion(const GreyFrame& previous, const GreyFrame& current) {
    (void)previous;
    FrameMotion m;
    const int W = current.width, H = current.height;
    m.source.resize(size_t(2) * W * H);
    m.followed.resize(size_t(W) * H);
    for (int y = 0; y < H; ++y)
        for (int x = 0; x < W; ++x) {
            const size_t i = size_t(y) * W + x;
            m.source[2 * i] = static_cast<float>(x + 1);
            m.source[2 * i + 1] = static_cast<float>(y);
            m.followed[i] = x + 1 <= W - 1;
        }
    m.followedShare = double(W - 1) / W;
    return m;
}

}  // namespace

nlohmann::json timeTemporal(const Options& o, const std::string& label, const std::shared_ptr<Model>& model,
                            DeviceKind device) {
    UncertaintyEngine engine(model);
    const ModelCard& card = engine.card();
    const int H = card.input.height, W = card.input.width;
    const int T = o.videoSamples;
    const int smallestK = std::max(1, *std::min_element(o.fresh.begin(), o.fresh.end()));
    const int frames = T / smallestK + kMeasuredFrames;
    torch::manual_seed(3);
    const auto texture = torch::rand({3, H, W + frames});
    SamplingSettings settings;
    settings.samples = T;
    settings.dropout = o.dropout;
    settings.device = device;

    // Full MC: every frame draws all T.
    std::vector<double> fullMs;
    for (int f = 0; f < kMeasuredFrames + 1; ++f) {
        const SamplingResult r = engine.run(panFrame(texture, W, f), settings);
        if (!r.ok()) throw std::runtime_error(r.error);
        if (f > 0) fullMs.push_back(r.totalMs);  // the first warms up
    }
    const double full = median(fullMs);
    Table table({"size", "method", "passes/frame", "ms/frame", "vs full MC"});
    table.add({label, "full MC T=" + std::to_string(T), std::to_string(T), fixed(full, 1), "1.00"});
    nlohmann::json rows = nlohmann::json::array();
    rows.push_back({{"size", label}, {"fresh", T}, {"passes_per_frame", T}, {"ms_per_frame", full}});
    for (const int k : o.fresh) {
        if (k < 1 || k >= T) continue;
        SamplingSettings temporal = settings;
        temporal.temporalFresh = k;
        TemporalSampler sampler(engine, panMotion);
        std::vector<double> ms;
        int carried = 0;
        const int total = T / k + kMeasuredFrames;
        for (int f = 0; f < total; ++f) {
            const SamplingResult r = sampler.runFrame(panFrame(texture, W, f), temporal, f);
            if (!r.ok()) throw std::runtime_error(r.error);
            if (f >= total - kMeasuredFrames) {
                ms.push_back(r.totalMs);
                carried = r.maps.carriedSamples;
            }
        }
        const double perFrame = median(ms);
        table.add({label, "temporal k=" + std::to_string(k) + " (+" + std::to_string(carried) + " carried)",
                   std::to_string(k), fixed(perFrame, 1), fixed(perFrame / full, 2)});
        rows.push_back({{"size", label},
                        {"fresh", k},
                        {"carried", carried},
                        {"passes_per_frame", k},
                        {"ms_per_frame", perFrame},
                        {"vs_full", perFrame / full}});
    }
    std::cout << "Temporal sampling's cost per frame (a pan of one pixel a frame, its motion known; median of "
              << kMeasuredFrames << " frames with the history full)\n"
              << table.str() << "\n";
    return rows;
}

}  // namespace uvis::bench
