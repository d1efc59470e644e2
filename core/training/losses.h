#pragma once
// The training losses of SPEC §3 (Kendall & Gal 2017; Kendall, Gal & Cipolla 2018). Internal:
// LibTorch types.

#include <torch/torch.h>

namespace uvis {

// Heteroscedastic depth regression over the pixels where `valid` is true:
// gaussian: mean ½ exp(−s)(y − μ)² + ½ s;  laplace: mean exp(−s)|y − μ| + s.
torch::Tensor depthLoss(const torch::Tensor& mean, const torch::Tensor& logVar,
                        const torch::Tensor& target, const torch::Tensor& valid, bool laplace = false);

// Heteroscedastic classification with logit noise x̂_n = f + σ ε_n, ε_n ~ N(0, I):
// −mean_i log (1/M) Σ_n softmax(x̂_{i,n})[y_i], by log-sum-exp. Labels equal to `ignore` do not
// count. `logVar` is [B,1,H,W] or [B,K,H,W]; the noise comes from `rng`.
torch::Tensor segmentationLoss(const torch::Tensor& logits, const torch::Tensor& logVar,
                               const torch::Tensor& labels, int noiseSamples, at::Generator& rng,
                               int64_t ignore = 255);

// Learned homoscedastic task weighting with λ_k = log σ_k²:
// L = ½ exp(−λ_d) L_depth + ½ λ_d + exp(−λ_s) L_seg + ½ λ_s.
class TaskWeightingImpl : public torch::nn::Module {
public:
    TaskWeightingImpl();
    torch::Tensor forward(const torch::Tensor& depthLoss, const torch::Tensor& segLoss);
    double depthLogVar() const { return depthLogVar_.item<double>(); }
    double segLogVar() const { return segLogVar_.item<double>(); }

private:
    torch::Tensor depthLogVar_, segLogVar_;
};
TORCH_MODULE(TaskWeighting);

}  // namespace uvis
