#pragma once
// Loading a model file into something the engine can run. Public: no LibTorch types.

#include <memory>
#include <cstdint>
#include <string>
#include <vector>

#include "core/runtime/device.h"
#include "core/model/model_card.h"

namespace uvis {

class Model;  // core/model/internal/model.h (internal)

struct LoadedModel {
    std::shared_ptr<Model> model;
    std::string error;    // names the file and the problem; empty on success
    std::string warning;  // e.g. a CUDA request that fell back to the CPU
    explicit operator bool() const { return model != nullptr; }
};

// Loads a built-in (native) model: a LibTorch archive holding weights and the model card
// (written by saveNativeModel / uvis-train). Never throws; a bad file gives `error`.
LoadedModel loadNativeModel(const std::string& path, DeviceKind device = DeviceKind::Cpu);

// Member files loaded and kept while an ensemble is open, in bytes on disk; members beyond it are
// streamed (loaded for each request's passes). Weights in memory are about their file's size.
constexpr std::uint64_t kDefaultEnsembleBudgetBytes = std::uint64_t(2) << 30;

// Any model file: a built-in uvis network, or a TorchScript archive (SPEC §4); or a deep
// ensemble, given as an ensemble card or a folder of member models (ensemble_card.h), whose
// members must share one output contract. Never throws.
// A malformed TorchScript archive can still crash LibTorch itself: load a user's model in a
// child process first (`uvis-cli validate-model`, model_validation.h).
LoadedModel loadModel(const std::string& path, DeviceKind device = DeviceKind::Cpu,
                      std::uint64_t ensembleBudgetBytes = kDefaultEnsembleBudgetBytes);

// An ensemble of models already in memory (tests, training); empty `error` on success.
LoadedModel makeEnsemble(const std::vector<std::shared_ptr<Model>>& members, const std::string& name);

// K for an ensemble, 1 for a single model; members held in memory (the rest are streamed).
int ensembleSize(const Model& model);
int residentMembers(const Model& model);

// A native network with random weights (seeded), for benchmarks and tests.
std::shared_ptr<Model> createRandomNativeModel(int width, int classes, int inputWidth,
                                               int inputHeight, std::uint64_t seed, bool encoderDropout = false);

// Writes a built-in model (weights + card) atomically. Empty on success, else the problem,
// naming the file; a model that is not a built-in network is refused.
std::string saveModel(const Model& model, const std::string& path);

// The card of a loaded model (so that public code needs no model.h).
const ModelCard& modelCard(const Model& model);

}  // namespace uvis
