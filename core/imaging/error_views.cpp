#include "core/imaging/error_views.h"

#include <algorithm>
#include <cmath>

#include "core/imaging/resample.h"

namespace uvis {
namespace {

void paint(RgbaImage& image, size_t i, const std::array<std::uint8_t, 3>& c) {
    for (int k = 0; k < 3; ++k) image.pixels[i * 4 + k] = c[k];
    image.pixels[i * 4 + 3] = 255;
}

RgbaImage blank(int w, int h) { return RgbaImage{w, h, std::vector<std::uint8_t>(static_cast<size_t>(w) * h * 4, 0)}; }

// Where the model is wrong, per pixel, for the chosen task: -1 no truth, 0 right, 1 wrong.
using WrongMap = std::vector<std::int8_t>;

// |μ − truth| in metres; marks `wrong` for the depth task (δ ≥ 1.25 counts as wrong).
RenderedView depthErrorView(const UncertaintyMaps& maps, const FloatMap& depthTruth, bool depthTask, WrongMap& wrong) {
    if (depthTruth.empty())
        return missingView(ViewId::Selected, "Depth error",
                           maps.hasDepth ? "no depth ground truth" : "this model does not predict depth");
    const size_t n = depthTruth.values.size();
    FloatMap error{depthTruth.width, depthTruth.height, std::vector<float>(n, NAN)};
    for (size_t i = 0; i < n; ++i) {
        const float y = depthTruth.values[i], mu = maps.depthMean.values[i];
        if (!(y > 0) || !std::isfinite(y)) continue;
        error.values[i] = std::abs(mu - y);
        if (depthTask) wrong[i] = (mu <= 0 || std::max(mu / y, y / mu) >= 1.25f) ? 1 : 0;
    }
    const ValueRange r = robustRange(error);
    RenderedView v;
    v.id = ViewId::Selected;
    v.title = "Depth error |μ − truth|";
    v.colormap = Colormap::Magma;
    v.image = colorize(error, Colormap::Magma, ValueRange{0.f, std::max(r.high, 1e-3f)});
    v.legend = makeLegend(ValueRange{0.f, std::max(r.high, 1e-3f)}, "m");
    return v;
}

// Right / wrong class per pixel; marks `wrong` for the segmentation task. Truth whose labels are
// none of the model's classes (another data set's ids, say) would paint nothing: it says why.
RenderedView segmentationErrorView(const UncertaintyMaps& maps, const ClassMap& labelTruth, bool segTask,
                                   WrongMap& wrong) {
    if (labelTruth.empty())
        return missingView(ViewId::Selected, "Segmentation right / wrong",
                           maps.hasSegmentation ? "no label ground truth" : "this model does not predict segmentation");
    size_t labelled = 0, ofTheModel = 0;
    for (std::uint8_t t : labelTruth.values) {
        labelled += t != kIgnoreLabel;
        ofTheModel += t != kIgnoreLabel && t < maps.classCount;
    }
    if (labelled > 0 && ofTheModel == 0)
        return missingView(ViewId::Selected, "Segmentation right / wrong",
                           "no labelled pixel is one of this model's " + std::to_string(maps.classCount) +
                               " classes: the ground truth uses other ids (a card's label_map maps them)");
    RenderedView v;
    v.id = ViewId::Selected;
    v.title = "Segmentation right / wrong";
    v.image = blank(labelTruth.width, labelTruth.height);
    for (size_t i = 0; i < labelTruth.values.size(); ++i) {
        const int t = labelTruth.values[i];
        if (t == kIgnoreLabel || t >= maps.classCount) continue;
        const bool bad = maps.segClass.values[i] != t;
        paint(v.image, i, bad ? std::array<std::uint8_t, 3>{230, 30, 30} : std::array<std::uint8_t, 3>{40, 170, 70});
        if (segTask) wrong[i] = bad ? 1 : 0;
    }
    v.classes = {{"right", {40, 170, 70}}, {"wrong", {230, 30, 30}}};
    return v;
}

// Wrong × uncertain, four ways, at the display's threshold (or the 80th percentile of the measure).
RenderedView errorVsUncertaintyView(const UncertaintyMaps& maps, const WrongMap& wrong, const DisplayOptions& o,
                                    int w, int h, RenderedErrorViews& out) {
    const FloatMap uncertainty = measureMap(maps, o.measure);
    const bool haveTruth = std::any_of(wrong.begin(), wrong.end(), [](std::int8_t v) { return v >= 0; });
    if (!haveTruth || uncertainty.empty()) {
        const bool depthTask = o.task == UncertaintyTask::Depth;
        const bool predicted = depthTask ? maps.hasDepth : maps.hasSegmentation;
        return missingView(ViewId::Selected, "Wrong × uncertain",
                           !predicted  ? std::string("this model does not predict ") + (depthTask ? "depth" : "segmentation")
                           : depthTask ? "no depth ground truth for the depth task"
                                       : "no label ground truth for the segmentation task");
    }
    float threshold = o.thresholdValue;
    if (!o.threshold) {
        std::vector<float> v;
        for (float x : uncertainty.values)
            if (std::isfinite(x)) v.push_back(x);
        const size_t k = static_cast<size_t>(0.8 * (v.size() - 1));
        std::nth_element(v.begin(), v.begin() + k, v.end());
        threshold = v.empty() ? 0.f : v[k];
    }
    out.uncertaintyThreshold = threshold;
    RenderedView v;
    v.id = ViewId::Selected;
    v.title = "Wrong × uncertain (" + measureName(o.measure) + " > " + std::to_string(threshold).substr(0, 6) + ")";
    v.image = blank(w, h);
    for (size_t i = 0; i < wrong.size(); ++i) {
        if (wrong[i] < 0) continue;
        const bool uncertain = uncertainty.values[i] > threshold;
        if (wrong[i]) {
            paint(v.image, i, uncertain ? FourWayColours::wrongUncertain : FourWayColours::wrongConfident);
            ++(uncertain ? out.counts.wrongUncertain : out.counts.wrongConfident);
        } else {
            paint(v.image, i, uncertain ? FourWayColours::rightUncertain : FourWayColours::rightCertain);
            ++(uncertain ? out.counts.rightUncertain : out.counts.rightCertain);
        }
    }
    auto colour = [](const std::array<std::uint8_t, 3>& c) { return std::array<int, 3>{c[0], c[1], c[2]}; };
    v.classes = {{"right, certain", colour(FourWayColours::rightCertain)},
                 {"right, uncertain", colour(FourWayColours::rightUncertain)},
                 {"wrong, knew it", colour(FourWayColours::wrongUncertain)},
                 {"wrong, confident", colour(FourWayColours::wrongConfident)}};
    return v;
}

}  // namespace

const char* errorViewKey(ErrorViewId id) {
    switch (id) {
    case ErrorViewId::DepthError: return "depth_error";
    case ErrorViewId::SegmentationError: return "segmentation_error";
    case ErrorViewId::ErrorVsUncertainty: return "error_vs_uncertainty";
    }
    return "error";
}

RenderedErrorViews renderErrorViews(const UncertaintyMaps& maps, const TruthMaps& truth, const DisplayOptions& o) {
    RenderedErrorViews out;
    const FloatMap& any = maps.hasDepth ? maps.depthMean : maps.segConfidence;
    const int w = any.width, h = any.height;
    // Truth at the maps' size; nearest, so invalid pixels stay invalid.
    FloatMap depthTruth;
    ClassMap labelTruth;
    if (truth.depth && !truth.depth->empty() && maps.hasDepth) depthTruth = resizeNearest(*truth.depth, w, h);
    if (truth.labels && !truth.labels->empty() && maps.hasSegmentation) labelTruth = resizeNearest(*truth.labels, w, h);
    WrongMap wrong(static_cast<size_t>(w) * h, -1);
    out.views.push_back(depthErrorView(maps, depthTruth, o.task == UncertaintyTask::Depth, wrong));
    out.views.push_back(segmentationErrorView(maps, labelTruth, o.task == UncertaintyTask::Segmentation, wrong));
    out.views.push_back(errorVsUncertaintyView(maps, wrong, o, w, h, out));
    return out;
}

}  // namespace uvis
