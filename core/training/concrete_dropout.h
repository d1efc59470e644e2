#pragma once
// Concrete dropout (Gal, Hron & Kendall, NeurIPS 2017): a dropout layer whose rate is learned with
// the weights. A fixed rate is a hyper-parameter: the MC-dropout posterior it gives does not
// concentrate as the data grow. Here the rate p = sigmoid(logit) is a parameter, the dropout mask
// during training is a continuous relaxation of the Bernoulli draw (so the loss has a gradient in
// p), and a regulariser scaled by the number of training examples N — the approximate KL term of
// the variational objective — trades the fit against the rate: with few examples it keeps p near
// ½, with many the data pull it down. Internal to training: LibTorch types.

#include <torch/torch.h>

namespace uvis {

// The relaxed Bernoulli's temperature: small enough that the masks are nearly 0 or 1, large
// enough for a usable gradient (the paper's 0.1).
constexpr double kConcreteTemperature = 0.1;

class ConcreteDropoutImpl : public torch::nn::Module {
public:
    explicit ConcreteDropoutImpl(double initialRate);

    // The rate now, p = sigmoid(logit): a 0-dimensional tensor that carries the gradient.
    torch::Tensor rate() const;
    double rateValue() const { return rate().item<double>(); }

    // x times a relaxed drop mask of `maskShape` (broadcast over x: [B,C,1,1] drops whole
    // channels), rescaled by 1 / (1 − p) so that the expectation is unchanged:
    //   z = sigmoid((log p − log(1 − p) + log u − log(1 − u)) / t), u ~ U(0, 1), keep = 1 − z.
    torch::Tensor forward(const torch::Tensor& x, torch::IntArrayRef maskShape, at::Generator& rng);

private:
    torch::Tensor logit_;
};
TORCH_MODULE(ConcreteDropout);

// The regulariser of one concrete-dropout layer for a data set of N examples:
//   (l² / N) Σ W² / (1 − p)  +  (2 / N) K (p log p + (1 − p) log(1 − p))
// with W the weights the layer's output feeds (the layer after the dropout), K the number of
// units it drops (its input channels) and l² the prior length-scale. The second term is the
// negative entropy of the Bernoulli: alone it would hold p at ½; the data term pulls p down, and
// with N growing the pull wins.
torch::Tensor concreteRegulariser(const torch::Tensor& rate, const torch::Tensor& weightsAfter, int64_t droppedUnits,
                                  int64_t examples, double lengthScaleSquared);

}  // namespace uvis
