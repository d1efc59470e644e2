#include "core/model/internal/torchscript_model.h"
#include "core/runtime/exception_text.h"

#include "core/model/internal/autocast_scope.h"

#include <ATen/CPUGeneratorImpl.h>

#include <filesystem>
#include <fstream>
#include <mutex>
#include <sstream>

namespace uvis {
namespace {

std::mutex& globalGeneratorMutex() {
    static std::mutex m;
    return m;
}

// "forward(self, image: Tensor, dropout_p: float)": argument types as the contract says.
std::string checkSignature(const torch::jit::Module& module, const std::string& name,
                           const std::vector<c10::TypeKind>& kinds, const std::string& expected) {
    auto method = module.find_method(name);
    if (!method) return "has no method '" + name + "'";
    const auto& args = method->function().getSchema().arguments();  // args[0] is self
    bool ok = args.size() == kinds.size() + 1;
    for (size_t i = 0; ok && i < kinds.size(); ++i) ok = args[i + 1].type()->kind() == kinds[i];
    if (!ok) {
        std::ostringstream out;
        out << "method '" << name << "' has the signature " << method->function().getSchema()
            << ", the contract needs " << expected;
        if (name == "forward" && args.size() == 2)
            out << " — a traced model takes only the image and has its dropout frozen: script it "
                   "with torch.jit.script";
        return out.str();
    }
    return {};
}

}  // namespace

TorchScriptModel::TorchScriptModel(torch::jit::Module module, ModelCard card, bool fastPath)
    : module_(std::move(module)), card_(std::move(card)), fastPath_(fastPath) {
    module_.eval();  // dropout is the model's own F.dropout(training=True): eval() keeps BatchNorm fixed
    for (const auto& p : module_.parameters()) device_ = p.device();
}

void TorchScriptModel::moveTo(torch::Device device) {
    if (device == device_) return;
    module_.to(device);
    device_ = device;
}

std::vector<torch::Tensor> TorchScriptModel::encode(const torch::Tensor& image) {
    if (!fastPath_) return {image};
    c10::IValue out = module_.get_method("encode")({image});
    if (!out.isTensorList()) throw std::runtime_error("the model's encode() did not return a list of tensors");
    return out.toTensorVector();
}

ModelOutputs TorchScriptModel::call(const std::vector<torch::Tensor>& features, double p, int64_t passes,
                                    at::Generator& rng) {
    std::vector<torch::Tensor> batched;
    for (const auto& f : features) batched.push_back(f.size(0) == passes ? f : f.expand({passes, -1, -1, -1}).contiguous());
    std::uint64_t seed;
    {
        std::lock_guard<std::mutex> lock(rng.mutex());
        seed = rng.get<at::CPUGeneratorImpl>()->random64();
    }
    std::lock_guard<std::mutex> lock(globalGeneratorMutex());
    torch::manual_seed(seed);
    if (fastPath_) return toOutputs(module_.get_method("decode")({c10::IValue(batched), c10::IValue(p)}));
    return toOutputs(module_.forward({batched.front(), c10::IValue(p)}));
}

ModelOutputs TorchScriptModel::onePerCall(const std::vector<torch::Tensor>& features, double p, int64_t passes,
                                          at::Generator& rng) {
    std::vector<ModelOutputs> each;
    for (int64_t i = 0; i < passes; ++i) each.push_back(call(features, p, 1, rng));
    auto cat = [&](torch::Tensor ModelOutputs::*member) {
        if (!(each.front().*member).defined()) return torch::Tensor();
        std::vector<torch::Tensor> parts;
        for (const ModelOutputs& o : each) parts.push_back(o.*member);
        return torch::cat(parts, 0);
    };
    return {cat(&ModelOutputs::depthMean), cat(&ModelOutputs::depthLogVar), cat(&ModelOutputs::segLogits),
            cat(&ModelOutputs::segLogVar)};
}

ModelOutputs TorchScriptModel::decode(const std::vector<torch::Tensor>& features, double p, int64_t passes,
                                      at::Generator& rng) {
    if (onePassPerCall_ || passes == 1) return onePassPerCall_ ? onePerCall(features, p, passes, rng)
                                                               : call(features, p, passes, rng);
    auto rows = [&](const ModelOutputs& o) {
        for (const torch::Tensor* t : {&o.depthMean, &o.depthLogVar, &o.segLogits, &o.segLogVar})
            if (t->defined() && (t->dim() != 4 || t->size(0) != passes)) return false;
        return true;
    };
    // A model that assumes one image fails on a batch, or returns one row for it. If one pass
    // runs, it is run pass by pass from now on; if not, its own error is the one to report.
    // The generator's state, not a clone: Generator::clone() in LibTorch 1.13 takes one reference
    // too many, and every clone leaks.
    const at::Tensor saved = rng.get_state();
    try {
        ModelOutputs out = call(features, p, passes, rng);
        if (rows(out)) return out;
    } catch (const c10::Error&) {
    } catch (const std::runtime_error&) {
    }
    rng.set_state(saved);
    (void)call(features, p, 1, rng);  // throws the model's own error if one pass fails too
    onePassPerCall_ = true;
    rng.set_state(saved);  // the passes draw what they would have drawn
    return onePerCall(features, p, passes, rng);
}

ModelOutputs TorchScriptModel::fullForward(const torch::Tensor& image, double p) {
    return toOutputs(module_.forward({image, c10::IValue(p)}));
}

ModelOutputs TorchScriptModel::toOutputs(const c10::IValue& value) const {
    if (!value.isGenericDict()) throw std::runtime_error("the model did not return a Dict[str, Tensor]");
    ModelOutputs out;
    for (const auto& entry : value.toGenericDict()) {
        if (!entry.key().isString() || !entry.value().isTensor())
            throw std::runtime_error("the model did not return a Dict[str, Tensor]");
        const std::string& key = entry.key().toStringRef();
        torch::Tensor t = entry.value().toTensor();
        // Under autocast (bf16 passes) a float32 model's outputs come back in 16 bits.
        if ((t.scalar_type() == torch::kBFloat16 || t.scalar_type() == torch::kHalf) && autocastActive())
            t = t.to(torch::kFloat32);
        if (t.scalar_type() != torch::kFloat32)
            throw std::runtime_error("model output '" + key + "' is " + std::string(c10::toString(t.scalar_type())) +
                                     ", the contract needs float32");
        if (key == "depth_mean") out.depthMean = t;
        else if (key == "depth_logvar") out.depthLogVar = t;
        else if (key == "seg_logits") out.segLogits = t;
        else if (key == "seg_logvar") out.segLogVar = t;
        // Other keys are ignored, as unknown card fields are.
    }
    return out;
}

LoadedModel loadTorchScriptModel(const std::string& path, DeviceKind requested) {
    LoadedModel result;
    const DeviceChoice device = resolveDevice(requested);
    result.warning = device.message;
    torch::jit::Module module;
    torch::jit::ExtraFilesMap extra{{"model_card.json", ""}};
    try {
        module = torch::jit::load(path, torch::Device(torch::kCPU), extra);
    } catch (...) {  // a malformed archive can throw anything: it is a refusal, never a crash
        result.error = path + ": not a TorchScript model (" + describeException() + ")";
        return result;
    }
    std::string text = extra["model_card.json"], source = path + " (model_card.json)";
    if (text.empty()) {
        source = std::filesystem::path(path).replace_extension(".json").string();
        std::ifstream in(source);
        if (!in) {
            // A plain TorchScript file (torch.jit.save of the user's own model): say how to make it a uvis model.
            result.error = path + ": the model has no model card (neither the extra file model_card.json nor " +
                           source + "). A TorchScript file of your own becomes a uvis model with the exporter "
                           "(python/uvis_export): python3 -c 'import uvis_export; uvis_export.export(\"" + path +
                           "\", \"" + std::filesystem::path(path).stem().string() + "-uvis.pt\", card={\"name\": \"" +
                           std::filesystem::path(path).stem().string() + "\", \"input\": {\"width\": 256, \"height\": "
                           "192}, \"classes\": [...]}, outputs={\"seg_logits\": ...})' (docs/byo-model.md)";
            return result;
        }
        std::ostringstream buffer;
        buffer << in.rdbuf();
        text = buffer.str();
    }
    CardResult card = parseModelCard(text, source);
    if (!card.card) {
        result.error = card.error;
        return result;
    }
    using K = c10::TypeKind;
    if (std::string e = checkSignature(module, "forward", {K::TensorType, K::FloatType}, "forward(image: Tensor, dropout_p: float)");
        !e.empty()) {
        result.error = path + ": " + e;
        return result;
    }
    const bool hasEncode = module.find_method("encode").has_value(), hasDecode = module.find_method("decode").has_value();
    if (hasEncode != hasDecode) {
        result.error = path + ": the model exports only one of encode() and decode(); the fast path needs both";
        return result;
    }
    if (hasEncode) {
        for (const auto& e : {checkSignature(module, "encode", {K::TensorType}, "encode(image: Tensor) -> List[Tensor]"),
                              checkSignature(module, "decode", {K::ListType, K::FloatType},
                                             "decode(features: List[Tensor], dropout_p: float)")})
            if (!e.empty()) {
                result.error = path + ": " + e;
                return result;
            }
    }
    try {
        auto model = std::make_shared<TorchScriptModel>(module, *card.card, hasEncode);
        model->moveTo(torchDevice(device.kind));
        result.model = model;
    } catch (...) {
        result.error = path + ": could not prepare the model (" + describeException() + ")";
    }
    return result;
}

}  // namespace uvis
