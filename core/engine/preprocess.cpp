#include "core/engine/preprocess.h"

#include <torch/torch.h>

namespace uvis {

ImageTensor toModelInput(const RgbImage& image, const InputSpec& spec) {
    ImageTensor out;
    if (image.width <= 0 || image.height <= 0 ||
        image.pixels.size() != static_cast<size_t>(image.width) * image.height * 3)
        return out;
    c10::InferenceMode inferenceMode;
    auto x = torch::from_blob(const_cast<std::uint8_t*>(image.pixels.data()),
                              {1, image.height, image.width, 3}, torch::kUInt8)
                 .permute({0, 3, 1, 2})
                 .to(torch::kFloat32)
                 .div_(255.0);
    const auto [width, height] = modelInputSize(spec, image.width, image.height);
    if (image.width != width || image.height != height) {
        namespace F = torch::nn::functional;
        const bool shrinking = width < image.width || height < image.height;
        x = F::interpolate(x, F::InterpolateFuncOptions()
                                  .size(std::vector<int64_t>{height, width})
                                  .mode(torch::kBilinear)
                                  .align_corners(false)
                                  .antialias(shrinking));
    }
    const auto mean = torch::tensor({spec.mean[0], spec.mean[1], spec.mean[2]}).view({1, 3, 1, 1});
    const auto std = torch::tensor({spec.std[0], spec.std[1], spec.std[2]}).view({1, 3, 1, 1});
    x = ((x - mean) / std).contiguous();
    out.channels = 3;
    out.height = height;
    out.width = width;
    out.values.assign(x.data_ptr<float>(), x.data_ptr<float>() + x.numel());
    return out;
}

}  // namespace uvis
