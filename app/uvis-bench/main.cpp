// uvis-bench: what the MC engine costs against the naive loop of T full forward passes, and how
// long the programs take to start. This is the front (common/work_library.h): the measurements of
// the engine run in bench.cpp.

#include <cstdio>
#include <exception>

#include "bench_report.h"
#include "common/command_line.h"
#include "common/exit_codes.h"
#include "common/work_library.h"
#include "core/runtime/resource_location.h"
#include "options.h"
#include "startup_bench.h"

namespace uvis::bench {
namespace {

// The command line of uvis-bench into `o`.
void addOptions(CLI::App& app, Options& o) {
    app.add_option("--sizes", o.sizes, "input sizes WxH (multiples of 16)");
    app.add_option("--samples", o.samples, "values of T")->check(CLI::Range(1, 4096));
    app.add_option("--repeats", o.repeats, "repetitions per measurement (median)")
        ->check(CLI::Range(1, 100));
    app.add_option("--width", o.width, "network width (channels of the first stage)")
        ->check(CLI::Range(4, 256));
    app.add_option("--classes", o.classes, "segmentation classes")->check(CLI::Range(2, 255));
    app.add_option("--dropout", o.dropout, "dropout rate p")->check(uvis::app::FiniteRange(0.0, 0.95));
    app.add_option("--threads", o.threads, "intra-op threads (0: LibTorch's default)")
        ->check(CLI::Range(0, 256));
    app.add_option("--device", o.device, "cpu or cuda");
    app.add_option("--json", o.jsonPath, "where to write the JSON results");
    app.add_flag("--chunks", o.chunks, "also measure engine time per chunk size at T=16");
    app.add_flag("--methods", o.methods,
                 "also time each uncertainty method at every T (mc, tta; with an ensemble --model also ensemble and "
                 "ensemble-mc)");
    app.add_flag("--skip-memory", o.skipMemory, "skip the peak-memory probes");
    app.add_flag("--verify", o.verify, "first check the engine's results on the device (same seed as the CPU, "
                                       "p = 0, chunking, finiteness); exit 1 if a check fails");
    app.add_flag("--verify-only", o.verifyOnly, "only the checks of --verify");
    app.add_flag("--precision", o.precision,
                 "also compare bf16 passes (autocast) with fp32 at T = 16: speed ratio and each map's relative error");
    app.add_option("--model", o.model, "time this model file (any uvis model; run at each --sizes) instead of the "
                                       "built-in network with random weights")
        ->check(CLI::ExistingFile);
    app.add_flag("--encoder-dropout", o.encoderDropout,
                 "the built-in network with dropout on its 1/8 encoder features too (what it costs)");
    app.add_flag("--startup", o.startup,
                 "only time how long each program takes to start (--version, --help, a refused image, a model's "
                 "check; --model, default the bundled demo model), beside empty programs linked alike");
    app.add_option("--image", o.image, "--startup: the PNG whose truncated copy is refused (default: a bundled sample)")
        ->check(CLI::ExistingFile);
    app.add_option("--video", o.video,
                   "only compare temporal sampling (--fresh) with full MC on this video: passes and ms per frame, "
                   "each frame's maps against full MC's, AUSE and ECE with --truth (--model, default the demo model)")
        ->check(CLI::ExistingFile);
    app.add_option("--truth", o.truth, "--video: the folder of per-frame ground truth `uvis-train render --video` wrote")
        ->check(CLI::ExistingDirectory);
    app.add_option("--video-frames", o.videoFrames, "--video: the first N frames (default 40)")->check(CLI::Range(2, 100000));
    app.add_flag("--temporal", o.temporal,
                 "also time temporal sampling per frame against full MC, at each --sizes, on a panning sequence whose "
                 "motion is known (no optical flow: it runs with the engine alone, on a GPU too)");
    app.add_option("--video-samples", o.videoSamples, "--video, --temporal: T (default 16)")->check(CLI::Range(2, 4096));
    app.add_option("--fresh", o.fresh, "--video, --temporal: the fresh samples per frame k to compare (default 1 2 4)")
        ->check(CLI::PositiveNumber);
    app.add_option("--memory-probe", o.memoryProbe)->group("");  // internal
    app.add_option("--probe-mode", o.probeMode)->group("");      // internal
    uvis::app::addVersionFlag(app, "uvis-bench");
}

// --startup, here in the front: it only starts processes, and LibTorch loaded here would be noise.
int runStartup(const Options& o) {
    const std::string resources = resourcesDirBeside(app::executableDir());
    const std::string model = o.model.empty() ? resources + "/models/uvis-street-demo.uvis" : o.model;
    const std::string image = o.image.empty() ? resources + "/samples/domainA/A_000000_rgb.png" : o.image;
    try {
        const nlohmann::json doc{{"startup", benchStartup(o.repeats, model, image)}};
        if (const std::string problem = writeJson(doc, o.jsonPath); !problem.empty()) {
            std::fprintf(stderr, "uvis-bench: %s\n", problem.c_str());
            return app::Failure;
        }
        std::printf("wrote %s\n", o.jsonPath.c_str());
        return app::Ok;
    } catch (const std::exception& e) {
        std::fprintf(stderr, "uvis-bench: %s\n", e.what());
        return app::Failure;
    }
}

}  // namespace
}  // namespace uvis::bench

int main(int argc, char** argv) {
    uvis::bench::Options o;
    CLI::App app{"uvis-bench: MC engine vs the naive loop of full forward passes"};
    uvis::bench::addOptions(app, o);
    if (const int exit = uvis::app::parseCommandLine(app, argc, argv); exit >= 0) return exit;
    if (o.startup) return uvis::bench::runStartup(o);
    if (!o.video.empty() && o.model.empty())
        o.model = uvis::resourcesDirBeside(uvis::app::executableDir()) + "/models/uvis-street-demo.uvis";
    return uvis::app::runWork("uvis-bench", argc, argv, &o);
}
