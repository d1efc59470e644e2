#pragma once
// Internal to the model part (LibTorch types): the model and engine libraries, the trainer, their
// tests and the benchmark define UVIS_MODEL_INTERNALS; nothing else may include this header.
#ifndef UVIS_MODEL_INTERNALS
#error "core/model/internal is internal to the model and the engine: include core/model/model_loader.h instead"
#endif
// The model interface the engine drives (internal: includes LibTorch; ui/ never includes it).
// The built-in network implements it; the TorchScript loader will too.

#include <torch/torch.h>

#include <string>
#include <vector>

#include "core/runtime/device.h"
#include "core/model/model_card.h"

namespace uvis {

// One stochastic pass per batch row, in the layout of SPEC §1. Absent outputs are undefined.
struct ModelOutputs {
    torch::Tensor depthMean;    // [B,1,h,w] metres
    torch::Tensor depthLogVar;  // [B,1,h,w] log σ²
    torch::Tensor segLogits;    // [B,K,h,w]
    torch::Tensor segLogVar;    // [B,1,h,w] or [B,K,h,w] log σ² of the logit noise
};

class Model {
public:
    virtual ~Model() = default;

    virtual const ModelCard& card() const = 0;
    virtual torch::Device device() const = 0;
    // Called by the thread that owns the model, before inference on `device`.
    virtual void moveTo(torch::Device device) = 0;

    // Deterministic part: run once per frame. `image` is [1,3,H,W] on device().
    virtual std::vector<torch::Tensor> encode(const torch::Tensor& image) = 0;

    // Stochastic part: `passes` MC passes over one encoded frame, stacked along the batch
    // dimension. Dropout masks are drawn from `rng` (a CPU generator) pass by pass, in pass
    // order, so a run's samples do not depend on how its passes are grouped into chunks and
    // are identical on every device.
    virtual ModelOutputs decode(const std::vector<torch::Tensor>& features, double p,
                                int64_t passes, at::Generator& rng) = 0;

    // Passes one decode call can hold: 0 for any number; 1 for a model that turned out to take one
    // image at a time (its decode then runs the passes of a chunk one call each).
    virtual int passesPerCall() const { return 0; }

    // A full pass, as a naive MC loop would run it.
    ModelOutputs forward(const torch::Tensor& image, double p, int64_t passes, at::Generator& rng) {
        return decode(encode(image), p, passes, rng);
    }
};

torch::Device torchDevice(DeviceKind kind);

// Bilinear resize of [B,C,h,w] to [B,C,H,W] (align_corners = false): for means, variances and
// logits, never for class ids.
torch::Tensor resizeBilinear(const torch::Tensor& t, int64_t height, int64_t width);

// "2×8×48×64"
std::string shapeOf(const torch::Tensor& t);

// Checks the outputs of `passes` passes against SPEC §1 and the card: each output the card's
// tasks need is there, [passes, C, h, w] with the right C and h ≤ H, w ≤ W, and finite.
// Empty when they fit; otherwise the first problem, naming the output.
std::string checkModelOutputs(const ModelCard& card, const ModelOutputs& outputs, int64_t passes, int64_t H, int64_t W);

// Inverse depth or disparity (card "depth.kind") to metres, pass by pass and in place, before any
// statistic: d = scale / x, and by the delta method log σ²_d = log σ²_x + 2 log(scale / x²).
void toMetricDepth(const DepthSpec& spec, ModelOutputs& outputs);

// Draws one channel-wise (spatial) dropout mask [passes, channels, 1, 1] on `device`, already
// scaled by 1/(1−p) (inverted dropout, SPEC §1). Masks come from a CPU generator one pass at a
// time. LibTorch's dropout2d takes no generator, and a per-request generator is what makes a
// request reproducible while other threads sample too.
torch::Tensor spatialDropoutMask(int64_t passes, int64_t channels, double p, at::Generator& rng,
                                 torch::Device device);

}  // namespace uvis
