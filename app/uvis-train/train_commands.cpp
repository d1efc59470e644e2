// uvis-train train / evaluate.

#include <nlohmann/json.hpp>

#include <cstdio>
#include <fstream>
#include <iostream>
#include <memory>

#include "commands.h"
#include "common/exit_codes.h"
#include "core/types/json_document.h"
#include "console_progress.h"
#include "core/io/atomic_file.h"
#include "core/model/model_loader.h"
#include "core/training/ensemble_training.h"
#include "core/training/evaluation.h"
#include "core/training/trainer.h"

namespace uvis::train {

bool parseDevice(const std::string& text, DeviceKind* out) {
    if (parseDeviceKind(text, out)) return true;
    std::cerr << "uvis-train: --device must be cpu or cuda, not '" << text << "'\n";
    return false;
}

namespace {

std::vector<std::string> classNames(const Model& model) {
    std::vector<std::string> names;
    for (const auto& c : modelCard(model).classes) names.push_back(c.name);
    return names;
}

}  // namespace

namespace {

// Scores a trained model on the held-out set and stores the metrics in its card; 0 or an exit code.
int evaluateIntoCard(const std::string& path, const TrainArgs& a, DeviceKind device) {
    LoadedModel model = loadNativeModel(path, device);
    if (!model) {
        std::cerr << "uvis-train: " << model.error << "\n";
        return app::Failure;
    }
    ConsoleProgress evalProgress("evaluate", a.quiet);
    EvalOptions eo;
    eo.samples = a.evalSamples;
    eo.device = device;
    EvalResult e = evaluateModel(model.model, a.test, eo, [&](int d, int t) { evalProgress.update(d, t); });
    if (!e.ok()) {
        std::cerr << "uvis-train: " << e.error << "\n";
        return app::BadInput;
    }
    evalProgress.finish();
    nlohmann::json training = parseJson(modelCard(*model.model).json, "a model card").value["training"];
    training["metrics"] = parseJson(metricsToJson(e.metrics, classNames(*model.model)), "the metrics").value;
    training["metrics"]["test_data"] = a.test;
    training["metrics"]["mc_samples"] = eo.samples;
    if (std::string err = updateModelTraining(path, jsonText(training)); !err.empty()) {
        std::cerr << "uvis-train: " << err << "\n";
        return app::Failure;
    }
    std::cout << jsonText(training["metrics"], 2) << "\n";
    return 0;
}

std::string progressDetail(const TrainProgress& p) {
    char detail[160];
    std::snprintf(detail, sizeof detail, "loss %.3f (depth %.3f, seg %.3f), λ depth %.2f seg %.2f", p.loss, p.depthLoss,
                  p.segLoss, p.depthLogVar, p.segLogVar);
    std::string text = detail;
    if (!p.dropoutRates.empty()) {  // concrete dropout: the rates as they are learned
        text += ", p";
        for (double rate : p.dropoutRates) {
            std::snprintf(detail, sizeof detail, " %.3f", rate);
            text += detail;
        }
    }
    return text;
}

// --ensemble K: K members with seeds seed … seed + K − 1, each evaluated, then the card.
int runTrainEnsemble(const TrainOptions& o, const TrainArgs& a) {
    std::unique_ptr<ConsoleProgress> progress;
    int current = -1;
    EnsembleTrainResult r = trainEnsemble(o, a.ensemble, [&](int k, const TrainProgress& p) {
        if (k != current) {
            current = k;
            if (progress) progress->finish();
            progress = std::make_unique<ConsoleProgress>("member " + std::to_string(k + 1) + "/" +
                                                             std::to_string(a.ensemble),
                                                         a.quiet);
        }
        progress->update(p.step, p.steps, progressDetail(p));
        return true;
    });
    if (progress) progress->finish();
    if (!r.warning.empty()) std::cerr << "uvis-train: " << r.warning << "\n";
    if (!r.ok()) {
        std::cerr << "uvis-train: " << r.error << "\n";
        return app::Failure;
    }
    for (size_t k = 0; k < r.members.size(); ++k) {
        if (r.kept[k]) {
            if (!a.quiet) std::cerr << "uvis-train: member " << k + 1 << " kept: " << r.members[k] << " (finished earlier)\n";
            continue;
        }
        if (!a.test.empty())
            if (const int exit = evaluateIntoCard(r.members[k], a, o.device); exit != 0) return exit;
    }
    std::cout << "ensemble of " << r.members.size() << ": " << r.card << "\n";
    return 0;
}

}  // namespace

int runTrain(const TrainArgs& a, const std::string& command) {
    TrainOptions o;
    if (!parseDevice(a.device, &o.device)) return app::BadUsage;
    o.dataDir = a.data;
    o.domain = a.domain;
    o.fraction = a.fraction;
    o.steps = a.steps;
    o.batchSize = a.batch;
    o.learningRate = a.lr;
    o.width = a.width;
    o.encoderDropout = a.encoderDropout;
    o.trainDropout = a.dropout;
    o.concreteDropout = a.concreteDropout;
    o.noiseSamples = a.noiseSamples;
    o.laplace = a.laplace;
    o.seed = a.seed;
    o.outPath = a.out;
    o.checkpointEvery = a.checkpointEvery;
    o.resumeFrom = a.resume;
    o.name = a.name;
    o.command = command;
    if (a.ensemble > 1) return runTrainEnsemble(o, a);
    ConsoleProgress progress("train", a.quiet);
    TrainResult r = trainModel(o, [&](const TrainProgress& p) {
        progress.update(p.step, p.steps, progressDetail(p));
        return true;
    });
    if (!r.warning.empty()) std::cerr << "uvis-train: " << r.warning << "\n";
    if (!r.ok()) {
        std::cerr << "uvis-train: " << r.error << "\n";
        return app::Failure;
    }
    progress.finish(a.out + " (" + std::to_string(r.trainImages) + " images, " + formatDuration(r.wallSeconds) + ")");
    if (a.test.empty()) return 0;
    return evaluateIntoCard(a.out, a, o.device);
}

int runSeal(const std::string& path) {
    // Loading checks a digest the card already has: a damaged file is never sealed as intact.
    LoadedModel model = loadNativeModel(path, DeviceKind::Cpu);
    if (!model) {
        std::cerr << "uvis-train: " << model.error << "\n";
        return app::BadModel;
    }
    if (std::string e = saveModel(*model.model, path); !e.empty()) {
        std::cerr << "uvis-train: " << e << "\n";
        return app::Failure;
    }
    LoadedModel sealed = loadNativeModel(path, DeviceKind::Cpu);
    if (!sealed) {
        std::cerr << "uvis-train: " << sealed.error << "\n";
        return app::Failure;
    }
    std::cout << path << ": weights_sha256 " << modelCard(*sealed.model).weightsSha256 << "\n";
    return 0;
}

int runEvaluate(const EvaluateArgs& a) {
    DeviceKind device;
    if (!parseDevice(a.device, &device)) return app::BadUsage;
    LoadedModel model = loadNativeModel(a.model, device);
    if (!model) {
        std::cerr << "uvis-train: " << model.error << "\n";
        return app::BadModel;
    }
    if (!model.warning.empty()) std::cerr << "uvis-train: " << model.warning << "\n";
    EvalOptions o;
    o.samples = a.samples;
    o.dropout = a.dropout;
    o.seed = a.seed;
    o.device = device;
    o.limit = a.limit;
    ConsoleProgress progress("evaluate", a.quiet);
    EvalResult r = evaluateModel(model.model, a.data, o, [&](int d, int t) { progress.update(d, t); });
    if (!r.ok()) {
        std::cerr << "uvis-train: " << r.error << "\n";
        return app::BadInput;
    }
    progress.finish();
    const std::string json = metricsToJson(r.metrics, classNames(*model.model));
    std::cout << json << "\n";
    if (!a.json.empty())
        if (std::string e = writeFileAtomically(a.json, json + "\n"); !e.empty()) {
            std::cerr << "uvis-train: " << e << "\n";
            return app::Failure;
        }
    return 0;
}

}  // namespace uvis::train
