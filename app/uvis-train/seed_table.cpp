// uvis-train experiment seed-table: Kendall & Gal 2017's experiment on synthetic streets, repeated
// over seeds and uncertainty methods. For each seed, train on each share of a domain-A training
// set (100 % and 25 % by default), test each model on domain A and domain B, and tabulate mean ±
// standard deviation over the seeds of every cell, with the orderings that hold, per method:
//   mc        MC dropout at the fixed rate: <out>/seed<N>/model_<pct>.uvis
//   concrete  concrete dropout, the rates learned: concrete_<pct>.uvis
//   ensemble  K members on the same subset, one pass each: the mc model and model_<pct>-m<k>.uvis
//             (member k's training seed is N + 1000 (k − 1), so no two seeds share a member)
//
// A model already trained with the same settings is reused, and an interrupted training resumes
// from its checkpoint, so that a run of hours can be stopped and restarted.

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <map>
#include <tuple>

#include "commands.h"
#include "common/exit_codes.h"
#include "core/types/json_document.h"
#include "console_progress.h"
#include "core/io/atomic_file.h"
#include "core/model/model_loader.h"
#include "core/training/ensemble_training.h"
#include "core/training/evaluation.h"
#include "core/training/seed_statistics.h"
#include "core/training/trainer.h"

namespace uvis::train {

namespace {

namespace fs = std::filesystem;
using json = nlohmann::json;

// The measures of one cell, in table order: uncertainties first (their orderings are the
// experiment), then the errors that say whether the models are comparable.
struct Measure {
    const char* key;
    const char* label;
    bool uncertainty;
    double EvalMetrics::*field;
};

const Measure kMeasures[] = {
    {"aleatoric_var", "aleatoric m²", true, &EvalMetrics::meanAleatoricVar},
    {"epistemic_var", "epistemic m²", true, &EvalMetrics::meanEpistemicVar},
    {"aleatoric_rel_std", "aleatoric σ/μ", true, &EvalMetrics::meanAleatoricRelStd},
    {"epistemic_rel_std", "epistemic σ/μ", true, &EvalMetrics::meanEpistemicRelStd},
    {"mutual_info", "MI nats", true, &EvalMetrics::meanMutualInfo},
    {"rmse", "RMSE m", false, &EvalMetrics::rmse},
    {"abs_rel", "abs-rel", false, &EvalMetrics::absRel},
    {"miou", "mIoU", false, &EvalMetrics::miou},
};

std::string fractionLabel(double fraction) {
    char text[32];
    std::snprintf(text, sizeof text, "%g%%", fraction * 100);
    return text;
}

std::string modelPath(const SeedTableArgs& a, const char* stem, std::uint64_t seed, double fraction) {
    char name[48];
    std::snprintf(name, sizeof name, "%s_%g.uvis", stem, fraction * 100);
    return (fs::path(a.out) / ("seed" + std::to_string(seed)) / name).string();
}

// A model file that was trained to the end with exactly these settings.
bool alreadyTrained(const TrainOptions& o) {
    std::ifstream in(o.outPath);
    if (!in) return false;
    LoadedModel model = loadNativeModel(o.outPath, DeviceKind::Cpu);
    if (!model) return false;
    const json card = parseJson(modelCard(*model.model).json, "a model card").value;
    if (card.is_discarded()) return false;
    const json t = card.value("training", json::object());
    // A fixed rate is the card's train_p; learned rates start at the asked one, and only a model
    // whose regulariser counted likelihood terms is this trainer's.
    const json concrete = t.value("concrete_dropout", json());
    const bool sameRate =
        o.concreteDropout
            ? concrete.is_object() && concrete.contains("likelihood_terms") &&
                  std::abs(concrete.value("initial_rate", -1.0) - o.trainDropout) < 1e-9
            : concrete.is_null() &&
                  std::abs(card.value("dropout", json::object()).value("train_p", -1.0) - o.trainDropout) < 1e-9;
    return sameRate && t.value("steps", -1) == o.steps && t.value("batch_size", -1) == o.batchSize &&
           std::abs(t.value("fraction", -1.0) - o.fraction) < 1e-9 && t.value("seed", std::uint64_t{0}) == o.seed &&
           t.value("subset_seed", std::uint64_t{0}) == o.subsetSeed && t.value("data", std::string()) == o.dataDir &&
           card.value("architecture", json::object()).value("encoder_dropout", false) == o.encoderDropout;
}

struct Cell {
    std::string method, train, test;
    std::vector<EvalMetrics> perSeed;
};

std::string formatMeanStd(const MeanStd& m) {
    char text[64];
    if (m.n < 2) std::snprintf(text, sizeof text, "%.4g", m.mean);
    else std::snprintf(text, sizeof text, "%.4g ± %.2g", m.mean, m.std);
    return text;
}

std::vector<double> column(const Cell& cell, const Measure& measure) {
    std::vector<double> v;
    for (const EvalMetrics& m : cell.perSeed) v.push_back(m.*measure.field);
    return v;
}

json orderingJson(const std::string& effect, const std::string& larger, const std::string& smaller,
                  const Measure& measure, const Ordering& o) {
    return {{"effect", effect},         {"measure", measure.key},       {"expected_larger", larger},
            {"expected_smaller", smaller}, {"mean_gap", o.gap.mean}, {"std_gap", o.gap.std},
            {"seeds", o.gap.n},          {"verdict", verdictText(o.verdict)}};
}

}  // namespace

namespace {

// The training of one cell's MC-dropout model: seed `seed` on `fraction` of domain A.
TrainOptions cellTraining(const SeedTableArgs& a, const std::string& command, DeviceKind device, std::uint64_t seed,
                          double fraction) {
    TrainOptions o;
    o.dataDir = a.trainData;
    o.domain = "A";  // the paper's experiment trains on the training distribution only
    o.fraction = fraction;
    o.subsetSeed = fraction < 1.0 ? seed : 0;  // each repeat sees its own subset
    o.steps = a.steps;
    o.batchSize = a.batch;
    o.width = a.width;
    o.encoderDropout = a.encoderDropout;
    o.trainDropout = a.dropout;
    o.seed = seed;
    o.device = device;
    o.outPath = modelPath(a, "model", seed, fraction);
    o.checkpointEvery = 250;
    o.name = "seed-table-" + fractionLabel(fraction) + "-seed" + std::to_string(seed);
    o.command = command;
    return o;
}

// The same cell with concrete dropout: the rates start at --dropout and are learned.
TrainOptions concreteTraining(const SeedTableArgs& a, const TrainOptions& mc) {
    TrainOptions o = mc;
    o.concreteDropout = true;
    o.outPath = modelPath(a, "concrete", mc.seed, mc.fraction);
    o.name = "seed-table-concrete-" + fractionLabel(mc.fraction) + "-seed" + std::to_string(mc.seed);
    return o;
}

// Ensemble member k ≥ 1 of the cell (member 0 is the MC model): the same subset, its own seed.
TrainOptions memberTraining(const TrainOptions& mc, int k) {
    TrainOptions o = mc;
    o.seed = mc.seed + 1000 * static_cast<std::uint64_t>(k);
    o.outPath = ensembleMemberPath(mc.outPath, k);
    o.name = mc.name + "-m" + std::to_string(k + 1);
    return o;
}

// Trains the model unless a finished one is there (resuming from its checkpoint). An error
// message, or empty.
std::string trainOrReuse(TrainOptions o, const std::string& title, bool quiet) {
    if (alreadyTrained(o)) {
        if (!quiet) std::fprintf(stderr, "%s: reusing %s\n", title.c_str(), o.outPath.c_str());
        return {};
    }
    std::error_code ec;
    if (fs::exists(o.outPath + ".checkpoint", ec)) o.resumeFrom = o.outPath + ".checkpoint";
    ConsoleProgress progress(title + ", train", quiet);
    TrainResult r = trainModel(o, [&](const TrainProgress& p) {
        char detail[96];
        std::snprintf(detail, sizeof detail, "loss %.3f", p.loss);
        progress.update(p.step, p.steps, detail);
        return true;
    });
    if (!r.ok()) return r.error;
    progress.finish(std::to_string(r.trainImages) + " training images, " + formatDuration(r.wallSeconds));
    return {};
}

// Cell key: the method's place in --methods, the share (largest first), the test domain.
using CellKey = std::tuple<size_t, double, std::string>;

struct SeedTableRuns {
    std::map<CellKey, Cell> cells;
    json perSeed = json::array();
};

// The model the method evaluates for this cell, trained (or reused) first: the MC model, the
// concrete one, or the ensemble of the MC model and its K − 1 members. Errors in `model.error`.
LoadedModel cellModel(const SeedTableArgs& a, const std::string& method, const TrainOptions& mc,
                      const std::string& title) {
    std::vector<TrainOptions> trainings;
    if (method == "concrete") trainings.push_back(concreteTraining(a, mc));
    else trainings.push_back(mc);
    if (method == "ensemble")
        for (int k = 1; k < a.members; ++k) trainings.push_back(memberTraining(mc, k));
    std::vector<std::shared_ptr<Model>> models;
    for (size_t k = 0; k < trainings.size(); ++k) {
        const std::string what = title + (trainings.size() > 1 ? ", member " + std::to_string(k + 1) : "");
        if (std::string e = trainOrReuse(trainings[k], what, a.quiet); !e.empty()) return {nullptr, e, {}};
        LoadedModel m = loadNativeModel(trainings[k].outPath, mc.device);
        if (!m) return m;
        models.push_back(m.model);
    }
    if (method != "ensemble") return {models.front(), {}, {}};
    return makeEnsemble(models, mc.name + "-ensemble" + std::to_string(a.members));
}

// Evaluates the cell's model on both test domains into `runs`. 0, or the exit code (said on stderr).
int evaluateCell(const SeedTableArgs& a, size_t methodIndex, const TrainOptions& mc, const std::string& title,
                 SeedTableRuns* runs) {
    const std::string& method = a.methods[methodIndex];
    LoadedModel model = cellModel(a, method, mc, title);
    if (!model) {
        std::cerr << "uvis-train: " << model.error << "\n";
        return app::Failure;
    }
    const int trainImages =
        parseJson(modelCard(*model.model).json, "a model card").value.value("training", json::object()).value("images", 0);
    const std::string label = fractionLabel(mc.fraction);
    for (const auto& [name, dir] : {std::pair<std::string, std::string>{"A", a.testA}, {"B", a.testB}}) {
        ConsoleProgress progress(title + ", evaluate on " + name, a.quiet);
        EvalOptions eo;
        eo.method = method == "ensemble" ? UncertaintyMethod::Ensemble : UncertaintyMethod::McDropout;
        eo.samples = a.samples;
        eo.device = mc.device;
        eo.limit = a.limit;
        eo.seed = mc.seed;
        EvalResult e = evaluateModel(model.model, dir, eo, [&](int d, int t) { progress.update(d, t); });
        if (!e.ok()) {
            std::cerr << "uvis-train: " << e.error << "\n";
            return app::BadInput;
        }
        progress.finish();
        Cell& cell = runs->cells[{methodIndex, -mc.fraction, name}];
        cell.method = method;
        cell.train = label;
        cell.test = name;
        cell.perSeed.push_back(e.metrics);
        json row{{"method", method}, {"seed", mc.seed}, {"train", label}, {"train_images", trainImages}, {"test", name}};
        for (const Measure& m : kMeasures) row[m.key] = e.metrics.*m.field;
        runs->perSeed.push_back(row);
    }
    return 0;
}

// The table (mean ± std over seeds per cell), printed and as JSON.
json printTable(const SeedTableRuns& runs, size_t seeds) {
    json table = json::array();
    std::printf("\n%zu seed(s); mean ± sample standard deviation over seeds\n%-9s %-6s %-5s", seeds, "method", "train",
                "test");
    for (const Measure& m : kMeasures) std::printf(" %18s", m.label);
    std::printf("\n");
    for (const auto& [key, cell] : runs.cells) {
        json row{{"method", cell.method}, {"train", cell.train}, {"test", cell.test}};
        std::printf("%-9s %-6s %-5s", cell.method.c_str(), cell.train.c_str(), cell.test.c_str());
        for (const Measure& m : kMeasures) {
            const MeanStd s = meanStd(column(cell, m));
            row[m.key] = {{"mean", s.mean}, {"std", s.std}, {"seeds", s.n}};
            std::printf(" %18s", formatMeanStd(s).c_str());
        }
        std::printf("\n");
        table.push_back(row);
    }
    return table;
}

// Orderings the paper predicts for every uncertainty, per method: a shifted domain raises it
// (B > A at each share), and less data raises the epistemic part (every smaller share > every
// larger one, on each test domain). Printed with their verdicts and as JSON.
json printOrderings(SeedTableRuns& runs, const std::vector<std::string>& methods, const std::vector<double>& fractions) {
    json orderings = json::array();
    std::printf("\norderings (hold: mean gap > 2 × std of the per-seed gaps)\n");
    for (size_t k = 0; k < methods.size(); ++k) {
        auto report = [&](const std::string& effect, const Cell& larger, const Cell& smaller, const Measure& m) {
            const Ordering o = pairedOrdering(column(larger, m), column(smaller, m));
            const std::string l = larger.train + " " + larger.test, s = smaller.train + " " + smaller.test;
            std::printf("  %-9s %-6s %-14s %-10s > %-10s gap %s: %s\n", methods[k].c_str(), effect.c_str(), m.label,
                        l.c_str(), s.c_str(), formatMeanStd(o.gap).c_str(), verdictText(o.verdict).c_str());
            json row = orderingJson(effect, l, s, m, o);
            row["method"] = methods[k];
            orderings.push_back(row);
        };
        for (const Measure& m : kMeasures) {
            if (!m.uncertainty) continue;
            for (double f : fractions) report("shift", runs.cells[{k, -f, "B"}], runs.cells[{k, -f, "A"}], m);
            for (size_t i = 0; i < fractions.size(); ++i)
                for (size_t j = i + 1; j < fractions.size(); ++j)
                    for (const char* test : {"A", "B"})
                        report("data", runs.cells[{k, -fractions[j], test}], runs.cells[{k, -fractions[i], test}], m);
        }
    }
    return orderings;
}

}  // namespace

int runSeedTable(const SeedTableArgs& a, const std::string& command) {
    DeviceKind device;
    if (!parseDevice(a.device, &device)) return app::BadUsage;
    if (a.seeds.empty() || a.fractions.empty() || a.methods.empty()) {
        std::cerr << "uvis-train: --seeds, --fractions and --methods need at least one value\n";
        return app::BadUsage;
    }
    std::vector<double> fractions = a.fractions;
    std::sort(fractions.rbegin(), fractions.rend());  // largest share first
    SeedTableRuns runs;
    for (std::uint64_t seed : a.seeds) {
        std::error_code ec;
        fs::create_directories(fs::path(a.out) / ("seed" + std::to_string(seed)), ec);
        for (double fraction : fractions) {
            const TrainOptions mc = cellTraining(a, command, device, seed, fraction);
            for (size_t k = 0; k < a.methods.size(); ++k) {
                const std::string title =
                    a.methods[k] + ", seed " + std::to_string(seed) + ", " + fractionLabel(fraction);
                if (int code = evaluateCell(a, k, mc, title, &runs); code != 0) return code;
            }
        }
    }
    const json table = printTable(runs, a.seeds.size());
    const json orderings = printOrderings(runs, a.methods, fractions);
    json doc{{"command", command},     {"steps", a.steps}, {"mc_samples", a.samples},  {"seeds", a.seeds},
             {"fractions", fractions}, {"methods", a.methods}, {"ensemble_members", a.members},
             {"cells", table},         {"orderings", orderings}, {"per_seed", runs.perSeed}};
    const std::string path = (fs::path(a.out) / "seed_table.json").string();
    if (std::string e = writeFileAtomically(path, jsonText(doc, 2) + "\n"); !e.empty()) {
        std::cerr << "uvis-train: " << e << "\n";
        return app::Failure;
    }
    std::printf("wrote %s\n", path.c_str());
    return 0;
}

}  // namespace uvis::train
