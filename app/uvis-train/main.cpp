// uvis-train: synthetic street data, training of the built-in Bayesian network, evaluation, and
// the seed paper's experiment. CLI11 for the subcommands: the tool also runs on training hosts
// without Qt. This is the front (common/work_library.h); the commands run in work.cpp.

#include <CLI/CLI.hpp>

#include "commands.h"
#include "common/command_line.h"
#include "common/exit_codes.h"
#include "common/work_library.h"

using namespace uvis::train;

namespace {

CLI::App* addRenderCommand(CLI::App& app, RenderArgs& render) {
    CLI::App* r = app.add_subcommand("render", "render a data set of street scenes with ground truth");
    r->add_option("--domain", render.domain, "A (training distribution) or B (shifted appearance)")
        ->check(CLI::IsMember({"A", "B"}));
    r->add_option("--count", render.count, "number of images")->check(CLI::Range(1, 1000000));
    r->add_option("--seed", render.seed, "seed of the data set")
        ->check(uvis::app::WholeNumber());
    r->add_option("--out", render.out, "output folder")->required();
    r->add_option("--size", render.size, "image size WxH");
    r->add_option("--video", render.videoSeconds, "render one driving sequence of this many seconds as a video")
        ->check(uvis::app::FiniteRange(0.1, 3600.0));
    r->add_option("--fps", render.fps, "frames per second of the video")->check(uvis::app::FiniteRange(1.0, 120.0));
    r->add_flag("!--no-frame-truth", render.frameTruth, "with --video: write only the video, no per-frame files");
    r->add_flag("--quiet", render.quiet, "no progress output");
    return r;
}

CLI::App* addTrainCommand(CLI::App& app, TrainArgs& train) {
    CLI::App* t = app.add_subcommand("train", "train the native network (SPEC §3 losses)");
    t->add_option("--data", train.data, "training data set folder")->required()->check(CLI::ExistingDirectory);
    t->add_option("--test", train.test, "held-out data set: evaluate after training, metrics into the card")
        ->check(CLI::ExistingDirectory);
    t->add_option("--out", train.out, "model file to write")->required();
    t->add_option("--domain", train.domain, "refuse a data set of another domain (A or B)")
        ->check(CLI::IsMember({"A", "B"}));
    t->add_option("--fraction", train.fraction, "share of the training set to use")->check(uvis::app::FiniteRange(0.001, 1.0));
    t->add_option("--steps", train.steps, "optimisation steps")->check(CLI::Range(1, 10000000));
    t->add_option("--batch", train.batch, "batch size")->check(CLI::Range(1, 1024));
    t->add_option("--lr", train.lr, "Adam learning rate")->check(CLI::Range(1e-6, 1.0));
    t->add_option("--width", train.width, "network width")->check(CLI::Range(4, 256));
    t->add_flag("--encoder-dropout", train.encoderDropout,
                "also drop the 1/8 encoder features (the last encoder stage then runs per MC pass)");
    t->add_option("--dropout", train.dropout, "training dropout rate (card: train_p)")->check(uvis::app::FiniteRange(0.0, 0.9));
    t->add_flag("--concrete-dropout", train.concreteDropout,
                "learn each dropout layer's rate (concrete dropout, Gal, Hron & Kendall 2017), starting at --dropout, "
                "with a regulariser scaled by the training pixels (images × loss pixels); the card lists the learned rates and "
                "uvis runs each layer at its own");
    t->add_option("--noise-samples", train.noiseSamples, "logit-noise draws of the classification loss")
        ->check(CLI::Range(0, 100));
    t->add_flag("--laplace", train.laplace, "Laplace instead of Gaussian depth likelihood");
    t->add_option("--seed", train.seed, "training seed")
        ->check(uvis::app::WholeNumber());
    t->add_option("--device", train.device, "cpu or cuda");
    t->add_option("--checkpoint-every", train.checkpointEvery, "steps between checkpoints")->check(CLI::Range(0, 10000000));
    t->add_option("--resume", train.resume, "continue from a checkpoint")->check(CLI::ExistingFile);
    t->add_option("--name", train.name, "model name in the card");
    t->add_option("--eval-samples", train.evalSamples, "MC samples for the evaluation")->check(CLI::Range(1, 1024));
    t->add_option("--ensemble", train.ensemble,
                  "train K members with seeds seed … seed+K−1 (OUT, OUT-m2, …) and write <stem>.ensemble.json; "
                  "finished members are kept, checkpoints resumed")
        ->check(CLI::Range(1, 64));
    t->add_flag("--quiet", train.quiet, "no progress output");
    return t;
}

CLI::App* addEvaluateCommand(CLI::App& app, EvaluateArgs& evaluate) {
    CLI::App* e = app.add_subcommand("evaluate", "score a model on a data set (JSON)");
    e->add_option("--model", evaluate.model, "model file")->required();
    e->add_option("--data", evaluate.data, "data set folder")->required()->check(CLI::ExistingDirectory);
    e->add_option("--json", evaluate.json, "also write the metrics here");
    e->add_option("--samples", evaluate.samples, "MC samples T")->check(CLI::Range(1, 1024));
    e->add_option("--dropout", evaluate.dropout, "dropout rate p (default: the card's)")->check(uvis::app::FiniteRange(0.0, 0.95));
    e->add_option("--seed", evaluate.seed, "sampling seed")
        ->check(uvis::app::WholeNumber());
    e->add_option("--device", evaluate.device, "cpu or cuda");
    e->add_option("--limit", evaluate.limit, "only the first N images")->check(CLI::Range(0, 10000000));
    e->add_flag("--quiet", evaluate.quiet, "no progress output");
    return e;
}

// `experiment seed-table`: returns the seed-table command.
CLI::App* addSeedTableCommand(CLI::App& app, SeedTableArgs& table) {
    CLI::App* x = app.add_subcommand("experiment", "experiments");
    x->require_subcommand(1);
    CLI::App* s = x->add_subcommand("seed-table", "Kendall & Gal 2017: less data and domain shift, over seeds");
    s->add_option("--train", table.trainData, "domain-A training set")->required()->check(CLI::ExistingDirectory);
    s->add_option("--test-a", table.testA, "domain-A test set")->required()->check(CLI::ExistingDirectory);
    s->add_option("--test-b", table.testB, "domain-B test set")->required()->check(CLI::ExistingDirectory);
    s->add_option("--out", table.out, "folder for the models and seed_table.json");
    s->add_option("--steps", table.steps, "training steps of each model")->check(CLI::Range(1, 10000000));
    s->add_option("--batch", table.batch, "batch size")->check(CLI::Range(1, 1024));
    s->add_option("--width", table.width, "network width")->check(CLI::Range(4, 256));
    s->add_flag("--encoder-dropout", table.encoderDropout, "train every model with encoder dropout too");
    s->add_option("--dropout", table.dropout, "dropout rate")->check(uvis::app::FiniteRange(0.0, 0.9));
    s->add_option("--seeds,--seed", table.seeds, "seeds of the repeats, e.g. 1,2,3 (training, subset, sampling)")
        ->delimiter(',')
        ->check(uvis::app::WholeNumber());
    s->add_option("--fractions", table.fractions, "training-set shares, e.g. 1,0.25,0.05")
        ->delimiter(',')
        ->check(uvis::app::FiniteRange(0.001, 1.0));
    s->add_option("--methods", table.methods,
                  "uncertainty methods, e.g. mc,concrete,ensemble: MC dropout at --dropout, concrete dropout (rates "
                  "learned from --dropout), a deep ensemble of --members models (one pass each)")
        ->delimiter(',')
        ->check(CLI::IsMember({"mc", "concrete", "ensemble"}));
    s->add_option("--members", table.members, "ensemble members K (the mc model is the first)")
        ->check(CLI::Range(2, 64));
    s->add_option("--samples", table.samples, "MC samples for the evaluation")->check(CLI::Range(1, 1024));
    s->add_option("--limit", table.limit, "only the first N test images")->check(CLI::Range(0, 10000000));
    s->add_option("--device", table.device, "cpu or cuda");
    s->add_flag("--quiet", table.quiet, "no progress output");
    return s;
}

}  // namespace

int main(int argc, char** argv) {
    CLI::App app{"uvis-train: synthetic street scenes, training and evaluation of the uvis network"};
    app.require_subcommand(1);
    ParsedCommand p;
    app.add_option("--threads", p.threads, "CPU threads for LibTorch and OpenCV (0: all cores)")->check(CLI::Range(0, 256));
    CLI::App* render = addRenderCommand(app, p.render);
    CLI::App* train = addTrainCommand(app, p.train);
    CLI::App* evaluate = addEvaluateCommand(app, p.evaluate);
    CLI::App* seal = app.add_subcommand("seal", "record the SHA-256 of a model's weights in its card (checked at load)");
    seal->add_option("model", p.sealPath, ".uvis model file")->required()->check(CLI::ExistingFile);
    CLI::App* table = addSeedTableCommand(app, p.table);

    uvis::app::addVersionFlag(app, "uvis-train");
    if (const int exit = uvis::app::parseCommandLine(app, argc, argv); exit >= 0) return exit;
    const std::pair<CLI::App*, ParsedCommand::Command> commands[] = {
        {render, ParsedCommand::Render}, {train, ParsedCommand::Train}, {evaluate, ParsedCommand::Evaluate},
        {seal, ParsedCommand::Seal},     {table, ParsedCommand::SeedTable}};
    for (const auto& [command, which] : commands)
        if (command->parsed()) p.command = which;
    return uvis::app::runWork("uvis-train", argc, argv, &p);
}
