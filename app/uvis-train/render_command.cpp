// uvis-train render: a data set of stills, or one driving sequence as a video, with ground truth.

#include <cstdio>
#include <filesystem>
#include <iostream>

#include "commands.h"
#include "common/exit_codes.h"
#include "console_progress.h"
#include "core/training/dataset_render.h"

namespace uvis::train {

namespace fs = std::filesystem;

int runRender(const RenderArgs& a, const std::string& command) {
    int width = 0, height = 0;
    if (std::sscanf(a.size.c_str(), "%dx%d", &width, &height) != 2 || width < 16 || height < 16 || width > 4096 ||
        height > 4096) {
        std::cerr << "uvis-train: --size must be WxH, e.g. 256x192\n";
        return app::BadUsage;
    }
    if (a.domain != "A" && a.domain != "B") {
        std::cerr << "uvis-train: --domain must be A or B\n";
        return app::BadUsage;
    }
    std::error_code ec;
    fs::create_directories(a.out, ec);
    if (ec) {
        std::cerr << "uvis-train: " << a.out << ": cannot create the folder (" << ec.message() << ")\n";
        return app::Failure;
    }
    const synth::Domain domain = a.domain == "A" ? synth::Domain::A : synth::Domain::B;
    if (a.videoSeconds <= 0) {
        ConsoleProgress progress("render " + a.domain, a.quiet);
        StillDatasetOptions o{a.out, domain, a.count, a.seed, width, height, command};
        if (std::string e = renderStillDataset(o, [&](int d, int t) { progress.update(d, t); }); !e.empty()) {
            std::cerr << "uvis-train: " << e << "\n";
            return app::Failure;
        }
        progress.finish(a.out);
        return 0;
    }
    ConsoleProgress progress("render video", a.quiet);
    SequenceOptions o{a.out, domain, a.videoSeconds, a.fps, a.seed, width, height, a.frameTruth, command};
    if (std::string e = renderSequence(o, [&](int d, int t) { progress.update(d, t); }); !e.empty()) {
        std::cerr << "uvis-train: " << e << "\n";
        return app::Failure;
    }
    progress.finish(a.out + "/sequence.avi");
    return 0;
}

}  // namespace uvis::train
