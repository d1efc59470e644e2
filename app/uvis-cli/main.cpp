// uvis-cli: batch inference and model checks, no display needed.
//   uvis-cli infer [options] INPUT...     images, folders, videos, manifests; --shard, --resume
//   uvis-cli merge OUT SHARD_DIR...       shards' dataset.json into one
//   uvis-cli ood [options] IN OUT         how well epistemic uncertainty separates two folders
//   uvis-cli info MODEL
//   uvis-cli validate-model MODEL         exit 0 only for a model that meets the contract
// CLI11, like the other uvis programs; exit codes 0 success, 2 usage, 3 bad input, 4 bad model.
// This is the front (common/work_library.h): the commands run in work.cpp.

#include <algorithm>
#include <string>
#include <utility>

#include "common/command_line.h"
#include "common/work_library.h"
#include "parsed_command.h"

using namespace uvis;
using namespace uvis::cli;

namespace {

// How long the child-process check of a model may take before it is stopped (a model that hangs).
void addTimeoutOption(CLI::App* c, int& seconds) {
    c->add_option("--timeout", seconds, "Seconds the model check may take (default 60)")->check(CLI::Range(1, 86400));
}

void addRunOptions(CLI::App* c, RunArgs& a) {
    c->add_option("-m,--model", a.model, "Model file (default: the bundled demo model)")->check(uvis::app::NonEmpty());
    c->add_option("--method", a.method,
                  "Uncertainty method: mc (MC dropout), ensemble (one pass per member), ensemble-mc (T dropout "
                  "passes per member) or tta (test-time augmentation); the ensembles need -m ENSEMBLE.json or a "
                  "folder of member models (default mc)")
        ->check(CLI::IsMember({"mc", "ensemble", "ensemble-mc", "tta"}));
    c->add_option("-T,--samples", a.samples, "MC samples T, 1–4096 (default 16; per member for ensemble-mc)")
        ->check(CLI::Range(1, 4096));
    c->add_option("-p,--dropout", a.dropout, "Dropout rate p in [0, 1) (default: the card's train_p)")
        ->check(uvis::app::FiniteRange(0.0, 0.999999));
    c->add_option("--noise-samples", a.noise,
                  "Logit-noise draws per pass for p_t (Kendall & Gal eq. 12; default 0: softmax)")
        ->check(CLI::Range(0, 1024));
    c->add_option("--seed", a.seed, "Sampling seed (default 0)")
        ->check(uvis::app::WholeNumber());
    c->add_flag("--no-calibration", a.noCalibration,
                "Ignore <model>.calibration.json (uvis-cli calibrate); by default its fit for the method is applied");
    c->add_option("--device", a.device, "cpu or cuda (default cpu)")->check(CLI::IsMember({"cpu", "cuda"}));
    c->add_option("--precision", a.precision,
                  "Arithmetic of the passes: fp32, or bf16 where the CPU (AVX512-BF16) or GPU has it — faster, the "
                  "statistics still in fp32 (default fp32; docs/performance.md has the measured difference)")
        ->check(CLI::IsMember({"fp32", "bf16"}));
    c->add_option("--size", a.size, "Size WxH of written maps, 8–16384 per side (default: each input's size)");
    c->add_option("-o,--out", a.out, "Output folder (default uvis-out)");
    c->add_option("--frames", a.frames, "Videos: frames A:B (B exclusive; either may be empty)");
    c->add_option("--every", a.every, "Videos: analyse every N-th frame (default 1)")->check(CLI::PositiveNumber);
    c->add_option("--temporal", a.temporal,
                  "Videos: K fresh samples per frame, the rest of T carried from earlier frames by optical flow "
                  "(default 0: all T fresh; docs/performance.md measures it)")
        ->check(CLI::NonNegativeNumber);
    c->add_flag("--raw-maps", a.rawMaps, "Videos: also write the raw maps of every analysed frame");
    c->add_flag("--overwrite", a.overwrite, "Replace existing result folders");
    c->add_flag("-q,--quiet", a.quiet, "No progress on stderr");
    c->add_option("--gt-depth", a.gtDepth,
                  "Depth ground truth of the (one) input image: 16-bit PNG in mm, .npy in m, or EXR");
    c->add_option("--gt-labels", a.gtLabels,
                  "Label ground truth of the (one) input image: index or palette PNG, or uint8 .npy (255 = ignore)");
    c->add_flag("--no-gt", a.noGt, "Do not look for ground truth beside the inputs");
    c->add_flag("--trust-model", a.trustModel,
                "Load the model directly, without first checking it in a child process (the bundled model "
                "is always trusted)");
    addTimeoutOption(c, a.timeout);
    c->add_option("--input-timeout", a.inputTimeout,
                  "Seconds one image may take before the run is stopped as a model failure (default 600; 0: none)")
        ->check(CLI::Range(0, 86400));
    c->add_option("--max-pixels", a.maxPixels,
                  "Refuse images with more pixels than this, from their header, before decoding (default 50000000)")
        ->check(CLI::Range(1LL, 4'000'000'000LL));
    c->add_flag("--strict", a.strict, "Refuse an input that decodes only in part (a truncated JPEG) instead of warning");
}

// Data sets: resuming and sharding (infer only).
void addDatasetOptions(CLI::App* c, RunArgs& a) {
    c->add_flag("--resume", a.resume,
                "Keep the complete results in -o made with the same model, settings and input files; do the rest");
    c->add_option("--shard", a.shard,
                  "Process shard I/N of the inputs (0 ≤ I < N, by a stable hash of each input's path), or auto: "
                  "Slurm's SLURM_ARRAY_TASK_ID/COUNT or Kubernetes' JOB_COMPLETION_INDEX")
        ->check(uvis::app::NonEmpty());
    c->add_option("--shard-count", a.shardCount, "N for --shard auto under Kubernetes (the Job's completions)")
        ->check(CLI::Range(1, 100000));
}

// The subcommands, to tell which one was given.
struct Subcommands {
    CLI::App *infer = nullptr, *ood = nullptr, *calibrate = nullptr, *compare = nullptr, *merge = nullptr,
             *info = nullptr, *validate = nullptr;
};

void defineCommands(CLI::App& app, ParsedCommand& c, Subcommands& s) {
    app::addVersionFlag(app, "uvis-cli");
    app.require_subcommand(1);
    app.add_option("--threads", c.threads, "CPU threads for LibTorch and OpenCV (default: all cores)")
        ->check(CLI::Range(0, 1024));

    s.infer = app.add_subcommand("infer", "images, folders of images, or videos → maps, pictures, summaries");
    addRunOptions(s.infer, c.run);
    addDatasetOptions(s.infer, c.run);
    s.infer->add_option("inputs", c.run.inputs,
                        "images, videos, folders (searched recursively) or manifests (.csv/.json); a folder or a "
                        "manifest also gives OUT/dataset.csv and dataset.json")
        ->required();
    s.ood = app.add_subcommand("ood", "how well mean epistemic uncertainty separates two image folders (AUROC)");
    addRunOptions(s.ood, c.oodRun);
    s.ood->add_option("folders", c.oodRun.inputs, "IN-DISTRIBUTION OUT-OF-DISTRIBUTION")->required()->expected(2);
    s.calibrate = app.add_subcommand(
        "calibrate", "fit a temperature (segmentation) and a variance scale (depth) on a folder with ground truth; "
                     "writes <model>.calibration.json beside the model, which infer and the application apply");
    addRunOptions(s.calibrate, c.calibrateRun);
    s.calibrate->add_option("--data", c.calibrateRun.inputs,
                            "folder or manifest with ground truth (even images fit, odd ones check)")
        ->required()->expected(1);
    s.calibrate->add_option("--probes", c.calibrateRun.probes, "pixels with truth sampled per fit image (default 4000)")
        ->check(CLI::Range(1, 1000000));
    s.compare = app.add_subcommand(
        "compare", "uncertainty methods side by side on two domains (AUSE, NLL, coverage, ECE, error AUROC, OOD AUROC, "
                   "time), each with and without a calibration fitted on --fit");
    addRunOptions(s.compare, c.compareRun);
    s.compare->add_option("--mc-samples", c.compareMc, "T of the MC dropout rows (default 8 16 32)")
        ->check(CLI::Range(1, 4096));
    s.compare->add_option("--tta-samples", c.compareTta, "T of the TTA row (default 8; 0: none)")->check(CLI::Range(0, 4096));
    s.compare->add_option("--ensemble", c.compareEnsembles, "an ensemble card or folder (repeatable): ensemble rows");
    s.compare->add_option("--ensemble-mc-samples", c.compareEnsembleMc,
                          "T per member of the ensemble + MC rows (default 8; 0: none)")
        ->check(CLI::Range(0, 4096));
    s.compare->add_option("--fit", c.compareFit, "folder with ground truth to fit each row's calibration on");
    s.compare->add_option("--json", c.compareJson, "also write the rows as JSON here");
    s.compare->add_option("domains", c.compareRun.inputs, "DOMAIN-A DOMAIN-B (folders with ground truth)")
        ->required()->expected(2);
    s.merge = app.add_subcommand("merge", "the dataset.json of each shard of a run into one dataset.csv/json");
    s.merge->add_option("out", c.mergeOut, "folder for the merged dataset.csv and dataset.json")->required()
        ->check(uvis::app::NonEmpty());
    s.merge->add_option("shards", c.mergeShardDirs, "the shards' output folders (or their dataset.json)")->required();
    s.merge->add_flag("--overwrite", c.mergeOverwrite, "Replace an existing merged table");
    s.info = app.add_subcommand("info", "the model card, outputs and whether the fast path applies");
    s.validate = app.add_subcommand("validate-model", "exit 0 only for a model that meets the uvis contract");
    for (CLI::App* sub : {s.info, s.validate}) {
        sub->add_option("model", c.model, "model file")->required();
        addTimeoutOption(sub, c.timeout);
        // The child process itself: load and run the model here.
        sub->add_flag("--in-process", c.inProcess)->group("");
    }
    for (CLI::App* sub : {s.infer, s.ood, s.info, s.validate, s.merge, s.calibrate, s.compare})
        sub->fallthrough();  // --threads after the command too
}

// Says which word was wrong rather than CLI11's "a subcommand is required": the exit code of that
// usage error, or -1 when a command (or --help, --version) is there.
int checkCommandWord(CLI::App& app, int argc, char** argv) {
    auto isCommand = [&](const char* word) {
        return !app.get_subcommands([&](CLI::App* c) { return c->check_name(word); }).empty();
    };
    auto asksForHelp = [](const char* a) {
        return std::string(a) == "--help" || std::string(a) == "-h" || std::string(a) == "--version";
    };
    if (std::any_of(argv + 1, argv + argc, isCommand) || std::any_of(argv + 1, argv + argc, asksForHelp)) return -1;
    if (argc > 1 && argv[1][0] != '-')
        return usage(std::string("unknown command '") + argv[1] + "': infer, calibrate, compare, merge, ood, info or validate-model");
    return usage("no command given: infer, calibrate, compare, merge, ood, info or validate-model");
}

}  // namespace

int main(int argc, char** argv) {
    CLI::App app{"uvis-cli: Monte-Carlo dropout depth and segmentation with aleatoric and epistemic uncertainty.\n"
                 "Ground truth: beside <id>_rgb.png (or <id>.png), <id>_depth.{npy,png,exr} and <id>_labels.{png,npy}\n"
                 "are found and evaluated; summary.json then holds \"metrics\".\n"
                 "Exit codes: 0 success, 2 bad usage, 3 bad input file, 4 bad model."};
    ParsedCommand parsed;
    Subcommands s;
    defineCommands(app, parsed, s);
    if (const int exit = checkCommandWord(app, argc, argv); exit >= 0) return exit;
    if (const int exit = app::parseCommandLine(app, argc, argv); exit >= 0) return exit;
    const std::pair<CLI::App*, ParsedCommand::Command> commands[] = {
        {s.infer, ParsedCommand::Infer},     {s.ood, ParsedCommand::Ood},   {s.calibrate, ParsedCommand::Calibrate},
        {s.compare, ParsedCommand::Compare}, {s.merge, ParsedCommand::Merge}, {s.info, ParsedCommand::Info},
        {s.validate, ParsedCommand::Validate}};
    for (const auto& [command, which] : commands)
        if (command->parsed()) parsed.command = which;
    // A run whose every input is a broken image is refused before LibTorch is loaded.
    if (parsed.command == ParsedCommand::Infer)
        if (const int exit = app::runPrecheck("uvis-cli", argc, argv, &parsed); exit >= 0) return exit;
    return app::runWork("uvis-cli", argc, argv, &parsed);
}
