#include "core/training/losses.h"

#include <cmath>

namespace uvis {

torch::Tensor depthLoss(const torch::Tensor& mean, const torch::Tensor& logVar,
                        const torch::Tensor& target, const torch::Tensor& valid, bool laplace) {
    const auto residual = target - mean;
    const auto perPixel = laplace ? torch::exp(-logVar) * residual.abs() + logVar
                                  : 0.5 * torch::exp(-logVar) * residual.square() + 0.5 * logVar;
    const auto weight = valid.to(perPixel.scalar_type());
    return (perPixel * weight).sum() / weight.sum().clamp_min(1.0);
}

torch::Tensor segmentationLoss(const torch::Tensor& logits, const torch::Tensor& logVar,
                               const torch::Tensor& labels, int noiseSamples, at::Generator& rng,
                               int64_t ignore) {
    const int64_t M = std::max(1, noiseSamples);
    const auto valid = labels.ne(ignore);                     // [B,H,W]
    const auto target = labels.masked_fill(~valid, 0).unsqueeze(1);  // [B,1,H,W]
    const auto sigma = torch::exp(0.5 * logVar);
    std::vector<torch::Tensor> logProbs;                      // log softmax(x̂_n)[y], each [B,1,H,W]
    for (int64_t n = 0; n < M; ++n) {
        // Noise on the CPU generator for reproducibility, then to the logits' device.
        const auto eps = torch::randn(logits.sizes(), rng).to(logits.device(), logits.scalar_type());
        const auto noisy = noiseSamples > 0 ? logits + sigma * eps : logits;
        logProbs.push_back(torch::log_softmax(noisy, 1).gather(1, target));
    }
    // log (1/M) Σ_n p_n = logsumexp_n log p_n − log M.
    const auto perPixel = -(torch::logsumexp(torch::cat(logProbs, 1), 1) - std::log(static_cast<double>(M)));
    const auto weight = valid.to(perPixel.scalar_type());
    return (perPixel * weight).sum() / weight.sum().clamp_min(1.0);
}

TaskWeightingImpl::TaskWeightingImpl() {
    depthLogVar_ = register_parameter("depth_log_var", torch::zeros({}));
    segLogVar_ = register_parameter("seg_log_var", torch::zeros({}));
}

torch::Tensor TaskWeightingImpl::forward(const torch::Tensor& depth, const torch::Tensor& seg) {
    return 0.5 * torch::exp(-depthLogVar_) * depth + 0.5 * depthLogVar_ +
           torch::exp(-segLogVar_) * seg + 0.5 * segLogVar_;
}

}  // namespace uvis
