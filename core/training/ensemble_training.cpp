#include "core/training/ensemble_training.h"
#include "core/types/json_document.h"

#include <nlohmann/json.hpp>

#include <filesystem>

#include "core/model/ensemble_card.h"
#include "core/io/atomic_file.h"
#include "core/model/model_loader.h"

namespace uvis {
namespace fs = std::filesystem;
namespace {

// Whether `path` is a finished model of this member's run (same seed and steps).
bool finishedMember(const std::string& path, const TrainOptions& o) {
    std::error_code ec;
    if (!fs::is_regular_file(path, ec) || fs::exists(path + ".checkpoint", ec)) return false;
    LoadedModel m = loadNativeModel(path);
    if (!m) return false;
    const auto card = parseJson(modelCard(*m.model).json, "a model card").value;
    if (card.is_discarded()) return false;
    const auto training = card.value("training", nlohmann::json::object());
    return training.value("seed", std::uint64_t(0)) == o.seed && training.value("steps", 0) == o.steps;
}

}  // namespace

std::string ensembleMemberPath(const std::string& out, int k) {
    if (k == 0) return out;
    const fs::path p(out);
    return (p.parent_path() / (p.stem().string() + "-m" + std::to_string(k + 1) + p.extension().string())).string();
}

std::string ensembleCardPath(const std::string& out) {
    const fs::path p(out);
    return (p.parent_path() / (p.stem().string() + ".ensemble.json")).string();
}

EnsembleTrainResult trainEnsemble(const TrainOptions& options, int members,
                                  const std::function<bool(int, const TrainProgress&)>& progress) {
    EnsembleTrainResult result;
    if (members < 2) {
        result.error = "an ensemble needs at least two members (got " + std::to_string(members) + ")";
        return result;
    }
    for (int k = 0; k < members; ++k) {
        TrainOptions o = options;
        o.seed = options.seed + static_cast<std::uint64_t>(k);
        o.outPath = ensembleMemberPath(options.outPath, k);
        result.members.push_back(o.outPath);
        if (finishedMember(o.outPath, o)) {
            result.kept.push_back(true);
            continue;
        }
        result.kept.push_back(false);
        std::error_code ec;
        if (o.resumeFrom.empty() && fs::exists(o.outPath + ".checkpoint", ec)) o.resumeFrom = o.outPath + ".checkpoint";
        else if (k > 0) o.resumeFrom.clear();  // an explicit checkpoint belongs to the first member
        TrainResult r = trainModel(o, [&](const TrainProgress& p) { return !progress || progress(k, p); });
        if (!r.warning.empty()) result.warning = r.warning;
        if (!r.ok()) {
            result.error = "member " + std::to_string(k + 1) + " (" + o.outPath + "): " + r.error;
            return result;
        }
        if (r.cancelled) {
            result.error = "stopped during member " + std::to_string(k + 1) + " (its checkpoint is kept)";
            return result;
        }
    }
    result.card = ensembleCardPath(options.outPath);
    const std::string name = options.name + "-ensemble" + std::to_string(members);
    if (std::string e = writeFileAtomically(result.card, ensembleCardJson(result.card, name, result.members)); !e.empty())
        result.error = e;
    return result;
}

}  // namespace uvis
