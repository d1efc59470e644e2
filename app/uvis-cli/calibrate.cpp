// uvis-cli calibrate, and the calibration every run applies (SPEC §2).

#include <cmath>
#include <cstdio>

#include "cli_options.h"
#include "stop_signal.h"
#include "core/io/atomic_file.h"
#include "core/services/batch/calibration_run.h"

namespace uvis::cli {
namespace {


void printQuality(const char* when, const CalibrationQuality& q) {
    std::printf("  %-7s", when);
    if (q.segPixels > 0) std::printf("  segmentation: NLL %.4f nats, ECE %.4f", q.segNll, q.ece);
    if (q.depthPixels > 0) std::printf("  depth: NLL %.4f nats, 95 %% coverage %.3f", q.depthNll, q.coverage95);
    std::printf("\n");
}

}  // namespace

int runSettings(const InferOptions& o, const ModelCard& card, SamplingSettings* settings) {
    *settings = o.settings;
    if (!o.dropoutGiven) settings->dropout = defaultDropout(settings->method, card.trainDropout);
    if (!o.calibrate) return -1;
    const std::string path = calibrationPath(o.model.toStdString());
    const CalibrationFile file = readCalibration(path);
    if (!file.error.empty()) {
        std::fprintf(stderr, "uvis-cli: %s (run again with --no-calibration to ignore it)\n", file.error.c_str());
        return BadModel;
    }
    const auto entry = file.methods.find(methodName(settings->method));
    if (entry == file.methods.end()) return -1;
    settings->calibration = entry->second.calibration;
    if (!o.quiet)
        std::fprintf(stderr, "uvis-cli: calibrated: τ = %.4g, depth variance × %.4g (%s; --no-calibration to turn off)\n",
                     settings->calibration.temperature, settings->calibration.depthVarianceScale, path.c_str());
    return -1;
}

int runCalibrate(const InferOptions& o, const std::string& data, int probesPerImage) {
    stopOnSignals();
    LoadedModel loaded;
    if (const int exit = loadRunModel(o, &loaded); exit >= 0) return exit;
    const ModelCard& card = modelCard(*loaded.model);
    InferOptions uncalibrated = o;
    uncalibrated.calibrate = false;  // a fit starts from the model's own numbers
    CalibrationOptions co;
    if (const int exit = runSettings(uncalibrated, card, &co.settings); exit >= 0) return exit;
    co.data = data;
    co.limits.maxPixels = o.maxPixels;
    co.probesPerImage = probesPerImage;

    // Refuse before the work if the file there cannot be kept up to date.
    const std::string path = calibrationPath(o.model.toStdString());
    CalibrationFile file = readCalibration(path);
    if (!file.error.empty()) {
        std::fprintf(stderr, "uvis-cli: %s: move it away, calibrate writes this file\n", file.error.c_str());
        return BadInput;
    }
    UncertaintyEngine engine(loaded.model);
    const CalibrationRun run = fitCalibration(engine, card, co, [&](int done, int total) {
        if (!o.quiet) std::fprintf(stderr, "\r  calibrate: %d of %d runs", done, total);
        return !stopRequested();
    });
    if (!o.quiet) std::fprintf(stderr, "\n");
    for (const std::string& w : run.warnings) std::fprintf(stderr, "uvis-cli: %s\n", w.c_str());
    if (run.cancelled) {
        std::fprintf(stderr, "uvis-cli: calibrate stopped: %s unchanged\n", path.c_str());
        return Failure;
    }
    if (!run.error.empty()) {
        std::fprintf(stderr, "uvis-cli: %s\n", run.error.c_str());
        return BadInput;
    }
    file.methods[run.record.method] = run.record;
    if (std::string e = writeFileAtomically(path, calibrationJson(file)); !e.empty()) {
        std::fprintf(stderr, "uvis-cli: %s\n", e.c_str());
        return Failure;
    }
    const Calibration& c = run.record.calibration;
    std::printf("%s, method %s, T = %d, p = %.3g: %d images fit, %d check\n", card.name.c_str(),
                run.record.method.c_str(), run.record.samples, run.record.dropout, run.record.fitImages,
                run.record.checkImages);
    if (run.record.segmentation) std::printf("  temperature τ = %.4f\n", c.temperature);
    if (run.record.depth) std::printf("  depth variance scale c = %.4f (σ × %.4f)\n", c.depthVarianceScale,
                                      std::sqrt(c.depthVarianceScale));
    printQuality("before", run.record.before);
    printQuality("after", run.record.after);
    std::printf("wrote %s\n", path.c_str());
    return Ok;
}

}  // namespace uvis::cli
