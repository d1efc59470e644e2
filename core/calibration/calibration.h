#pragma once
// Post-hoc calibration (SPEC §2): a temperature τ for the segmentation logits of every pass and a
// scale c for the depth predictive variance (aleatoric and epistemic both), fitted by
// `uvis-cli calibrate` on held-out data with ground truth and stored beside the model as
// `<model>.calibration.json`, one entry per method; the model itself is never changed.
// Public: standard types only.

#include <cstdint>
#include <map>
#include <string>

namespace uvis {

// The ranges a calibration may take: beyond them the softmax or the variances overflow, and no
// fit on real data lands there (a file that says so is damaged or hostile).
constexpr double kMinTemperature = 0.01, kMaxTemperature = 100.0;
constexpr double kMinVarianceScale = 1e-6, kMaxVarianceScale = 1e6;

struct Calibration {
    double temperature = 1.0;         // τ > 0: softmax(f_t / τ)
    double depthVarianceScale = 1.0;  // c > 0: predictive variance × c
    bool identity() const { return temperature == 1.0 && depthVarianceScale == 1.0; }
    // Finite and within the ranges above.
    bool valid() const {
        return temperature >= kMinTemperature && temperature <= kMaxTemperature &&
               depthVarianceScale >= kMinVarianceScale && depthVarianceScale <= kMaxVarianceScale;
    }
};

// What a fit measured on the held-out check images, before or after.
struct CalibrationQuality {
    double segNll = 0, ece = 0;             // nats per pixel; 15-bin ECE
    double depthNll = 0, coverage95 = 0;    // nats per pixel; share inside the central 95 % interval
    std::size_t segPixels = 0, depthPixels = 0;
};

// One method's fit, as the file records it.
struct CalibrationRecord {
    Calibration calibration;
    std::string method;
    int samples = 0;
    double dropout = 0;
    std::uint64_t seed = 0;
    std::string data;         // the calibration folder
    int fitImages = 0, checkImages = 0;
    std::size_t fitPixels = 0;
    bool segmentation = false, depth = false;  // which part was fitted (the truth had it)
    CalibrationQuality before, after;
    std::string created;      // ISO date and time
};

struct CalibrationFile {
    std::map<std::string, CalibrationRecord> methods;  // by method name (mc, ensemble, ...)
    std::string error;  // names the file and the problem; empty when read (or absent)
};

// "calibrated: τ 2.45, depth σ² × 55.4" (only the parts that differ from 1); empty for none.
// Legends, view titles, the inspector and the dock say it in these words.
std::string calibrationText(double temperature, double depthVarianceScale);

// `<model>.calibration.json` beside a model file or an ensemble card; for an ensemble folder,
// `<folder>.calibration.json` beside the folder.
std::string calibrationPath(const std::string& modelPath);

// The file at `path`; no file is an empty CalibrationFile without error.
CalibrationFile readCalibration(const std::string& path);
std::string calibrationJson(const CalibrationFile& file);

}  // namespace uvis
