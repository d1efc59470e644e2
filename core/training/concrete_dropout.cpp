#include "core/training/concrete_dropout.h"

#include <algorithm>
#include <cmath>

namespace uvis {
namespace {

// Keeps log() finite at the ends of (0, 1).
constexpr double kEps = 1e-7;

}  // namespace

ConcreteDropoutImpl::ConcreteDropoutImpl(double initialRate) {
    const double p = std::clamp(initialRate, 1e-3, 1.0 - 1e-3);
    logit_ = register_parameter("logit", torch::full({}, std::log(p) - std::log1p(-p)));
}

torch::Tensor ConcreteDropoutImpl::rate() const { return torch::sigmoid(logit_); }

torch::Tensor ConcreteDropoutImpl::forward(const torch::Tensor& x, torch::IntArrayRef maskShape, at::Generator& rng) {
    const auto p = rate();
    const auto u = torch::rand(maskShape, rng, x.options().dtype(torch::kFloat32));
    const auto drop = torch::sigmoid((torch::log(p + kEps) - torch::log(1 - p + kEps) + torch::log(u + kEps) -
                                      torch::log(1 - u + kEps)) /
                                     kConcreteTemperature);
    return x * ((1 - drop) / (1 - p)).to(x.dtype());
}

torch::Tensor concreteRegulariser(const torch::Tensor& rate, const torch::Tensor& weightsAfter, int64_t droppedUnits,
                                  int64_t examples, double lengthScaleSquared) {
    const double n = static_cast<double>(examples);
    const auto weightTerm = lengthScaleSquared / n * weightsAfter.square().sum() / (1 - rate);
    const auto negativeEntropy = rate * torch::log(rate + kEps) + (1 - rate) * torch::log(1 - rate + kEps);
    return weightTerm + 2.0 / n * static_cast<double>(droppedUnits) * negativeEntropy;
}

}  // namespace uvis
