#pragma once
// Internal to the model part (LibTorch types): the model and engine libraries, the trainer, their
// tests and the benchmark define UVIS_MODEL_INTERNALS; nothing else may include this header.
#ifndef UVIS_MODEL_INTERNALS
#error "core/model/internal is internal to the model and the engine: include core/model/model_loader.h instead"
#endif
// The built-in Bayesian depth + segmentation network (internal: LibTorch types).
//
// Design (why it is shaped like this): every extra MC sample costs one run of the stochastic
// part, so the split puts almost all computation in a deterministic encoder (run once per frame)
// and keeps the decoder after the first dropout light:
//   encoder  (deterministic)  3→w (1/2) → 2w (1/4) → 4w (1/8) → 8w (1/16), two 3×3 convs a stage
//   decoder  (stochastic)     spatial dropout on the 1/16 bottleneck (as Bayesian SegNet drops its
//                             central units) → 3×3 conv → up to 1/8, concat skip, spatial dropout
//                             → 1×1 + 3×3 → up to 1/4, concat skip → 1×1 + 3×3 → 1×1 heads
// Dropout is channel-wise at 1/16 and 1/8 resolution: it costs about as much as a ReLU there,
// where element-wise dropout at full resolution would cost more than the convolutions.
// Heads predict at 1/4 resolution; the engine upsamples outputs bilinearly to the input size
// (SPEC §1), as it does for any model.
// With `encoderDropout` (Bayesian SegNet also drops the central *encoder* units) a
// third spatial dropout acts on the 1/8 encoder features before the last encoder stage, so that
// stage runs per pass: encode() stops at 1/8 and decode() starts with dropout → enc4. Same
// weights, same function at p = 0; the card says "encoder_dropout": true.

#include <torch/torch.h>

#include <functional>
#include <string>
#include <vector>

#include "core/model/internal/model.h"

namespace uvis {

struct NativeNetworkOptions {
    int width = 32;
    int classes = 8;
    bool depth = true;
    bool segmentation = true;
    float initialDepth = 10.f;  // metres: the depth head starts at this value
    bool encoderDropout = false;  // also drop the 1/8 encoder features (enc4 per pass)
    // The trained rate of each dropout site (nativeDropoutSites, in that order; learned by
    // concrete dropout): the run-time p then scales them as SPEC §4's "proportional" scaling
    // says. Empty: every site at the run-time p ("uniform").
    std::vector<double> siteRates;

    // Each site's rate at the run-time rate p: p itself without siteRates, else
    // min(p_i · p / max_i p_i, 0.95), so that p = the largest trained rate runs each as trained.
    std::vector<double> ratesAt(double p) const;
};

// The dropout sites of the native network, in decode order, as its card names them: the 1/8
// encoder features (with encoderDropout only), the 1/16 bottleneck, the 1/8 skip concatenation.
std::vector<std::string> nativeDropoutSites(bool encoderDropout);
// Lists trained per-site rates (in nativeDropoutSites order) in `card`: proportional scaling
// (SPEC §4), each site by name, train_p the largest. No-op unless there is one rate per site.
void listSiteRates(ModelCard& card, bool encoderDropout, const std::vector<double>& rates);

class NativeNetworkImpl : public torch::nn::Module {
public:
    explicit NativeNetworkImpl(const NativeNetworkOptions& options);

    // Skip features at 1/4 and 1/8 and the bottleneck at 1/16, each [B,C,h,w]; with encoder
    // dropout only the first two (the bottleneck is computed per pass in decode()).
    std::vector<torch::Tensor> encode(const torch::Tensor& image);
    // `passes` stochastic passes; with `rng` null, dropout is off (deterministic, p ignored).
    ModelOutputs decode(const std::vector<torch::Tensor>& features, double p, int64_t passes,
                        at::Generator* rng);
    // Training entry point: one pass per batch row with masks from `rng`.
    ModelOutputs forward(const torch::Tensor& image, double p, at::Generator* rng);
    // Training with concrete dropout: `drop(site, x)` drops site `site` of x (its index in
    // nativeDropoutSites) with a relaxed mask that carries a gradient to the site's rate.
    using SiteDropout = std::function<torch::Tensor(size_t site, const torch::Tensor& x)>;
    ModelOutputs forward(const torch::Tensor& image, const SiteDropout& drop);
    // Per site, the weights its output feeds (the first convolution after it) and the number of
    // channels it drops: what concrete dropout's regulariser weighs.
    std::vector<torch::Tensor> weightsAfterSites() const;
    std::vector<int64_t> siteChannels() const;

    const NativeNetworkOptions& options() const { return options_; }

private:
    ModelOutputs decodeWith(const std::vector<torch::Tensor>& features, double p, int64_t passes, at::Generator* rng,
                            const SiteDropout* drop);

    NativeNetworkOptions options_;
    torch::nn::Sequential enc1{nullptr}, enc2{nullptr}, enc3{nullptr}, enc4{nullptr};
    torch::nn::Sequential center{nullptr}, up8{nullptr}, up4{nullptr};
    torch::nn::Conv2d depthHead{nullptr}, segHead{nullptr};
};
TORCH_MODULE(NativeNetwork);

// The Model interface over a NativeNetwork with its card.
class NativeModel : public Model {
public:
    NativeModel(NativeNetwork network, ModelCard card);

    const ModelCard& card() const override { return card_; }
    torch::Device device() const override { return device_; }
    void moveTo(torch::Device device) override;
    std::vector<torch::Tensor> encode(const torch::Tensor& image) override;
    ModelOutputs decode(const std::vector<torch::Tensor>& features, double p, int64_t passes,
                        at::Generator& rng) override;

    NativeNetwork network() const { return network_; }

private:
    NativeNetwork network_;
    ModelCard card_;
    torch::Device device_{torch::kCPU};
};

// A card for a fresh native network (random weights): for the benchmark, tests and training.
ModelCard nativeModelCard(const NativeNetworkOptions& options, int inputWidth, int inputHeight,
                          double trainDropout);
NativeNetworkOptions nativeOptionsFromCard(const ModelCard& card);

// Writes weights and card into one LibTorch archive, atomically (temporary file, then rename).
// Returns an empty string on success, else what went wrong, naming the file.
std::string saveNativeModel(const NativeModel& model, const std::string& path);

}  // namespace uvis
