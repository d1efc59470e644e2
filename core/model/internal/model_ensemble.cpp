#include "core/model/internal/model_ensemble.h"
#include "core/types/json_document.h"

#include <sstream>
#include <stdexcept>

#include <nlohmann/json.hpp>

#include "core/model/model_loader.h"

namespace uvis {

ModelEnsemble::ModelEnsemble(ModelCard card, std::vector<Member> members, DeviceKind device)
    : card_(std::move(card)), members_(std::move(members)), device_(torchDevice(resolveDevice(device).kind)) {}

torch::Device ModelEnsemble::device() const { return device_; }

void ModelEnsemble::moveTo(torch::Device device) {
    device_ = device;
    for (Member& m : members_)
        if (m.model) m.model->moveTo(device);
}

std::vector<torch::Tensor> ModelEnsemble::encode(const torch::Tensor& image) {
    // encode() and decode() of one request must meet the same member object: a streamed first
    // member stays loaded once a plain request used it.
    if (!members_[0].model) members_[0].model = member(0);
    return members_[0].model->encode(image);
}

ModelOutputs ModelEnsemble::decode(const std::vector<torch::Tensor>& features, double p, int64_t passes,
                                   at::Generator& rng) {
    if (!members_[0].model) members_[0].model = member(0);
    return members_[0].model->decode(features, p, passes, rng);
}

std::shared_ptr<Model> ModelEnsemble::member(int k) const {
    const Member& m = members_.at(k);
    if (m.model) return m.model;
    LoadedModel loaded = loadModel(m.path, device_.is_cuda() ? DeviceKind::Cuda : DeviceKind::Cpu);
    if (!loaded) throw std::runtime_error("ensemble member " + std::to_string(k + 1) + ": " + loaded.error);
    return loaded.model;
}

ModelCard ensembleCard(const std::string& name, const std::vector<ModelCard>& members) {
    ModelCard card = members.at(0);
    card.name = name;
    card.members = static_cast<int>(members.size());
    // MC dropout over the members needs it in every one of them.
    for (const ModelCard& m : members) card.hasDropout = card.hasDropout && m.hasDropout;
    card.description = "ensemble of " + std::to_string(members.size()) + " × " + members[0].name;
    auto root = parseJson(card.json.empty() ? "{}" : card.json, "a model card").value;
    if (!root.is_object()) root = nlohmann::json::object();
    root["name"] = name;
    root["description"] = card.description;
    nlohmann::json list = nlohmann::json::array();
    for (const ModelCard& m : members) {
        auto j = parseJson(m.json.empty() ? "{}" : m.json, "a model card").value;
        list.push_back(j.is_discarded() ? nlohmann::json(m.name) : j);
    }
    root["ensemble_members"] = list;
    card.json = jsonText(root);
    return card;
}

std::string ensembleMismatch(const ModelCard& a, const ModelCard& b) {
    std::ostringstream out;
    if (a.depth != b.depth || a.segmentation != b.segmentation)
        out << "its tasks differ from the first member's";
    else if (a.classes.size() != b.classes.size())
        out << "it has " << b.classes.size() << " classes, the first member " << a.classes.size();
    else if (a.input.width != b.input.width || a.input.height != b.input.height || a.input.resize != b.input.resize ||
             a.input.multipleOf != b.input.multipleOf || a.input.mean != b.input.mean || a.input.std != b.input.std)
        out << "its input (size, resize or normalisation) differs from the first member's";
    else if (a.depthSpec.kind != b.depthSpec.kind || a.depthSpec.scale != b.depthSpec.scale)
        out << "its depth kind differs from the first member's";
    else
        for (size_t k = 0; k < a.classes.size(); ++k)
            if (a.classes[k].name != b.classes[k].name) {
                out << "its class " << k << " is '" << b.classes[k].name << "', the first member's '"
                    << a.classes[k].name << "'";
                break;
            }
    return out.str();
}

}  // namespace uvis
