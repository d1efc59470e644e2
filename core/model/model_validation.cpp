#include "core/model/model_validation.h"
#include "core/runtime/exception_text.h"

#include <cstdio>

#include <sstream>

#include "core/model/internal/model_ensemble.h"
#include "core/model/model_methods.h"
#include "core/model/model_loader.h"
#include "core/model/internal/native_network.h"
#include "core/model/internal/torchscript_model.h"

namespace uvis {
namespace {

void describe(const char* name, const torch::Tensor& t, std::vector<std::string>* out) {
    if (t.defined()) out->push_back(std::string(name) + ": " + shapeOf(t) + " " + std::string(c10::toString(t.scalar_type())));
}

bool sameOutputs(const ModelOutputs& a, const ModelOutputs& b, double tolerance) {
    auto same = [&](const torch::Tensor& x, const torch::Tensor& y) {
        return x.defined() == y.defined() && (!x.defined() || (x.sizes() == y.sizes() && torch::allclose(x, y, tolerance, tolerance)));
    };
    return same(a.depthMean, b.depthMean) && same(a.depthLogVar, b.depthLogVar) && same(a.segLogits, b.segLogits) &&
           same(a.segLogVar, b.segLogVar);
}

// Pass `i` of a chunk of passes, as a chunk of one.
ModelOutputs passOf(const ModelOutputs& chunk, int64_t i) {
    auto one = [&](const torch::Tensor& t) { return t.defined() ? t.narrow(0, i, 1) : t; };
    return {one(chunk.depthMean), one(chunk.depthLogVar), one(chunk.segLogits), one(chunk.segLogVar)};
}

// Runs one model once on a blank input of its card's size and checks what it gives; problems are
// prefixed with `who` (an ensemble member), outputs described only when `describeOutputs`.
void checkRunning(Model& model, const std::string& path, const std::string& who, bool describeOutputs,
                  ModelReport* report) {
    const ModelCard& card = model.card();
    const int64_t H = card.input.height, W = card.input.width;
    auto problem = [&](const std::string& text) { report->problems.push_back(who + text); };
    try {
        c10::InferenceMode guard;
        // A fixed pattern, not a blank image: on a blank one every channel holds one value, and
        // dropping channels that ReLU left at zero changes nothing, so a stochastic model could
        // look frozen.
        const auto image = torch::rand({1, 3, H, W}, at::detail::createCPUGenerator(0)).to(model.device());
        at::Generator a = at::detail::createCPUGenerator(1), b = at::detail::createCPUGenerator(2);
        const auto features = model.encode(image);
        const ModelOutputs once = model.decode(features, 0.0, 1, a);
        if (describeOutputs) {
            describe("depth_mean", once.depthMean, &report->outputs);
            describe("depth_logvar", once.depthLogVar, &report->outputs);
            describe("seg_logits", once.segLogits, &report->outputs);
            describe("seg_logvar", once.segLogVar, &report->outputs);
        }
        if (std::string p = checkModelOutputs(card, once, 1, H, W); !p.empty()) return problem(p);
        // More passes at p = 0, with another generator and as one call: the engine decodes several
        // passes per call (a model that takes one image is run pass by pass), and at p = 0 every
        // pass must equal the first (a random op that ignores the rate is caught).
        constexpr int64_t kChunk = 2;
        const ModelOutputs chunk = model.decode(features, 0.0, kChunk, b);
        if (std::string p = checkModelOutputs(card, chunk, kChunk, H, W); !p.empty()) return problem(p);
        report->passesPerCall = model.passesPerCall();
        if (report->passesPerCall == 1)
            report->notes.push_back(who + "runs one pass per call: the model takes one image at a time (a batch of " +
                                    std::to_string(kChunk) + " failed), so T passes cost T calls instead of about "
                                    "T / 8; let forward take a batch [B, 3, H, W] to run faster");
        // Within the call the passes must be equal exactly; against the pass alone, which may take
        // other kernels for a batch of one, up to rounding.
        for (int64_t i = 0; i < kChunk; ++i)
            if (!sameOutputs(passOf(chunk, 0), passOf(chunk, i), 0.0) || !sameOutputs(once, passOf(chunk, i), 1e-4)) {
                problem("two passes at dropout p = 0 differ: something random in the model ignores the run-time rate "
                        "(a hard-coded dropout rate, torch.rand, ...); every random op must follow dropout_p");
                break;
            }
        if (card.hasDropout) {
            // Stochasticity: passes with different seeds at the trained rate must differ. Two masks
            // can be equal by chance (a few channels of Dropout2d: 0.68^8 ≈ 5 % for 8 at p = 0.2),
            // so the model is called frozen only when up to kTries more passes all equal the first.
            constexpr int kTries = 8;
            const double p = card.trainDropout > 0 ? card.trainDropout : 0.5;
            const ModelOutputs first = model.decode(features, p, 1, a);
            bool differs = false;
            for (int seed = 2; seed < 2 + kTries && !differs; ++seed) {
                at::Generator other = at::detail::createCPUGenerator(seed);
                differs = !sameOutputs(first, model.decode(features, p, 1, other), 0.0);
            }
            if (!differs)
                problem("the passes are identical at dropout p = " + std::to_string(p).substr(0, 4) +
                        ": the model's dropout is frozen (a traced model, or dropout in eval mode); export it with "
                        "uvis_export, or apply torch.nn.functional.dropout(x, p=dropout_p, training=True) and script "
                        "it with torch.jit.script; a model without dropout needs a card without a 'dropout' "
                        "section (then test-time augmentation and ensembles apply)");
        }
        if (auto* ts = dynamic_cast<TorchScriptModel*>(&model); ts && ts->fastPath()) {
            // forward(x) must equal decode(encode(x)); checked at p = 0, where both are deterministic.
            if (!sameOutputs(once, ts->fullForward(image, 0.0), 1e-4))
                problem("forward(image, 0) differs from decode(encode(image), 0): the fast path "
                        "would give other numbers than the model's own forward()");
        }
    } catch (...) {
        problem(path + ": running the model failed (" + describeException() + ")");
    }
}

std::string kindOf(const Model& model, bool* fastPath) {
    if (auto* ts = dynamic_cast<const TorchScriptModel*>(&model)) {
        *fastPath = ts->fastPath();
        return "TorchScript";
    }
    *fastPath = true;
    return "uvis native";
}

}  // namespace

ModelReport validateModel(const std::string& path, DeviceKind device, LoadedModel* checked) {
    ModelReport report;
    report.path = path;
    LoadedModel loaded = loadModel(path, device);
    if (!loaded) {
        report.problems.push_back(loaded.error);
        return report;
    }
    Model& model = *loaded.model;
    report.card = model.card();
    if (auto* ensemble = dynamic_cast<ModelEnsemble*>(&model)) {
        // Every member runs the checks; each is loaded in turn (streamed members too).
        for (int k = 0; k < ensemble->size(); ++k) {
            const std::string who = "member " + std::to_string(k + 1) + " (" + ensemble->memberPath(k) + "): ";
            try {
                std::shared_ptr<Model> member = ensemble->member(k);
                if (k == 0) report.kind = "ensemble of " + std::to_string(ensemble->size()) + " × " +
                                          kindOf(*member, &report.fastPath);
                checkRunning(*member, ensemble->memberPath(k), who, k == 0, &report);
            } catch (const std::exception& e) {
                report.problems.push_back(e.what());
            }
        }
    } else {
        report.kind = kindOf(model, &report.fastPath);
        checkRunning(model, path, "", true, &report);
    }
    report.ok = report.problems.empty();
    if (report.ok && checked) *checked = std::move(loaded);
    return report;
}

std::string formatReport(const ModelReport& r) {
    std::ostringstream out;
    out << r.path << ": " << (r.ok ? "meets the uvis model contract" : "does NOT meet the uvis model contract") << "\n";
    if (!r.kind.empty()) {
        out << "  kind: " << r.kind << (r.fastPath ? ", encode once + decode per sample" : ", full forward per sample")
            << "\n  model: " << modelNameAndVersion(r.card) << "\n  tasks:"
            << (r.card.depth ? " depth" : "") << (r.card.segmentation ? " segmentation" : "") << "\n  input: "
            << r.card.input.width << "×" << r.card.input.height << "\n  training dropout: " << trainedRatesText(r.card)
            << "\n  methods:";
        for (auto m : {UncertaintyMethod::McDropout, UncertaintyMethod::Ensemble, UncertaintyMethod::EnsembleMc,
                       UncertaintyMethod::Tta})
            if (methodUnavailableReason(m, r.card).empty()) out << " " << methodName(m);
        out << "\n";
        for (const auto& o : r.outputs) out << "  output " << o << "\n";
    }
    for (const auto& n : r.notes) out << "  note: " << n << "\n";
    for (const auto& p : r.problems) out << "  problem: " << p << "\n";
    return out.str();
}

ModelReport validateAndPrint(const std::string& path) {
    const ModelReport report = validateModel(path);
    std::fputs(formatReport(report).c_str(), report.ok ? stdout : stderr);
    return report;
}

}  // namespace uvis
