#pragma once
// Internal to the model part (LibTorch types): the model and engine libraries, the trainer, their
// tests and the benchmark define UVIS_MODEL_INTERNALS; nothing else may include this header.
#ifndef UVIS_MODEL_INTERNALS
#error "core/model/internal is internal to the model and the engine: include core/model/model_loader.h instead"
#endif
// A deep ensemble: K member models with one output contract (internal: LibTorch). The members
// that fit the memory budget stay loaded while the ensemble is open; the others are streamed,
// loaded from their files for a request's passes and dropped after it (SPEC §2 "ensemble").

#include <memory>
#include <string>
#include <vector>

#include "core/model/internal/model.h"

namespace uvis {

class ModelEnsemble : public Model {
public:
    struct Member {
        std::string path;              // empty for an ensemble assembled in memory
        std::shared_ptr<Model> model;  // null while streamed
    };
    ModelEnsemble(ModelCard card, std::vector<Member> members, DeviceKind device);

    const ModelCard& card() const override { return card_; }
    torch::Device device() const override;
    void moveTo(torch::Device device) override;
    // A plain request (method mc) runs MC dropout with the first member.
    std::vector<torch::Tensor> encode(const torch::Tensor& image) override;
    ModelOutputs decode(const std::vector<torch::Tensor>& features, double p, int64_t passes,
                        at::Generator& rng) override;

    int size() const { return static_cast<int>(members_.size()); }
    bool resident(int k) const { return members_[k].model != nullptr; }
    const std::string& memberPath(int k) const { return members_[k].path; }
    // Member k: the loaded one, or loaded now from its file (throws std::runtime_error naming the
    // file when that fails). The caller drops a streamed member when it is done with it.
    std::shared_ptr<Model> member(int k) const;

private:
    ModelCard card_;
    std::vector<Member> members_;
    torch::Device device_{torch::kCPU};
};

// The ensemble's card: the first member's contract under the ensemble's name; its JSON lists
// every member's card, so that the card's hash names these members (result keys, caches).
ModelCard ensembleCard(const std::string& name, const std::vector<ModelCard>& members);

// Where two members' contracts differ (tasks, classes, input, depth kind), in plain words naming
// the field; empty when `other` can join an ensemble whose first member has `first`.
std::string ensembleMismatch(const ModelCard& first, const ModelCard& other);

}  // namespace uvis
