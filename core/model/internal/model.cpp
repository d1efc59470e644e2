#include "core/model/internal/model.h"

#include <cmath>
#include <sstream>

namespace uvis {

namespace {

// Checks one output against SPEC §1. Empty when it fits; otherwise what is wrong.
std::string checkOutput(const char* name, const torch::Tensor& t, int64_t passes,
                        const std::vector<int64_t>& channels, int64_t h, int64_t w) {
    if (!t.defined()) return std::string("the model gave no output '") + name + "'";
    bool channelsOk = false;
    for (int64_t c : channels) channelsOk |= t.dim() == 4 && t.size(1) == c;
    const bool ok = t.dim() == 4 && t.size(0) == passes && channelsOk && t.size(2) <= h &&
                    t.size(3) <= w && t.size(2) > 0 && t.size(3) > 0;
    if (!ok) {
        std::ostringstream out;
        out << "model output '" << name << "' has shape " << shapeOf(t) << ", expected "
            << passes << "×" << channels.front() << (channels.size() > 1 ? " (or 1)" : "")
            << "×h×w with h ≤ " << h << ", w ≤ " << w;
        return out.str();
    }
    if (!torch::isfinite(t).all().item<bool>())
        return std::string("model output '") + name + "' holds NaN or infinite values";
    return {};
}

}  // namespace

torch::Tensor resizeBilinear(const torch::Tensor& t, int64_t height, int64_t width) {
    namespace F = torch::nn::functional;
    return F::interpolate(t, F::InterpolateFuncOptions()
                                 .size(std::vector<int64_t>{height, width})
                                 .mode(torch::kBilinear)
                                 .align_corners(false));
}

std::string shapeOf(const torch::Tensor& t) {
    std::ostringstream out;
    for (int64_t d = 0; d < t.dim(); ++d) out << (d ? "×" : "") << t.size(d);
    return out.str();
}

namespace {

// Values that are finite but meaningless: a negative depth (not a distance), and a log
// variance whose variance exp(s) overflows single precision (every statistic would be inf).
constexpr double kMaxLogVariance = 88.0;  // exp(88) ≈ 1.7e38 < FLT_MAX

std::string checkRanges(const ModelCard& card, const ModelOutputs& out) {
    std::ostringstream problem;
    if (card.depth) {
        const double low = out.depthMean.min().item<double>();
        if (low < 0) {
            problem << "model output 'depth_mean' holds negative depths (down to " << low
                    << " m): depths are distances in metres";
            return problem.str();
        }
    }
    for (auto [name, t] : {std::pair<const char*, const torch::Tensor*>{"depth_logvar", &out.depthLogVar},
                           {"seg_logvar", &out.segLogVar}}) {
        if (!t->defined()) continue;
        const double high = t->max().item<double>();
        if (high > kMaxLogVariance) {
            problem << "model output '" << name << "' reaches a log variance of " << high
                    << ": its variance exp(s) overflows (at most " << kMaxLogVariance << " is usable)";
            return problem.str();
        }
    }
    return {};
}

}  // namespace

std::string checkModelOutputs(const ModelCard& card, const ModelOutputs& out, int64_t passes, int64_t H, int64_t W) {
    const int64_t K = static_cast<int64_t>(card.classes.size());
    for (const std::string& problem :
         {card.depth ? checkOutput("depth_mean", out.depthMean, passes, {1}, H, W) : std::string(),
          // Optional (SPEC §4): a depth model without a variance head has no aleatoric depth map.
          card.depth && out.depthLogVar.defined() ? checkOutput("depth_logvar", out.depthLogVar, passes, {1}, H, W)
                                                  : std::string(),
          card.segmentation ? checkOutput("seg_logits", out.segLogits, passes, {K}, H, W) : std::string(),
          card.segmentation && out.segLogVar.defined() ? checkOutput("seg_logvar", out.segLogVar, passes, {K, 1}, H, W)
                                                       : std::string()})
        if (!problem.empty()) return problem;
    return checkRanges(card, out);
}

torch::Device torchDevice(DeviceKind kind) {
    return kind == DeviceKind::Cuda ? torch::Device(torch::kCUDA) : torch::Device(torch::kCPU);
}

torch::Tensor spatialDropoutMask(int64_t passes, int64_t channels, double p, at::Generator& rng,
                                 torch::Device device) {
    std::vector<torch::Tensor> rows;
    rows.reserve(static_cast<size_t>(passes));
    for (int64_t t = 0; t < passes; ++t)
        rows.push_back(torch::empty({1, channels, 1, 1}).bernoulli_(1.0 - p, rng));
    return (torch::cat(rows, 0) * (1.0 / (1.0 - p))).to(device);
}

void toMetricDepth(const DepthSpec& spec, ModelOutputs& out) {
    if (spec.kind == DepthSpec::Kind::Metric || !out.depthMean.defined()) return;
    // x = 0 is infinitely far: clamped to a millionth of the scale (a million metres at scale 1).
    const auto x = out.depthMean.clamp_min(1e-6 * spec.scale);
    if (out.depthLogVar.defined())
        out.depthLogVar = out.depthLogVar + 2.0 * (std::log(static_cast<double>(spec.scale)) - 2.0 * x.log());
    out.depthMean = spec.scale / x;
}

}  // namespace uvis
