// uvis-train experiment seed-table: Kendall & Gal 2017's experiment on synthetic streets. Train on
// 100 % and on 25 % of a domain-A training set, test each on domain A and domain B, and tabulate
// the mean aleatoric and epistemic depth variance, RMSE and mIoU of the four cells.

#include <nlohmann/json.hpp>

#include <cstdio>
#include <filesystem>
#include <iostream>

#include "commands.h"
#include "console_progress.h"
#include "core/io/atomic_file.h"
#include "core/model_loader.h"
#include "core/training/evaluation.h"
#include "core/training/trainer.h"

namespace uvis::train {

int runSeedTable(const SeedTableArgs& a, const std::string& command) {
    DeviceKind device;
    if (!parseDevice(a.device, &device)) return 2;
    std::error_code ec;
    std::filesystem::create_directories(a.out, ec);
    nlohmann::json table = nlohmann::json::array();
    struct Row {
        std::string train, test;
        EvalMetrics m;
    };
    std::vector<Row> rows;
    for (double fraction : {1.0, 0.25}) {
        const std::string label = fraction == 1.0 ? "100%" : "25%";
        TrainOptions o;
        o.dataDir = a.trainData;
        o.domain = "A";  // the paper's experiment trains on the training distribution only
        o.fraction = fraction;
        o.steps = a.steps;
        o.batchSize = a.batch;
        o.width = a.width;
        o.trainDropout = a.dropout;
        o.seed = a.seed;  // the same seed: the runs differ only in how much data they see
        o.device = device;
        o.outPath = (std::filesystem::path(a.out) / (fraction == 1.0 ? "model_100.uvis" : "model_25.uvis")).string();
        o.name = "seed-table-" + label;
        o.command = command;
        ConsoleProgress progress("train " + label, a.quiet);
        TrainResult r = trainModel(o, [&](const TrainProgress& p) {
            char detail[96];
            std::snprintf(detail, sizeof detail, "loss %.3f", p.loss);
            progress.update(p.step, p.steps, detail);
            return true;
        });
        if (!r.ok()) {
            std::cerr << "uvis-train: " << r.error << "\n";
            return 1;
        }
        progress.finish(std::to_string(r.trainImages) + " training images");
        LoadedModel model = loadNativeModel(o.outPath, device);
        if (!model) {
            std::cerr << "uvis-train: " << model.error << "\n";
            return 1;
        }
        for (const auto& [name, dir] : {std::pair<std::string, std::string>{"A", a.testA}, {"B", a.testB}}) {
            ConsoleProgress evalProgress("evaluate " + label + " on " + name, a.quiet);
            EvalOptions eo;
            eo.samples = a.samples;
            eo.device = device;
            eo.limit = a.limit;
            eo.seed = a.seed;
            EvalResult e = evaluateModel(model.model, dir, eo, [&](int d, int t) { evalProgress.update(d, t); });
            if (!e.ok()) {
                std::cerr << "uvis-train: " << e.error << "\n";
                return 3;
            }
            evalProgress.finish();
            rows.push_back({label, name, e.metrics});
            table.push_back({{"train", label},
                             {"train_images", r.trainImages},
                             {"test", name},
                             {"aleatoric_var", e.metrics.meanAleatoricVar},
                             {"epistemic_var", e.metrics.meanEpistemicVar},
                             {"rmse", e.metrics.rmse},
                             {"abs_rel", e.metrics.absRel},
                             {"miou", e.metrics.miou},
                             {"mutual_info", e.metrics.meanMutualInfo}});
        }
    }
    std::printf("\n%-6s %-5s %14s %14s %8s %7s %10s\n", "train", "test", "aleatoric m²", "epistemic m²", "RMSE m",
                "mIoU", "MI nats");
    for (const Row& r : rows)
        std::printf("%-6s %-5s %14.4f %14.4f %8.3f %7.3f %10.5f\n", r.train.c_str(), r.test.c_str(),
                    r.m.meanAleatoricVar, r.m.meanEpistemicVar, r.m.rmse, r.m.miou, r.m.meanMutualInfo);
    nlohmann::json doc{{"command", command}, {"steps", a.steps}, {"mc_samples", a.samples},
                       {"seed", a.seed},     {"cells", table}};
    const std::string path = (std::filesystem::path(a.out) / "seed_table.json").string();
    if (std::string e = writeFileAtomically(path, doc.dump(2) + "\n"); !e.empty()) {
        std::cerr << "uvis-train: " << e << "\n";
        return 1;
    }
    std::printf("wrote %s\n", path.c_str());
    return 0;
}

}  // namespace uvis::train
