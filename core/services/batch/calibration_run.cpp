#include "core/services/batch/calibration_run.h"

#include <QDateTime>

#include <algorithm>
#include <cmath>
#include <random>

#include "core/calibration/calibration_fit.h"
#include "core/engine/preprocess.h"

namespace uvis {
namespace {

// The truth pixel nearest to the centre of model pixel (x, y) of a W × H plane.
std::size_t truthIndex(int x, int y, int W, int H, int tw, int th) {
    const int tx = std::min(tw - 1, static_cast<int>((x + 0.5) * tw / W));
    const int ty = std::min(th - 1, static_cast<int>((y + 0.5) * th / H));
    return static_cast<std::size_t>(ty) * tw + tx;
}

bool validDepth(const FloatMap& d, std::size_t i) { return std::isfinite(d.values[i]) && d.values[i] > 0.f; }

// Adds one fit image's probes: segmentation where the label is known, depth where the depth is.
void collectProbes(const SamplingResult& r, const std::vector<int>& pixels, const GroundTruth& truth, int W, int H,
                   SegmentationProbes* seg, DepthProbes* depth) {
    const PassProbes& p = r.probes;
    const std::size_t P = pixels.size();
    const int T = p.passes;
    if (T == 0) return;
    for (std::size_t j = 0; j < P; ++j) {
        const int x = pixels[j] % W, y = pixels[j] / W;
        if (!truth.labels.empty() && p.classes > 0) {
            const int label = truth.labels.values[truthIndex(x, y, W, H, truth.labels.width, truth.labels.height)];
            if (label != kIgnoreLabel && label < p.classes) {
                seg->classes = p.classes;
                seg->passes = T;
                for (int t = 0; t < T; ++t) {
                    const float* f = &p.segLogits[(static_cast<std::size_t>(t) * P + j) * p.classes];
                    seg->logits.insert(seg->logits.end(), f, f + p.classes);
                }
                seg->labels.push_back(label);
            }
        }
        if (!truth.depth.empty() && !p.depthMean.empty()) {
            const std::size_t ti = truthIndex(x, y, W, H, truth.depth.width, truth.depth.height);
            if (!validDepth(truth.depth, ti)) continue;
            // SPEC §2 at this pixel: μ̄, aleatoric mean of exp(s_t), epistemic population variance.
            double mean = 0, m2 = 0, aleatoric = 0;
            for (int t = 0; t < T; ++t) {
                const double mu = p.depthMean[static_cast<std::size_t>(t) * P + j];
                const double delta = mu - mean;
                mean += delta / (t + 1);
                m2 += delta * (mu - mean);
                if (!p.depthLogVar.empty()) aleatoric += std::exp(double(p.depthLogVar[static_cast<std::size_t>(t) * P + j])) / T;
            }
            depth->mean.push_back(mean);
            depth->variance.push_back(aleatoric + m2 / T);
            depth->truth.push_back(truth.depth.values[ti]);
        }
    }
}

// Up to `count` model pixels whose truth is known, drawn without replacement.
std::vector<int> probePixels(const GroundTruth& truth, int W, int H, int count, std::uint64_t seed) {
    std::vector<int> valid;
    for (int y = 0; y < H; ++y)
        for (int x = 0; x < W; ++x) {
            bool ok = false;
            if (!truth.labels.empty())
                ok = truth.labels.values[truthIndex(x, y, W, H, truth.labels.width, truth.labels.height)] != kIgnoreLabel;
            if (!ok && !truth.depth.empty())
                ok = validDepth(truth.depth, truthIndex(x, y, W, H, truth.depth.width, truth.depth.height));
            if (ok) valid.push_back(y * W + x);
        }
    std::mt19937_64 rng(seed);
    std::shuffle(valid.begin(), valid.end(), rng);
    if (static_cast<int>(valid.size()) > count) valid.resize(count);
    std::sort(valid.begin(), valid.end());
    return valid;
}

CalibrationQuality qualityOf(const DepthSums& depth, const SegmentationSums& seg) {
    CalibrationQuality q;
    if (depth.pixels > 0) {
        const DepthMetrics d = depthFromSums(depth);
        q.depthNll = d.nll;
        q.coverage95 = d.coverage95;
        q.depthPixels = depth.pixels;
    }
    if (seg.pixels > 0) {
        const SegmentationMetrics s = segmentationFromSums(seg);
        q.segNll = s.nll;
        q.ece = s.ece;
        q.segPixels = seg.pixels;
    }
    return q;
}

}  // namespace

CalibrationRun fitCalibration(UncertaintyEngine& engine, const ModelCard& card, const CalibrationOptions& o,
                              const std::function<bool(int, int)>& progress) {
    CalibrationRun run;
    const DatasetInputs inputs = collectDatasetInputs({o.data});
    for (const auto& e : inputs.errors) run.warnings.push_back(e);
    std::vector<PreparedInput> images;
    for (const DatasetInput& in : inputs.inputs) {
        if (in.video) continue;
        PreparedInput p = prepareInput(in, card, o.limits);
        if (!p.error.empty()) run.warnings.push_back(p.error);
        else if (!p.truth.any()) run.warnings.push_back(in.path + ": no ground truth found: not used");
        else images.push_back(std::move(p));
    }
    if (images.size() < 2) {
        run.error = o.data + ": calibration needs at least two images with ground truth (one to fit, one to check); found " +
                    std::to_string(images.size());
        return run;
    }
    const int n = static_cast<int>(images.size());
    const int total = (n + 1) / 2 + 2 * (n / 2);  // one run per fit image, two per check image
    int done = 0;
    auto step = [&] { return !progress || progress(++done, total); };

    SegmentationProbes seg;
    DepthProbes depth;
    SamplingSettings fitSettings = o.settings;
    fitSettings.calibration = Calibration{};
    for (std::size_t i = 0; i < images.size(); i += 2) {
        const ImageTensor input = toModelInput(images[i].image.image, card.input);
        fitSettings.probePixels = probePixels(images[i].truth, input.width, input.height, o.probesPerImage,
                                              o.settings.seed + i);
        const SamplingResult r = engine.run(input, fitSettings);
        if (!r.ok()) {
            run.error = images[i].input.path + ": " + r.error;
            return run;
        }
        collectProbes(r, fitSettings.probePixels, images[i].truth, input.width, input.height, &seg, &depth);
        ++run.record.fitImages;
        if (!step()) {
            run.cancelled = true;
            return run;
        }
    }
    Calibration fitted;
    fitted.temperature = fitTemperature(seg);
    fitted.depthVarianceScale = fitVarianceScale(depth);
    run.record.calibration = fitted;
    run.record.fitPixels = std::max(seg.pixels(), depth.pixels());
    run.record.segmentation = seg.pixels() > 0;
    run.record.depth = depth.pixels() > 0;

    // The check: the product's own maps and metrics, without and with the fit.
    DepthSums depthBefore, depthAfter;
    SegmentationSums segBefore, segAfter;
    for (std::size_t i = 1; i < images.size(); i += 2) {
        for (bool calibrated : {false, true}) {
            SamplingSettings s = o.settings;
            s.probePixels.clear();
            s.calibration = calibrated ? fitted : Calibration{};
            ScoredInput scored = scoreInput(images[i], engine, card, s);
            if (!scored.error.empty()) {
                run.error = scored.error;
                return run;
            }
            if (scored.metrics.depth) (calibrated ? depthAfter : depthBefore).add(scored.metrics.depth->sums);
            if (scored.metrics.segmentation) (calibrated ? segAfter : segBefore).add(scored.metrics.segmentation->sums);
        }
        ++run.record.checkImages;
        if (!step() || !step()) {
            run.cancelled = true;
            return run;
        }
    }
    run.record.before = qualityOf(depthBefore, segBefore);
    run.record.after = qualityOf(depthAfter, segAfter);
    run.record.method = methodName(o.settings.method);
    run.record.samples = o.settings.samples;
    run.record.dropout = o.settings.dropout;
    run.record.seed = o.settings.seed;
    run.record.data = o.data;
    run.record.created = QDateTime::currentDateTimeUtc().toString(Qt::ISODate).toStdString();
    return run;
}

}  // namespace uvis
