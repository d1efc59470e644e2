#pragma once
// Internal to the engine (LibTorch types): the engine library, its tests and the benchmark define
// UVIS_ENGINE_INTERNALS; nothing else may include this header.
#ifndef UVIS_ENGINE_INTERNALS
#error "core/engine/internal is internal to the engine: include core/engine/uncertainty_engine.h instead"
#endif
// How a method draws its passes (SPEC §2), for the engine (internal: LibTorch). A sampler hands
// out the passes of one request chunk by chunk, already checked against SPEC §1, in metres and
// at the input's size and geometry, so that the engine's streaming statistics, progress,
// cancellation and seeds are the same for every method.

#include <memory>

#include "core/engine/sampling_settings.h"
#include "core/model/internal/model.h"

namespace uvis {

class PassSampler {
public:
    virtual ~PassSampler() = default;
    // Passes of the whole request.
    virtual int total() const = 0;
    // The next `count` passes (count ≤ what is left), stacked along the batch dimension.
    virtual ModelOutputs next(int64_t count) = 0;
};

// The sampler for `settings.method`. `input` is [1,3,H,W] on the model's device. Throws
// std::runtime_error in plain words (an ensemble method on a single model, say).
std::unique_ptr<PassSampler> makePassSampler(Model& model, const torch::Tensor& input,
                                             const SamplingSettings& settings);

// One chunk of a model's outputs made ready for the statistics: checked (SPEC §1, at the model's
// resolution), converted to metres (card depth.kind) and upsampled to h × w. Throws on a problem.
void prepareOutputs(const ModelCard& card, ModelOutputs& outputs, int64_t passes, int64_t h, int64_t w);

// One test-time augmentation g_t: a horizontal flip, a scale of the input's sides, and
// photometric jitter (contrast about the image's mean, then brightness) in pixel values.
struct Augmentation {
    bool flip = false;
    double scale = 1.0;
    double contrast = 1.0;
    double brightness = 1.0;
};

// g_t for pass t: t = 0 the identity, t = 1 the flip alone; later passes alternate the flip and
// draw the scale from [0.75, 1.25] (1 for a fixed-size model) and contrast and brightness from
// [0.9, 1.1], from `rng` in pass order.
Augmentation drawAugmentation(int64_t t, bool variableSize, at::Generator& rng);

}  // namespace uvis
