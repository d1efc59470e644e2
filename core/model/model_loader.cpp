#include "core/model/model_loader.h"
#include "core/runtime/exception_text.h"

#include <filesystem>
#include <fstream>
#include <sstream>

#include "core/model/ensemble_card.h"
#include "core/model/internal/model_ensemble.h"
#include "core/model/internal/native_network.h"
#include "core/model/internal/torchscript_model.h"
#include "core/model/internal/weights_digest.h"

namespace uvis {
namespace {

// The card embedded in the archive, else the sidecar `<model>.json` (SPEC §4).
bool readCardText(torch::serialize::InputArchive& archive, const std::string& path,
                  std::string* text, std::string* source) {
    c10::IValue value;
    if (archive.try_read("uvis_model_card", value) && value.isString()) {
        *text = value.toStringRef();
        *source = path + " (embedded model card)";
        return true;
    }
    const std::string sidecar = std::filesystem::path(path).replace_extension(".json").string();
    std::ifstream in(sidecar);
    if (!in) return false;
    std::ostringstream buffer;
    buffer << in.rdbuf();
    *text = buffer.str();
    *source = sidecar;
    return true;
}

std::string shapeText(torch::IntArrayRef sizes) {
    std::string text;
    for (size_t i = 0; i < sizes.size(); ++i) text += (i ? "×" : "") + std::to_string(sizes[i]);
    return text;
}

// Module::load replaces each tensor with the stored one whatever its shape, so the shapes the
// card's architecture needs are recorded first and compared afterwards.
std::string loadWeights(NativeNetwork& network, torch::serialize::InputArchive& archive) {
    std::vector<std::pair<std::string, std::vector<int64_t>>> expected;
    for (const auto& item : network->named_parameters()) expected.emplace_back(item.key(), item.value().sizes().vec());
    for (const auto& item : network->named_buffers()) expected.emplace_back(item.key(), item.value().sizes().vec());
    network->load(archive);
    auto parameters = network->named_parameters();
    auto buffers = network->named_buffers();
    for (const auto& [name, sizes] : expected) {
        const torch::Tensor* actual = parameters.find(name);
        if (!actual) actual = buffers.find(name);
        if (actual && actual->sizes().vec() != sizes)
            return "tensor '" + name + "' has shape " + shapeText(actual->sizes()) +
                   ", the architecture in the model card needs " + shapeText(sizes);
    }
    return {};
}

}  // namespace

LoadedModel loadNativeModel(const std::string& path, DeviceKind requested) {
    LoadedModel result;
    std::error_code ec;
    if (!std::filesystem::is_regular_file(path, ec)) {
        result.error = path + ": no such model file";
        return result;
    }
    const DeviceChoice device = resolveDevice(requested);
    result.warning = device.message;
    try {
        torch::serialize::InputArchive archive;
        try {
            archive.load_from(path, torch::Device(torch::kCPU));
        } catch (const c10::Error& e) {
            result.error = path + ": not a uvis model archive (LibTorch could not read it: " +
                           e.what_without_backtrace() + ")";
            return result;
        }
        std::string text, source;
        if (!readCardText(archive, path, &text, &source)) {
            result.error = path + ": the model has no model card (neither embedded nor " +
                           std::filesystem::path(path).replace_extension(".json").string() + ")";
            return result;
        }
        CardResult card = parseModelCard(text, source);
        if (!card.card) {
            result.error = card.error;
            return result;
        }
        if (!card.card->native) {
            result.error = source + ": field 'architecture' with type \"uvis-native\" is missing, "
                                    "so this is not a built-in uvis network";
            return result;
        }
        NativeNetwork network(nativeOptionsFromCard(*card.card));
        std::string mismatch;
        try {
            mismatch = loadWeights(network, archive);
        } catch (const c10::Error& e) {
            mismatch = e.what_without_backtrace();
        }
        if (!mismatch.empty()) {
            result.error = path + ": the weights do not match the architecture in the model card (" +
                           mismatch + ")";
            return result;
        }
        if (!card.card->weightsSha256.empty()) {
            const std::string actual = weightsSha256(*network);
            if (actual != card.card->weightsSha256) {
                result.error = path + ": the weights are damaged: their SHA-256 is " + actual.substr(0, 16) +
                               "…, the model card records " + card.card->weightsSha256.substr(0, 16) +
                               "… (the file changed after it was written; use an intact copy)";
                return result;
            }
        }
        auto model = std::make_shared<NativeModel>(network, *card.card);
        model->moveTo(torchDevice(device.kind));
        result.model = model;
    } catch (...) {  // a malformed archive can throw anything: it is a refusal, never a crash
        result.error = path + ": could not load the model (" + describeException() + ")";
    }
    return result;
}

namespace {

std::string joinWarnings(const std::string& a, const std::string& b) {
    return a.empty() || a == b ? b : b.empty() ? a : a + "; " + b;
}

LoadedModel loadEnsemble(const std::string& path, DeviceKind device, std::uint64_t budgetBytes) {
    const EnsembleListing listing = listEnsemble(path);
    if (!listing.error.empty()) return {nullptr, listing.error, ""};
    LoadedModel result;
    std::vector<ModelEnsemble::Member> members;
    std::uint64_t used = 0;
    std::vector<ModelCard> cards;
    for (size_t k = 0; k < listing.members.size(); ++k) {
        const std::string& file = listing.members[k];
        if (isEnsemblePath(file)) return {nullptr, path + ": member " + file + " is itself an ensemble", ""};
        // Every member is loaded once here, to check it; those beyond the budget are dropped again.
        LoadedModel m = loadModel(file, device, 0);
        if (!m) return {nullptr, path + ": member " + std::to_string(k + 1) + " of " +
                                     std::to_string(listing.members.size()) + ": " + m.error, ""};
        result.warning = joinWarnings(result.warning, m.warning);
        if (!cards.empty())
            if (std::string why = ensembleMismatch(cards.front(), m.model->card()); !why.empty())
            return {nullptr, path + ": member " + file + " cannot join the ensemble: " + why, ""};
        std::error_code ec;
        const std::uint64_t bytes = std::filesystem::file_size(file, ec);
        const bool keep = used + bytes <= budgetBytes;
        if (keep) used += bytes;
        cards.push_back(m.model->card());
        members.push_back({file, keep ? m.model : nullptr});
    }
    result.model = std::make_shared<ModelEnsemble>(ensembleCard(listing.name, cards), std::move(members), device);
    return result;
}

}  // namespace

LoadedModel makeEnsemble(const std::vector<std::shared_ptr<Model>>& models, const std::string& name) {
    if (models.size() < 2) return {nullptr, name + ": an ensemble needs at least two members", ""};
    std::vector<ModelEnsemble::Member> members;
    std::vector<ModelCard> cards;
    for (const auto& m : models) {
        if (std::string why = ensembleMismatch(models.front()->card(), m->card()); !why.empty())
            return {nullptr, name + ": member " + std::to_string(members.size() + 1) + " cannot join: " + why, ""};
        members.push_back({"", m});
        cards.push_back(m->card());
    }
    const DeviceKind device = models.front()->device().is_cuda() ? DeviceKind::Cuda : DeviceKind::Cpu;
    return {std::make_shared<ModelEnsemble>(ensembleCard(name, cards), std::move(members), device), "", ""};
}

int ensembleSize(const Model& model) {
    const auto* e = dynamic_cast<const ModelEnsemble*>(&model);
    return e ? e->size() : 1;
}

int residentMembers(const Model& model) {
    const auto* e = dynamic_cast<const ModelEnsemble*>(&model);
    if (!e) return 1;
    int n = 0;
    for (int k = 0; k < e->size(); ++k) n += e->resident(k);
    return n;
}

LoadedModel loadModel(const std::string& path, DeviceKind device, std::uint64_t ensembleBudgetBytes) {
    std::error_code ec;
    if (isEnsemblePath(path)) return loadEnsemble(path, device, ensembleBudgetBytes);
    if (!std::filesystem::is_regular_file(path, ec)) return {nullptr, path + ": no such model file", ""};
    // Built-in networks carry their card under "uvis_model_card"; anything else must be
    // TorchScript.
    bool native = false;
    try {
        torch::serialize::InputArchive archive;
        archive.load_from(path, torch::Device(torch::kCPU));
        c10::IValue value;
        native = archive.try_read("uvis_model_card", value);
    } catch (const c10::Error&) {
        return {nullptr, path + ": not a model file (neither a uvis network nor a TorchScript archive)", ""};
    }
    return native ? loadNativeModel(path, device) : loadTorchScriptModel(path, device);
}

std::shared_ptr<Model> createRandomNativeModel(int width, int classes, int inputWidth,
                                               int inputHeight, std::uint64_t seed, bool encoderDropout) {
    torch::manual_seed(seed);  // weight initialisation draws from the global generator
    NativeNetworkOptions options;
    options.width = width;
    options.encoderDropout = encoderDropout;
    options.classes = classes;
    NativeNetwork network(options);
    return std::make_shared<NativeModel>(network,
                                         nativeModelCard(options, inputWidth, inputHeight, 0.2));
}

std::string saveModel(const Model& model, const std::string& path) {
    const auto* native = dynamic_cast<const NativeModel*>(&model);
    if (!native) return path + ": only built-in uvis networks can be saved";
    return saveNativeModel(*native, path);
}

const ModelCard& modelCard(const Model& model) { return model.card(); }

}  // namespace uvis
