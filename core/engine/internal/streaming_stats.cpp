#include "core/engine/internal/streaming_stats.h"

#include <limits>

namespace uvis {

FloatMap toFloatMap(const torch::Tensor& t) {
    auto cpu = t.to(torch::kCPU, torch::kFloat32).contiguous();
    FloatMap map;
    map.height = static_cast<int>(cpu.size(0));
    map.width = static_cast<int>(cpu.size(1));
    map.values.assign(cpu.data_ptr<float>(), cpu.data_ptr<float>() + cpu.numel());
    return map;
}

void setDepthMaps(const torch::Tensor& mean, const torch::Tensor& epistemicVar, const torch::Tensor& epistemicLogVar,
                  const torch::Tensor& aleatoricVar, const torch::Tensor& aleatoricLogVar, UncertaintyMaps* maps) {
    maps->hasDepth = true;
    maps->depthMean = toFloatMap(mean);
    maps->depthAleatoricVar = aleatoricVar.defined() ? toFloatMap(aleatoricVar) : FloatMap{};
    maps->depthEpistemicVar = toFloatMap(epistemicVar.clamp_min(0.0));
    maps->depthEpistemicLogVar = toFloatMap(epistemicLogVar.clamp_min(0.0));
    maps->depthAleatoricLogVar = aleatoricLogVar.defined() ? toFloatMap(aleatoricLogVar) : FloatMap{};
}

void setSegmentationMaps(const torch::Tensor& probMean, const torch::Tensor& expectedEntropy,
                         const torch::Tensor& logitVarMean, UncertaintyMaps* maps) {
    auto scratchK = torch::empty_like(probMean);
    auto predictive = torch::empty_like(expectedEntropy);
    entropyInto(probMean, scratchK, predictive);  // the same kernel as per pass: see the header
    auto [confidence, cls] = probMean.max(0);

    maps->hasSegmentation = true;
    maps->classCount = static_cast<int>(probMean.size(0));
    maps->segConfidence = toFloatMap(confidence);
    maps->segEntropy = toFloatMap(predictive);
    maps->segExpectedEntropy = toFloatMap(expectedEntropy);
    // BALD is ≥ 0 in exact arithmetic; rounding can push it a hair below (SPEC §2: clamp).
    maps->segMutualInfo = toFloatMap((predictive - expectedEntropy).clamp_min(0.0));
    maps->segLogitVar = logitVarMean.defined() ? toFloatMap(logitVarMean) : FloatMap{};

    auto classes = cls.to(torch::kCPU, torch::kUInt8).contiguous();
    maps->segClass.height = static_cast<int>(classes.size(0));
    maps->segClass.width = static_cast<int>(classes.size(1));
    maps->segClass.values.assign(classes.data_ptr<uint8_t>(), classes.data_ptr<uint8_t>() + classes.numel());
    auto probs = probMean.to(torch::kCPU).contiguous();
    maps->segMeanProbabilities.assign(probs.data_ptr<float>(), probs.data_ptr<float>() + probs.numel());
}

void applyCalibration(const Calibration& calibration, UncertaintyMaps* maps) {
    // SPEC §2: the predictive variance × c, its aleatoric and epistemic parts both (and so the
    // variances of log depth); the temperature acted on every pass's logits.
    const float c = static_cast<float>(calibration.depthVarianceScale);
    if (c != 1.f)
        for (FloatMap* m : {&maps->depthAleatoricVar, &maps->depthEpistemicVar, &maps->depthEpistemicLogVar,
                            &maps->depthAleatoricLogVar})
            for (float& v : m->values) v *= c;
    maps->temperature = calibration.temperature;
    maps->depthVarianceScale = calibration.depthVarianceScale;
}

// p · log max(p, FLT_MIN) is 0 for p = 0, like xlogy, and ~4× faster here: xlogy has no
// vectorised CPU kernel in LibTorch 1.13.
torch::Tensor entropy(const torch::Tensor& probabilities, int64_t dim) {
    return -(probabilities * probabilities.clamp_min(std::numeric_limits<float>::min()).log())
                .sum(dim);
}

void entropyInto(const torch::Tensor& probabilities, torch::Tensor& scratch, torch::Tensor& out) {
    torch::clamp_min_out(scratch, probabilities, std::numeric_limits<float>::min());
    scratch.log_().mul_(probabilities);
    torch::sum_out(out, scratch, 0);
    out.neg_();
}

void DepthAccumulator::add(const torch::Tensor& mean, const torch::Tensor& logVar) {
    for (int64_t t = 0; t < mean.size(0); ++t) {
        if (count_ == 0) {
            const auto options = mean.options().dtype(torch::kFloat64);
            const auto shape = std::vector<int64_t>{mean.size(2), mean.size(3)};
            mean_ = torch::zeros(shape, options);
            m2_ = torch::zeros(shape, options);
            if (logVar.defined()) aleatoricMean_ = torch::zeros(shape, options);
            if (logVar.defined()) relativeAleatoricMean_ = torch::zeros(shape, options);
            logMean_ = torch::zeros(shape, options);
            logM2_ = torch::zeros(shape, options);
            x_ = torch::empty(shape, options);
            delta_ = torch::empty(shape, options);
        }
        const double n = static_cast<double>(++count_);
        x_.copy_(mean[t][0]);
        torch::sub_out(delta_, x_, mean_);  // δ = x − μ̄_{n−1}
        mean_.add_(delta_, 1.0 / n);        // μ̄_n
        x_.sub_(mean_);                     // x − μ̄_n
        m2_.addcmul_(delta_, x_);           // M2 += δ (x − μ̄_n)
        // The same on log μ_t (depth clamped at 1 mm: a log needs a positive distance).
        x_.copy_(mean[t][0]).clamp_min_(1e-3).log_();
        torch::sub_out(delta_, x_, logMean_);
        logMean_.add_(delta_, 1.0 / n);
        x_.sub_(logMean_);
        logM2_.addcmul_(delta_, x_);
        if (!aleatoricMean_.defined()) continue;  // no variance head: no aleatoric map
        x_.copy_(logVar[t][0]).exp_().sub_(aleatoricMean_);
        aleatoricMean_.add_(x_, 1.0 / n);
        // exp(s_t) / μ_t²: delta_ holds μ_t² here.
        delta_.copy_(mean[t][0]).clamp_min_(1e-3).square_();
        x_.copy_(logVar[t][0]).exp_().div_(delta_).sub_(relativeAleatoricMean_);
        relativeAleatoricMean_.add_(x_, 1.0 / n);
    }
}

void DepthAccumulator::snapshot(UncertaintyMaps* maps) const {
    if (count_ == 0) return;
    const double n = static_cast<double>(count_);
    setDepthMaps(mean_, m2_ / n, logM2_ / n, aleatoricMean_, relativeAleatoricMean_, maps);
}

void SegAccumulator::add(const torch::Tensor& probabilities, const torch::Tensor& logVar) {
    const auto p = probabilities.to(torch::kFloat32);  // [c,K,H,W]
    for (int64_t t = 0; t < p.size(0); ++t) {
        const auto pt = p[t].contiguous();  // [K,H,W], laid out like probMean_
        if (count_ == 0) {
            probMean_ = torch::zeros_like(pt);
            scratchK_ = torch::empty_like(pt);
            entropyMean_ = torch::zeros({pt.size(1), pt.size(2)}, pt.options());
            scratch_ = torch::empty_like(entropyMean_);
            if (logVar.defined()) logitVarMean_ = torch::zeros_like(entropyMean_);
        }
        const double n = static_cast<double>(++count_);
        torch::sub_out(scratchK_, pt, probMean_);
        probMean_.add_(scratchK_, 1.0 / n);
        entropyInto(pt, scratchK_, scratch_);
        entropyMean_.add_(scratch_.sub_(entropyMean_), 1.0 / n);
        if (logVar.defined() && logitVarMean_.defined()) {
            // (1/K) Σ_k exp(v_k): the learned logit variance, one number per pixel.
            torch::mean_out(scratch_, logVar[t].exp(), {0});
            logitVarMean_.add_(scratch_.sub_(logitVarMean_), 1.0 / n);
        }
    }
}

void SegAccumulator::snapshot(UncertaintyMaps* maps) const {
    if (count_ == 0) return;
    setSegmentationMaps(probMean_, entropyMean_, logitVarMean_, maps);
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
