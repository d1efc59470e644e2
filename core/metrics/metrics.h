#pragma once
// Is the model right, and did it know when it was not? Metrics of a result against ground
// truth, shared by uvis-cli and the application. Plain types; each metric has a
// reference test on hand-computed data (tests/tst_metrics.cpp).
//
// Invalid ground-truth pixels are ignored: depth 0 or not finite, label 255.

#include <cstddef>
#include <optional>
#include <string>
#include <vector>

#include "core/types/maps.h"

namespace uvis {

// Sparsification (Ilg et al. 2018; Poggi et al. 2020): remove the pixels the model is most
// uncertain about, 2 % at a time (50 steps), and recompute the error on what is left. The
// oracle removes the pixels with the largest true error first. AUSE = area(model) −
// area(oracle); AURG = error of all pixels − area(model) (a random order leaves the curve
// flat). Curves have 51 points, fractions 0, 0.02, …, 1 (the last one 0), trapezoidal areas.
struct SparsificationCurve {
    std::vector<double> fraction, model, oracle;
    double ause = 0, aurg = 0;
};

// The counts and sums every depth metric but the sparsification curves is a function of: added
// over images (a data set, shards of one) they give the pooled metrics exactly — never an
// average of averages.
struct DepthSums {
    std::size_t pixels = 0, delta1 = 0, within50 = 0, within68 = 0, within95 = 0;
    double squaredError = 0, relativeError = 0, nll = 0;
    void add(const DepthSums& o);
};

struct DepthMetrics {
    DepthSums sums;
    std::size_t validPixels = 0;
    double rmse = 0, absRel = 0, delta1 = 0;
    double nll = 0;  // Gaussian NLL of N(μ̄, aleatoric + epistemic variance), nats per pixel
    SparsificationCurve rmseCurve, absRelCurve;
    // Observed fraction of ground truth inside the central 50/68/95 % predictive intervals.
    double coverage50 = 0, coverage68 = 0, coverage95 = 0;
};

struct ReliabilityBin {
    double lower = 0, upper = 0;
    double confidence = 0, accuracy = 0;  // means over the bin (0 when empty)
    std::size_t count = 0;
};

// As DepthSums, for segmentation: per class intersection and union (mIoU), reliability bins,
// and the share of "wrong and confident" pixels (misclassified at p̄ ≥ kConfidentWrong).
constexpr double kConfidentWrong = 0.9;
struct SegmentationSums {
    std::size_t pixels = 0, correct = 0, wrongConfident = 0;
    double nll = 0, brier = 0;
    std::vector<std::size_t> intersection, unionCount;  // per class
    std::vector<std::size_t> binCount;                  // per confidence bin
    std::vector<double> binConfidence, binCorrect;
    void add(const SegmentationSums& o);  // same class and bin counts, or `this` empty
};

struct SegmentationMetrics {
    SegmentationSums sums;
    std::size_t validPixels = 0;
    double miou = 0, pixelAccuracy = 0;
    std::vector<double> classIou;  // NaN for classes in neither prediction nor truth
    double ece = 0;                // 15 equal-width confidence bins
    std::vector<ReliabilityBin> reliability;
    double nll = 0;                // −log p̄(true class), nats per pixel
    double brier = 0;              // Σ_k (p̄_k − [k = true])², per pixel
    double aurocError = 0;         // AUROC of the uncertainty for "this pixel is misclassified"
    std::string aurocMeasure;      // which uncertainty that was
    double wrongConfident = 0;     // share of pixels misclassified with p̄ ≥ kConfidentWrong
};

// The metrics that follow from the sums (no curves, no AUROC: those need every pixel). The one
// place each formula lives, for one image and for a pooled data set.
DepthMetrics depthFromSums(const DepthSums& sums);
SegmentationMetrics segmentationFromSums(const SegmentationSums& sums);

// Per-pixel inputs at one size. `uncertainty` ranks pixels for sparsification (any monotone
// measure; the predictive σ by default).
std::optional<DepthMetrics> depthMetrics(const FloatMap& mean, const FloatMap& variance, const FloatMap& uncertainty,
                                         const FloatMap& truth);

// `probabilities` is p̄ as [K, H, W]; `uncertainty` ranks pixels for the misclassification AUROC.
std::optional<SegmentationMetrics> segmentationMetrics(const ClassMap& predicted, const std::vector<float>& probabilities,
                                                       int classCount, const FloatMap& uncertainty,
                                                       const ClassMap& truth, int eceBins = 15);

// Area under the ROC curve of `scores` for telling positives from negatives (ties count half):
// the probability that a random positive scores higher than a random negative. NaN when
// either class is empty.
double auroc(const std::vector<float>& scores, const std::vector<bool>& positive);

// Sparsification of `error` (per pixel, ≥ 0) ordered by `uncertainty`; `reduce` turns the kept
// errors into the metric (mean, or root of the mean for RMSE of squared errors).
SparsificationCurve sparsification(const std::vector<double>& error, const std::vector<float>& uncertainty,
                                   bool rootOfMean, int steps = 50);

// Both, from one result: depth against the predictive variance (aleatoric + epistemic) ranked by
// the predictive σ; segmentation with the predictive entropy as the misclassification score.
struct MetricsReport {
    std::optional<DepthMetrics> depth;
    std::optional<SegmentationMetrics> segmentation;
    std::vector<std::string> notes;  // why a part is missing
    bool empty() const { return !depth && !segmentation; }
};
MetricsReport evaluateMaps(const UncertaintyMaps& maps, const FloatMap* depthTruth, const ClassMap* labelTruth);

// The summary.json object: {"depth": {...}, "segmentation": {...}}.
std::string metricsJson(const MetricsReport& report);
// CSV numbers of the plots: fraction,model_rmse,oracle_rmse,model_abs_rel,oracle_abs_rel and
// lower,upper,confidence,accuracy,count.
std::string sparsificationCsv(const DepthMetrics& depth);
std::string reliabilityCsv(const SegmentationMetrics& seg);

// Out-of-distribution check: how well a per-image score (mean epistemic uncertainty) separates
// out-of-distribution images (positives) from in-distribution ones.
double oodAuroc(const std::vector<float>& inDistribution, const std::vector<float>& outOfDistribution);

}  // namespace uvis
