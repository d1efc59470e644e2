#include "core/metrics/metrics.h"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cmath>
#include <numeric>

#include "core/imaging/resample.h"
#include "core/types/json_document.h"

namespace uvis {
namespace {

using nlohmann::json;

double trapezoid(const std::vector<double>& x, const std::vector<double>& y) {
    double area = 0;
    for (size_t i = 1; i < x.size(); ++i) area += (x[i] - x[i - 1]) * (y[i] + y[i - 1]) / 2;
    return area;
}

// The curve of the metric over the pixels left after removing the first ones in `order`.
std::vector<double> curveFor(const std::vector<double>& error, const std::vector<size_t>& order, bool rootOfMean,
                             int steps) {
    const size_t n = order.size();
    // Suffix sums in removal order: what is left after removing the first k.
    std::vector<double> suffix(n + 1, 0.0);
    for (size_t k = n; k-- > 0;) suffix[k] = suffix[k + 1] + error[order[k]];
    std::vector<double> curve;
    for (int t = 0; t < steps; ++t) {
        const size_t removed = static_cast<size_t>(std::floor(static_cast<double>(t) * n / steps));
        const double mean = suffix[removed] / static_cast<double>(n - removed);
        curve.push_back(rootOfMean ? std::sqrt(mean) : mean);
    }
    curve.push_back(0.0);  // everything removed
    return curve;
}

FloatMap sized(const FloatMap& m, int w, int h) { return m.width == w && m.height == h ? m : resizeBilinear(m, w, h); }

json number(double v) { return std::isfinite(v) ? json(v) : json(nullptr); }

constexpr double kZ50 = 0.6744897501960817, kZ68 = 0.9944578832097497, kZ95 = 1.959963984540054;

}  // namespace

double auroc(const std::vector<float>& scores, const std::vector<bool>& positive) {
    const size_t n = scores.size();
    std::vector<size_t> order(n);
    std::iota(order.begin(), order.end(), 0);
    std::sort(order.begin(), order.end(), [&](size_t a, size_t b) { return scores[a] < scores[b]; });
    double positiveRanks = 0;
    size_t positives = 0;
    for (size_t i = 0; i < n;) {
        size_t j = i;
        while (j < n && scores[order[j]] == scores[order[i]]) ++j;
        const double rank = (static_cast<double>(i + 1) + static_cast<double>(j)) / 2;  // ties share the mean rank
        for (size_t k = i; k < j; ++k)
            if (positive[order[k]]) {
                positiveRanks += rank;
                ++positives;
            }
        i = j;
    }
    const size_t negatives = n - positives;
    if (positives == 0 || negatives == 0) return std::nan("");
    return (positiveRanks - static_cast<double>(positives) * (positives + 1) / 2) /
           (static_cast<double>(positives) * static_cast<double>(negatives));
}

SparsificationCurve sparsification(const std::vector<double>& error, const std::vector<float>& uncertainty,
                                   bool rootOfMean, int steps) {
    SparsificationCurve c;
    const size_t n = error.size();
    if (n == 0) return c;
    for (int t = 0; t <= steps; ++t) c.fraction.push_back(static_cast<double>(t) / steps);
    std::vector<size_t> byUncertainty(n), byError(n);
    std::iota(byUncertainty.begin(), byUncertainty.end(), 0);
    std::iota(byError.begin(), byError.end(), 0);
    std::stable_sort(byUncertainty.begin(), byUncertainty.end(),
                     [&](size_t a, size_t b) { return uncertainty[a] > uncertainty[b]; });
    std::stable_sort(byError.begin(), byError.end(), [&](size_t a, size_t b) { return error[a] > error[b]; });
    c.model = curveFor(error, byUncertainty, rootOfMean, steps);
    c.oracle = curveFor(error, byError, rootOfMean, steps);
    c.ause = trapezoid(c.fraction, c.model) - trapezoid(c.fraction, c.oracle);
    c.aurg = c.model.front() - trapezoid(c.fraction, c.model);  // a random order: flat at the full error
    return c;
}

void DepthSums::add(const DepthSums& o) {
    pixels += o.pixels;
    delta1 += o.delta1;
    within50 += o.within50;
    within68 += o.within68;
    within95 += o.within95;
    squaredError += o.squaredError;
    relativeError += o.relativeError;
    nll += o.nll;
}

namespace {
template <typename T>
void addEach(std::vector<T>* to, const std::vector<T>& from) {
    if (to->empty()) to->assign(from.size(), T{});
    for (size_t i = 0; i < std::min(to->size(), from.size()); ++i) (*to)[i] += from[i];
}
}  // namespace

void SegmentationSums::add(const SegmentationSums& o) {
    pixels += o.pixels;
    correct += o.correct;
    wrongConfident += o.wrongConfident;
    nll += o.nll;
    brier += o.brier;
    addEach(&intersection, o.intersection);
    addEach(&unionCount, o.unionCount);
    addEach(&binCount, o.binCount);
    addEach(&binConfidence, o.binConfidence);
    addEach(&binCorrect, o.binCorrect);
}

DepthMetrics depthFromSums(const DepthSums& sums) {
    DepthMetrics m;
    m.sums = sums;
    const double n = static_cast<double>(sums.pixels);
    m.validPixels = sums.pixels;
    if (sums.pixels == 0) return m;
    m.rmse = std::sqrt(sums.squaredError / n);
    m.absRel = sums.relativeError / n;
    m.delta1 = static_cast<double>(sums.delta1) / n;
    m.nll = sums.nll / n;
    m.coverage50 = static_cast<double>(sums.within50) / n;
    m.coverage68 = static_cast<double>(sums.within68) / n;
    m.coverage95 = static_cast<double>(sums.within95) / n;
    return m;
}

SegmentationMetrics segmentationFromSums(const SegmentationSums& sums) {
    SegmentationMetrics s;
    s.sums = sums;
    const double n = static_cast<double>(sums.pixels);
    s.validPixels = sums.pixels;
    if (sums.pixels == 0) return s;
    s.pixelAccuracy = static_cast<double>(sums.correct) / n;
    s.wrongConfident = static_cast<double>(sums.wrongConfident) / n;
    double iouSum = 0;
    int present = 0;
    for (size_t c = 0; c < sums.unionCount.size(); ++c) {
        if (sums.unionCount[c] == 0) {
            s.classIou.push_back(std::nan(""));
            continue;
        }
        s.classIou.push_back(static_cast<double>(sums.intersection[c]) / sums.unionCount[c]);
        iouSum += s.classIou.back();
        ++present;
    }
    s.miou = present ? iouSum / present : 0.0;
    const int bins = static_cast<int>(sums.binCount.size());
    for (int b = 0; b < bins; ++b) {
        ReliabilityBin bin{static_cast<double>(b) / bins, static_cast<double>(b + 1) / bins, 0, 0, sums.binCount[b]};
        if (sums.binCount[b]) {
            bin.confidence = sums.binConfidence[b] / sums.binCount[b];
            bin.accuracy = sums.binCorrect[b] / sums.binCount[b];
            s.ece += static_cast<double>(sums.binCount[b]) / n * std::abs(bin.accuracy - bin.confidence);
        }
        s.reliability.push_back(bin);
    }
    s.nll = sums.nll / n;
    s.brier = sums.brier / n;
    return s;
}

std::optional<DepthMetrics> depthMetrics(const FloatMap& mean, const FloatMap& variance, const FloatMap& uncertainty,
                                         const FloatMap& truth) {
    if (truth.empty() || mean.values.size() != truth.values.size() || variance.values.size() != truth.values.size() ||
        uncertainty.values.size() != truth.values.size())
        return std::nullopt;
    DepthSums sums;
    std::vector<double> squared, relative;
    std::vector<float> ranking;
    for (size_t i = 0; i < truth.values.size(); ++i) {
        const double y = truth.values[i], mu = mean.values[i];
        if (!std::isfinite(y) || y <= 0 || !std::isfinite(mu) || !std::isfinite(variance.values[i]) ||
            !std::isfinite(uncertainty.values[i]))
            continue;
        const double e = mu - y, var = std::max(static_cast<double>(variance.values[i]), 1e-6), sigma = std::sqrt(var);
        squared.push_back(e * e);
        relative.push_back(std::abs(e) / y);
        ranking.push_back(uncertainty.values[i]);
        sums.squaredError += e * e;
        sums.relativeError += std::abs(e) / y;
        sums.nll += 0.5 * std::log(2 * M_PI * var) + e * e / (2 * var);
        if (mu > 0 && std::max(mu / y, y / mu) < 1.25) ++sums.delta1;
        sums.within50 += std::abs(e) <= kZ50 * sigma;
        sums.within68 += std::abs(e) <= kZ68 * sigma;
        sums.within95 += std::abs(e) <= kZ95 * sigma;
    }
    sums.pixels = squared.size();
    if (sums.pixels == 0) return std::nullopt;
    DepthMetrics m = depthFromSums(sums);
    m.rmseCurve = sparsification(squared, ranking, /*rootOfMean=*/true);
    m.absRelCurve = sparsification(relative, ranking, /*rootOfMean=*/false);
    return m;
}

std::optional<SegmentationMetrics> segmentationMetrics(const ClassMap& predicted, const std::vector<float>& probabilities,
                                                       int classCount, const FloatMap& uncertainty,
                                                       const ClassMap& truth, int eceBins) {
    const size_t plane = truth.values.size();
    if (truth.empty() || classCount <= 0 || predicted.values.size() != plane ||
        probabilities.size() != plane * classCount || uncertainty.values.size() != plane)
        return std::nullopt;
    SegmentationSums sums;
    sums.intersection.assign(classCount, 0);
    sums.unionCount.assign(classCount, 0);
    sums.binCount.assign(eceBins, 0);
    sums.binConfidence.assign(eceBins, 0);
    sums.binCorrect.assign(eceBins, 0);
    std::vector<float> scores;
    std::vector<bool> wrong;
    for (size_t i = 0; i < plane; ++i) {
        const int y = truth.values[i];
        if (y == kIgnoreLabel || y >= classCount) continue;
        const int k = predicted.values[i];
        const bool right = k == y;
        sums.correct += right;
        ++sums.unionCount[y];
        if (right) ++sums.intersection[y];
        else if (k < classCount) ++sums.unionCount[k];
        const double confidence = k < classCount ? probabilities[k * plane + i] : 0.0;
        const int b = std::clamp(static_cast<int>(confidence * eceBins), 0, eceBins - 1);
        sums.binConfidence[b] += confidence;
        sums.binCorrect[b] += right;
        ++sums.binCount[b];
        sums.wrongConfident += !right && confidence >= kConfidentWrong;
        sums.nll -= std::log(std::max(static_cast<double>(probabilities[y * plane + i]), 1e-12));
        for (int c = 0; c < classCount; ++c) {
            const double d = probabilities[c * plane + i] - (c == y ? 1.0 : 0.0);
            sums.brier += d * d;
        }
        scores.push_back(uncertainty.values[i]);
        wrong.push_back(!right);
    }
    sums.pixels = scores.size();
    if (sums.pixels == 0) return std::nullopt;
    SegmentationMetrics s = segmentationFromSums(sums);
    s.aurocError = auroc(scores, wrong);
    return s;
}

MetricsReport evaluateMaps(const UncertaintyMaps& maps, const FloatMap* depthTruth, const ClassMap* labelTruth) {
    MetricsReport r;
    if (depthTruth && !depthTruth->empty()) {
        if (!maps.hasDepth) {
            r.notes.push_back("the model predicts no depth: depth ground truth unused");
        } else {
            const int w = depthTruth->width, h = depthTruth->height;
            // Maps come at the model's size; metrics are computed at the ground truth's.
            const FloatMap mean = sized(maps.depthMean, w, h);
            FloatMap variance = sized(depthPredictiveVariance(maps), w, h);
            if (maps.depthAleatoricVar.empty())
                r.notes.push_back("the model predicts no depth variance: NLL, coverage and sparsification use the "
                                  "epistemic variance alone");
            FloatMap sigma = variance;
            for (float& v : sigma.values) v = std::sqrt(std::max(v, 0.f));
            r.depth = depthMetrics(mean, variance, sigma, *depthTruth);
            if (!r.depth) r.notes.push_back("the depth ground truth has no valid pixel");
        }
    }
    if (labelTruth && !labelTruth->empty()) {
        if (!maps.hasSegmentation) {
            r.notes.push_back("the model predicts no segmentation: label ground truth unused");
        } else {
            const int w = labelTruth->width, h = labelTruth->height;
            const ClassMap predicted = maps.segClass.width == w && maps.segClass.height == h
                                           ? maps.segClass
                                           : resizeNearest(maps.segClass, w, h);
            std::vector<float> probabilities;
            const size_t plane = static_cast<size_t>(maps.segClass.width) * maps.segClass.height;
            for (int k = 0; k < maps.classCount && maps.segMeanProbabilities.size() == plane * maps.classCount; ++k) {
                FloatMap p{maps.segClass.width, maps.segClass.height,
                           std::vector<float>(maps.segMeanProbabilities.begin() + k * plane,
                                              maps.segMeanProbabilities.begin() + (k + 1) * plane)};
                const FloatMap ps = sized(p, w, h);
                probabilities.insert(probabilities.end(), ps.values.begin(), ps.values.end());
            }
            r.segmentation = segmentationMetrics(predicted, probabilities, maps.classCount, sized(maps.segEntropy, w, h),
                                                 *labelTruth);
            if (r.segmentation) r.segmentation->aurocMeasure = "predictive entropy";
            else r.notes.push_back("the label ground truth has no valid pixel, or the model gave no class probabilities");
        }
    }
    return r;
}

std::string metricsJson(const MetricsReport& r) {
    json doc = json::object();
    if (r.depth) {
        const DepthMetrics& d = *r.depth;
        doc["depth"] = {{"rmse", number(d.rmse)},
                        {"abs_rel", number(d.absRel)},
                        {"delta1", number(d.delta1)},
                        {"nll", number(d.nll)},
                        {"ause_rmse", number(d.rmseCurve.ause)},
                        {"ause_abs_rel", number(d.absRelCurve.ause)},
                        {"aurg_rmse", number(d.rmseCurve.aurg)},
                        {"aurg_abs_rel", number(d.absRelCurve.aurg)},
                        {"coverage_50", number(d.coverage50)},
                        {"coverage_68", number(d.coverage68)},
                        {"coverage_95", number(d.coverage95)},
                        {"valid_pixels", d.validPixels},
                        {"uncertainty", "predictive σ (aleatoric + epistemic)"}};
    }
    if (r.segmentation) {
        const SegmentationMetrics& s = *r.segmentation;
        json iou = json::array();
        for (double v : s.classIou) iou.push_back(number(v));
        doc["segmentation"] = {{"miou", number(s.miou)},
                               {"pixel_accuracy", number(s.pixelAccuracy)},
                               {"ece", number(s.ece)},
                               {"nll", number(s.nll)},
                               {"brier", number(s.brier)},
                               {"auroc_error", number(s.aurocError)},
                               {"auroc_measure", s.aurocMeasure},
                               {"class_iou", iou},
                               {"wrong_confident", number(s.wrongConfident)},
                               {"ece_bins", s.reliability.size()},
                               {"valid_pixels", s.validPixels}};
    }
    if (!r.notes.empty()) doc["notes"] = r.notes;
    return jsonText(doc, 2);
}

std::string sparsificationCsv(const DepthMetrics& d) {
    std::string csv = "fraction_removed,model_rmse,oracle_rmse,model_abs_rel,oracle_abs_rel\n";
    char line[160];
    for (size_t i = 0; i < d.rmseCurve.fraction.size(); ++i) {
        std::snprintf(line, sizeof line, "%.2f,%.6g,%.6g,%.6g,%.6g\n", d.rmseCurve.fraction[i], d.rmseCurve.model[i],
                      d.rmseCurve.oracle[i], d.absRelCurve.model[i], d.absRelCurve.oracle[i]);
        csv += line;
    }
    return csv;
}

std::string reliabilityCsv(const SegmentationMetrics& s) {
    std::string csv = "lower,upper,confidence,accuracy,count\n";
    char line[160];
    for (const ReliabilityBin& b : s.reliability) {
        std::snprintf(line, sizeof line, "%.4f,%.4f,%.6g,%.6g,%zu\n", b.lower, b.upper, b.confidence, b.accuracy, b.count);
        csv += line;
    }
    return csv;
}

double oodAuroc(const std::vector<float>& in, const std::vector<float>& out) {
    std::vector<float> scores = in;
    scores.insert(scores.end(), out.begin(), out.end());
    std::vector<bool> positive(in.size(), false);
    positive.insert(positive.end(), out.size(), true);
    return auroc(scores, positive);
}

}  // namespace uvis
