// uvis-cli compare: the uncertainty methods side by side on two domains (in the
// spirit of Gustafsson et al. 2020) — depth AUSE, NLL and 95 % coverage, segmentation ECE, NLL
// and the AUROC of its errors, the OOD AUROC of domain B against A, and the time per image; each
// method with and without a calibration fitted on a separate folder.

#include <QFileInfo>

#include <nlohmann/json.hpp>

#include <cmath>
#include <cstdio>

#include "cli_options.h"
#include "stop_signal.h"
#include "core/io/atomic_file.h"
#include "core/types/json_document.h"
#include "core/services/batch/calibration_run.h"

namespace uvis::cli {
namespace {

using nlohmann::json;


struct Config {
    std::string label;     // "mc", "ensemble (K = 3)", …
    std::shared_ptr<Model> model;
    std::string modelPath;
    SamplingSettings settings;
};

// One domain's numbers for one configuration.
struct DomainScores {
    DatasetTable table;
    double aurocErrors = 0;      // mean over images of the AUROC of entropy for misclassified pixels
    int aurocImages = 0;
    double msPerImage = 0;
    std::vector<float> epistemicRel, mutualInfo;  // per image: mean variance of log depth, mean MI
};

double mapMean(const ImageRow& row, const std::string& name) {
    for (const auto& m : row.maps)
        if (m.name == name) return m.mean;
    return std::nan("");
}

std::string scoreDomain(const std::vector<PreparedInput>& images, UncertaintyEngine& engine, const Config& c,
                        const SamplingSettings& settings, DomainScores* out) {
    double ms = 0;
    for (const PreparedInput& p : images) {
        if (stopRequested()) return "stopped";
        ScoredInput s = scoreInput(p, engine, modelCard(*c.model), settings);
        if (!s.error.empty()) return s.error;
        ms += s.result.totalMs;
        if (s.metrics.segmentation && std::isfinite(s.metrics.segmentation->aurocError)) {
            out->aurocErrors += s.metrics.segmentation->aurocError;
            ++out->aurocImages;
        }
        out->epistemicRel.push_back(static_cast<float>(mapMean(s.row, "depth_epistemic_logvar")));
        out->mutualInfo.push_back(static_cast<float>(mapMean(s.row, "seg_mutual_info")));
        out->table.add(std::move(s.row));
    }
    out->msPerImage = images.empty() ? 0 : ms / images.size();
    if (out->aurocImages > 0) out->aurocErrors /= out->aurocImages;
    return {};
}

std::vector<PreparedInput> prepareFolder(const std::string& folder, const ModelCard& card, std::string* error) {
    std::vector<PreparedInput> images;
    const DatasetInputs inputs = collectDatasetInputs({folder});
    if (!inputs.errors.empty()) *error = inputs.errors.front();
    for (const DatasetInput& in : inputs.inputs) {
        if (in.video) continue;
        PreparedInput p = prepareInput(in, card, DecodeLimits{});
        if (!p.error.empty()) {
            *error = p.error;
            return {};
        }
        images.push_back(std::move(p));
    }
    if (images.empty() && error->empty()) *error = folder + ": no images";
    return images;
}

std::string number(double v, int digits) {
    if (!std::isfinite(v)) return "–";
    char text[32];
    std::snprintf(text, sizeof text, "%.*f", digits, v);
    return text;
}

json domainJson(const DomainScores& d) {
    const PooledMetrics p = pooledMetrics(d.table);
    json j{{"images", d.table.rows.size()}, {"ms_per_image", d.msPerImage}, {"ause_rmse", p.ause}};
    if (p.depth) j.update({{"depth_nll", p.depth->nll}, {"coverage95", p.depth->coverage95}, {"rmse", p.depth->rmse}});
    if (p.segmentation)
        j.update({{"ece", p.segmentation->ece}, {"seg_nll", p.segmentation->nll}, {"miou", p.segmentation->miou}});
    j["seg_error_auroc"] = d.aurocImages > 0 ? json(d.aurocErrors) : json(nullptr);
    return j;
}

std::string rowText(const std::string& label, int passes, bool calibrated, const char* domain, const json& d,
                    const std::string& oodRel, const std::string& oodMi) {
    auto get = [&](const char* key, int digits) {
        return d.contains(key) && d[key].is_number() ? number(d[key].get<double>(), digits) : std::string("–");
    };
    return "| " + label + " | " + std::to_string(passes) + " | " + (calibrated ? "yes" : "no") + " | " + domain +
           " | " + get("ause_rmse", 3) + " | " + get("depth_nll", 3) + " | " + get("coverage95", 3) + " | " +
           get("ece", 4) + " | " + get("seg_nll", 4) + " | " + get("seg_error_auroc", 3) + " | " + oodRel + " | " +
           oodMi + " | " + get("ms_per_image", 0) + " |\n";
}

}  // namespace

namespace {

// The configurations to compare: MC dropout at each T and TTA on the single model, each ensemble
// alone and with MC. -1 with `configs` and `single` filled, else the exit code (said on stderr).
int planConfigs(const CompareOptions& o, std::vector<Config>* configs, std::shared_ptr<Model>* single) {
    auto load = [&](const QString& path, std::shared_ptr<Model>* model) {
        InferOptions io = o.base;
        io.model = path;
        LoadedModel loaded;
        if (const int exit = loadRunModel(io, &loaded); exit >= 0) return exit;
        *model = loaded.model;
        return -1;
    };
    if (const int exit = load(o.base.model, single); exit >= 0) return exit;
    auto add = [&](const std::string& label, std::shared_ptr<Model> model, const QString& path, UncertaintyMethod m,
                   int samples) {
        SamplingSettings s = o.base.settings;
        s.method = m;
        s.samples = samples;
        s.dropout = o.base.dropoutGiven && m != UncertaintyMethod::Tta && m != UncertaintyMethod::Ensemble
                        ? o.base.settings.dropout
                        : defaultDropout(m, modelCard(*model).trainDropout);
        configs->push_back({label, model, path.toStdString(), s});
    };
    for (int T : o.mcSamples) add("MC dropout", *single, o.base.model, UncertaintyMethod::McDropout, T);
    if (o.ttaSamples > 0) add("TTA", *single, o.base.model, UncertaintyMethod::Tta, o.ttaSamples);
    for (const QString& e : o.ensembles) {
        std::shared_ptr<Model> ensemble;
        if (const int exit = load(e, &ensemble); exit >= 0) return exit;
        if (ensembleSize(*ensemble) < 2) {
            std::fprintf(stderr, "uvis-cli: --ensemble %s is one model, not an ensemble\n", qPrintable(e));
            return BadUsage;
        }
        const std::string k = std::to_string(ensembleSize(*ensemble));
        add("ensemble K = " + k, ensemble, e, UncertaintyMethod::Ensemble, 1);
        if (o.ensembleMcSamples > 0)
            add("ensemble K = " + k + " + MC", ensemble, e, UncertaintyMethod::EnsembleMc, o.ensembleMcSamples);
    }
    return -1;
}

struct CompareTable {
    std::string markdown =
        "| method | passes | calibrated | test | AUSE (RMSE) | depth NLL | 95 % coverage | ECE | seg NLL | AUROC seg errors | "
        "OOD AUROC σ/μ | OOD AUROC MI | ms / image |\n| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |\n";
    json rows = json::array();
};

// One configuration on both domains, uncalibrated and (with --fit) calibrated on the fit folder:
// its rows added to `table`. 0, or the exit code (said on stderr).
int compareConfig(const CompareOptions& o, const Config& c, const std::vector<PreparedInput>& a,
                  const std::vector<PreparedInput>& b, CompareTable* table) {
    UncertaintyEngine engine(c.model);
    std::vector<Calibration> calibrations{Calibration{}};
    json fitJson = nullptr;
    if (!o.fit.empty()) {
        CalibrationOptions co;
        co.data = o.fit;
        co.settings = c.settings;
        const CalibrationRun fit = fitCalibration(engine, modelCard(*c.model), co, [](int, int) { return !stopRequested(); });
        if (!fit.ok()) {
            std::fprintf(stderr, "uvis-cli: calibration of %s: %s\n", c.label.c_str(),
                         fit.cancelled ? "stopped" : fit.error.c_str());
            return fit.cancelled ? Failure : BadInput;
        }
        calibrations.push_back(fit.record.calibration);
        fitJson = {{"temperature", fit.record.calibration.temperature},
                   {"depth_variance_scale", fit.record.calibration.depthVarianceScale}};
    }
    for (const Calibration& calibration : calibrations) {
        SamplingSettings s = c.settings;
        s.calibration = calibration;
        DomainScores da, db;
        for (auto [images, scores] : {std::pair{&a, &da}, std::pair{&b, &db}})
            if (std::string e = scoreDomain(*images, engine, c, s, scores); !e.empty()) {
                std::fprintf(stderr, "uvis-cli: %s\n", e.c_str());
                return e == "stopped" ? Failure : BadInput;
            }
        const double oodRel = oodAuroc(da.epistemicRel, db.epistemicRel);
        const double oodMi = oodAuroc(da.mutualInfo, db.mutualInfo);
        const int passes = totalPasses(s, ensembleSize(*c.model));
        const bool calibrated = !calibration.identity();
        const json ja = domainJson(da), jb = domainJson(db);
        table->markdown += rowText(c.label, passes, calibrated, "A", ja, "", "");
        table->markdown += rowText(c.label, passes, calibrated, "B", jb, number(oodRel, 3), number(oodMi, 3));
        table->rows.push_back({{"method", methodName(s.method)}, {"label", c.label}, {"model", c.modelPath},
                               {"passes", passes}, {"samples", s.samples}, {"dropout", s.dropout},
                               {"calibrated", calibrated}, {"calibration", calibrated ? fitJson : json(nullptr)},
                               {"A", ja}, {"B", jb},
                               {"ood_auroc_epistemic_rel", std::isfinite(oodRel) ? json(oodRel) : json(nullptr)},
                               {"ood_auroc_mutual_info", std::isfinite(oodMi) ? json(oodMi) : json(nullptr)}});
        if (!o.base.quiet) std::fprintf(stderr, "  %s (%d passes, %s): done\n", c.label.c_str(), passes,
                                        calibrated ? "calibrated" : "uncalibrated");
    }
    return 0;
}

}  // namespace

int runCompare(const CompareOptions& o) {
    stopOnSignals();
    std::vector<Config> configs;
    std::shared_ptr<Model> single;
    if (const int exit = planConfigs(o, &configs, &single); exit >= 0) return exit;
    std::string error;
    const ModelCard& card = modelCard(*single);
    const std::vector<PreparedInput> a = prepareFolder(o.domainA, card, &error);
    const std::vector<PreparedInput> b = error.empty() ? prepareFolder(o.domainB, card, &error)
                                                       : std::vector<PreparedInput>{};
    if (!error.empty()) {
        std::fprintf(stderr, "uvis-cli: %s\n", error.c_str());
        return BadInput;
    }
    CompareTable table;
    for (const Config& c : configs)
        if (const int exit = compareConfig(o, c, a, b, &table); exit != 0) return exit;
    std::printf("%s", table.markdown.c_str());
    if (!o.json.empty()) {
        const json doc{{"domain_a", o.domainA}, {"domain_b", o.domainB},
                       {"fit", o.fit}, {"seed", o.base.settings.seed}, {"rows", table.rows}};
        if (std::string e = writeFileAtomically(o.json, jsonText(doc, 2) + "\n"); !e.empty()) {
            std::fprintf(stderr, "uvis-cli: %s\n", e.c_str());
            return Failure;
        }
    }
    return Ok;
}

}  // namespace uvis::cli
