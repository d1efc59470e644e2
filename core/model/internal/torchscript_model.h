#pragma once
// Internal to the model part (LibTorch types): the model and engine libraries, the trainer, their
// tests and the benchmark define UVIS_MODEL_INTERNALS; nothing else may include this header.
#ifndef UVIS_MODEL_INTERNALS
#error "core/model/internal is internal to the model and the engine: include core/model/model_loader.h instead"
#endif
// Bring-your-own TorchScript models (SPEC §4), internal: LibTorch types.
//
// The contract: forward(image, dropout_p) -> Dict[str, Tensor]; optionally encode(image) ->
// List[Tensor] and decode(features, dropout_p) -> Dict[str, Tensor] (the fast path: encode once
// per frame, decode T times); dropout applied by the model itself with
// F.dropout(x, p=dropout_p, training=True); the card as the extra file model_card.json or as a
// sidecar <model>.json.

#include <torch/script.h>

#include "core/model/internal/model.h"
#include "core/model/model_loader.h"

namespace uvis {

class TorchScriptModel : public Model {
public:
    TorchScriptModel(torch::jit::Module module, ModelCard card, bool fastPath);

    const ModelCard& card() const override { return card_; }
    torch::Device device() const override { return device_; }
    void moveTo(torch::Device device) override;
    std::vector<torch::Tensor> encode(const torch::Tensor& image) override;
    // TorchScript's dropout draws from LibTorch's global generator: each call seeds it from
    // `rng` under a process-wide lock, so a request is reproducible for the same seed and chunk
    // size, and threads do not disturb each other's streams.
    // A model that fails on a batch of passes but runs one (it assumes one image per call) is
    // from then on run one pass per call.
    ModelOutputs decode(const std::vector<torch::Tensor>& features, double p, int64_t passes,
                        at::Generator& rng) override;
    int passesPerCall() const override { return onePassPerCall_ ? 1 : 0; }

    bool fastPath() const { return fastPath_; }
    // The model's own forward(image, dropout_p), one pass.
    ModelOutputs fullForward(const torch::Tensor& image, double p);

private:
    ModelOutputs toOutputs(const c10::IValue& value) const;
    // One call of the model's decode (or forward) on `passes` rows, its dropout seeded from `rng`.
    ModelOutputs call(const std::vector<torch::Tensor>& features, double p, int64_t passes, at::Generator& rng);
    ModelOutputs onePerCall(const std::vector<torch::Tensor>& features, double p, int64_t passes, at::Generator& rng);

    torch::jit::Module module_;
    ModelCard card_;
    bool fastPath_;
    torch::Device device_{torch::kCPU};
    bool onePassPerCall_ = false;
};

// Loads a TorchScript archive with its card; checks the method signatures. Never throws.
LoadedModel loadTorchScriptModel(const std::string& path, DeviceKind device);

}  // namespace uvis
