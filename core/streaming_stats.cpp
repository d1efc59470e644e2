#include "core/streaming_stats.h"

namespace uvis {
namespace {

FloatMap toFloatMap(const torch::Tensor& t) {
    auto cpu = t.to(torch::kCPU, torch::kFloat32).contiguous();
    FloatMap map;
    map.height = static_cast<int>(cpu.size(0));
    map.width = static_cast<int>(cpu.size(1));
    map.values.assign(cpu.data_ptr<float>(), cpu.data_ptr<float>() + cpu.numel());
    return map;
}

}  // namespace

torch::Tensor entropy(const torch::Tensor& probabilities, int64_t dim) {
    return -torch::xlogy(probabilities, probabilities).sum(dim);
}

void DepthAccumulator::add(const torch::Tensor& mean, const torch::Tensor& logVar) {
    const auto mu = mean.to(torch::kFloat64);                // [c,1,H,W]
    const auto aleatoric = logVar.to(torch::kFloat64).exp();  // [c,1,H,W]
    for (int64_t t = 0; t < mu.size(0); ++t) {
        const auto x = mu[t][0];
        if (count_ == 0) {
            mean_ = torch::zeros_like(x);
            m2_ = torch::zeros_like(x);
            aleatoricMean_ = torch::zeros_like(x);
        }
        const double n = static_cast<double>(++count_);
        const auto delta = x - mean_;
        mean_.add_(delta, 1.0 / n);
        m2_.addcmul_(delta, x - mean_);
        aleatoricMean_.add_(aleatoric[t][0] - aleatoricMean_, 1.0 / n);
    }
}

void DepthAccumulator::snapshot(UncertaintyMaps* maps) const {
    if (count_ == 0) return;
    maps->hasDepth = true;
    maps->depthMean = toFloatMap(mean_);
    maps->depthAleatoricVar = toFloatMap(aleatoricMean_);
    maps->depthEpistemicVar = toFloatMap((m2_ / static_cast<double>(count_)).clamp_min(0.0));
}

void SegAccumulator::add(const torch::Tensor& probabilities, const torch::Tensor& logVar) {
    const auto p = probabilities.to(torch::kFloat64).contiguous();  // [c,K,H,W]
    torch::Tensor v;
    if (logVar.defined()) v = logVar.to(torch::kFloat64).exp().mean(1);  // [c,H,W]
    for (int64_t t = 0; t < p.size(0); ++t) {
        const auto pt = p[t];  // [K,H,W], contiguous like probMean_
        if (count_ == 0) {
            probMean_ = torch::zeros_like(pt);
            entropyMean_ = torch::zeros({pt.size(1), pt.size(2)}, pt.options());
            if (v.defined()) logitVarMean_ = torch::zeros_like(entropyMean_);
        }
        const double n = static_cast<double>(++count_);
        probMean_.add_(pt - probMean_, 1.0 / n);
        entropyMean_.add_(entropy(pt, 0) - entropyMean_, 1.0 / n);
        if (v.defined() && logitVarMean_.defined()) logitVarMean_.add_(v[t] - logitVarMean_, 1.0 / n);
    }
}

void SegAccumulator::snapshot(UncertaintyMaps* maps) const {
    if (count_ == 0) return;
    const auto predictive = entropy(probMean_, 0);
    auto [confidence, cls] = probMean_.max(0);

    maps->hasSegmentation = true;
    maps->classCount = static_cast<int>(probMean_.size(0));
    maps->segConfidence = toFloatMap(confidence);
    maps->segEntropy = toFloatMap(predictive);
    maps->segExpectedEntropy = toFloatMap(entropyMean_);
    // BALD is ≥ 0 in exact arithmetic; rounding can push it a hair below (SPEC §2: clamp).
    maps->segMutualInfo = toFloatMap((predictive - entropyMean_).clamp_min(0.0));
    if (logitVarMean_.defined()) maps->segLogitVar = toFloatMap(logitVarMean_);

    auto classes = cls.to(torch::kCPU, torch::kUInt8).contiguous();
    maps->segClass.height = static_cast<int>(classes.size(0));
    maps->segClass.width = static_cast<int>(classes.size(1));
    maps->segClass.values.assign(classes.data_ptr<uint8_t>(),
                                 classes.data_ptr<uint8_t>() + classes.numel());
    auto probs = probMean_.to(torch::kCPU, torch::kFloat32).contiguous();
    maps->segMeanProbabilities.assign(probs.data_ptr<float>(),
                                      probs.data_ptr<float>() + probs.numel());
}

torch::Tensor passProbabilities(const torch::Tensor& logits, const torch::Tensor& logVar,
                                int noiseSamples, at::Generator& rng) {
    if (noiseSamples <= 0 || !logVar.defined()) return torch::softmax(logits, 1);
    const auto sigma = (0.5 * logVar).exp();  // [c,1|K,H,W]
    std::vector<torch::Tensor> perPass;
    for (int64_t t = 0; t < logits.size(0); ++t) {
        // [N,K,H,W] noise for pass t, drawn on the CPU so every device sees the same draws.
        auto eps = torch::randn({noiseSamples, logits.size(1), logits.size(2), logits.size(3)}, rng)
                       .to(logits.device(), logits.scalar_type());
        auto noisy = logits[t].unsqueeze(0) + sigma[t].unsqueeze(0) * eps;
        perPass.push_back(torch::softmax(noisy, 1).mean(0, /*keepdim=*/true));
    }
    return torch::cat(perPass, 0);
}

}  // namespace uvis
