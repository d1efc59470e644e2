#pragma once
// Scoring a model on a rendered test set: depth RMSE and abs-rel, segmentation mIoU and pixel
// accuracy, and the mean uncertainties the engine reports (the seed paper's table).

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "core/runtime/device.h"
#include "core/types/uncertainty_method.h"

namespace uvis {

class Model;

struct EvalOptions {
    UncertaintyMethod method = UncertaintyMethod::McDropout;
    int samples = 8;           // MC passes per image (ensemble: one per member)
    double dropout = -1.0;     // < 0: the method's default (the card's training rate for dropout)
    std::uint64_t seed = 1;
    DeviceKind device = DeviceKind::Cpu;
    int limit = 0;             // evaluate only the first `limit` images (0: all)
};

struct EvalMetrics {
    int images = 0;
    double rmse = 0, absRel = 0;            // metres; over pixels with 0 < depth < 80 m (not sky)
    double miou = 0, pixelAccuracy = 0;     // over labels ≠ 255; mIoU over classes present
    std::vector<double> classIoU;           // NaN where a class never occurs
    double meanAleatoricVar = 0;            // depth, m², over the same pixels as RMSE
    double meanEpistemicVar = 0;            // depth, m²
    // Scale-free (SPEC §5), over the same pixels: variance of log depth and relative σ (√ of it).
    double meanEpistemicLogVar = 0, meanAleatoricLogVar = 0;
    double meanEpistemicRelStd = 0, meanAleatoricRelStd = 0;
    double meanMutualInfo = 0;              // segmentation, nats, over all pixels
    double meanExpectedEntropy = 0;         // segmentation aleatoric, nats
};

struct EvalResult {
    EvalMetrics metrics;
    std::string error;
    bool ok() const { return error.empty(); }
};

// Ground truth comes from the data set: it must match the model's input size.
EvalResult evaluateModel(std::shared_ptr<Model> model, const std::string& dataDir, const EvalOptions& options,
                         const std::function<void(int done, int total)>& progress = {});

std::string metricsToJson(const EvalMetrics& metrics, const std::vector<std::string>& classNames);

}  // namespace uvis
