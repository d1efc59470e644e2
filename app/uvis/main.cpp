// uvis: the desktop application.
//   uvis [--model MODEL] [FILE]
// With nothing given it opens the bundled demo model and a bundled sample, so that a first-time
// user sees it work at once. `uvis --check-model MODEL` (hidden) is the child process in which
// the application checks a user's model before loading it (core/services/sessions/model_guard.h).
// This is the front (common/work_library.h): the application itself is in work.cpp.

#include "common/command_line.h"
#include "common/work_library.h"
#include "core/types/uncertainty_method.h"
#include "options.h"

using namespace uvis;

namespace {

void defineOptions(CLI::App& cli, Options& o) {
    app::addVersionFlag(cli, "uvis");
    cli.add_option("file", o.file,
                   "An image or a video to open, or a data set: a folder (searched recursively) or a manifest "
                   "(.csv/.json) (default: a bundled sample)");
    cli.add_option("-m,--model", o.model, "Model file or ensemble card (default: the bundled demo ensemble)");
    cli.add_option("--settings", o.settingsFile,
                   "Read and write settings in this INI file instead of the user's (for reproducible screenshots)");
    cli.add_option("--screenshot", o.screenshot,
                   "When the first result is complete (and a data set's images scored, a video analysed), save a "
                   "picture of the window to this PNG and quit");
    cli.add_flag("--analyse-video", o.analyseVideo, "On a video: analyse the whole of it at once (Video → Analyse)");
    cli.add_option("--window-size", o.windowSize, "Window size WxH");
    cli.add_option("--show-dock", o.dock, "Bring a dock to the front: inspector, metrics, video_analysis or dataset");
    cli.add_option("--cache-dir", o.cacheDir,
                   "Keep data sets' per-image scores here (default: the user's cache folder; 64 MiB, oldest dropped)");
    cli.add_option("--threads", o.threads, "CPU threads for LibTorch and OpenCV (default: the settings' value, "
                                           "else the cores minus one)")
        ->check(CLI::Range(0, 1024));
    cli.add_option("--compare", o.compare, "Compare with a second configuration B (the A/B dock): a, b, both (side "
                                           "by side) or difference (B − A); B starts as A")
        ->check(CLI::IsMember({"a", "b", "both", "difference"}));
    cli.add_option("--compare-model", o.compareModel, "B's model (default: A's)")->needs("--compare");
    cli.add_option("--compare-method", o.compareMethod, "B's uncertainty method (" + methodNames() + ")")
        ->needs("--compare");
    cli.add_option("--check-model", o.checkModel)->group("");  // hidden: the model guard's child process
}

}  // namespace

int main(int argc, char** argv) {
    Options o;
    CLI::App cli{"uvis: see what a vision model does not know (Monte-Carlo dropout depth and segmentation with "
                 "aleatoric and epistemic uncertainty)."};
    defineOptions(cli, o);
    if (const int exit = app::parseCommandLine(cli, argc, argv); exit >= 0) return exit;
    return app::runWork("uvis", argc, argv, &o);
}
