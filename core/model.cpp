#include "core/model.h"

namespace uvis {

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

}  // namespace uvis
