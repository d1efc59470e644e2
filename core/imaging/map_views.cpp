#include "core/imaging/map_views.h"

#include <algorithm>
#include <cctype>
#include <cmath>

#include "core/calibration/calibration.h"
#include "core/imaging/resample.h"

namespace uvis {
namespace {

FloatMap squareRoot(const FloatMap& m) {
    FloatMap out = m;
    for (float& v : out.values) v = std::sqrt(std::max(v, 0.f));
    return out;
}

RgbaImage toRgba(const RgbImage& image) {
    RgbaImage out{image.width, image.height, std::vector<std::uint8_t>(static_cast<size_t>(image.width) * image.height * 4)};
    for (size_t i = 0; i < static_cast<size_t>(image.width) * image.height; ++i) {
        for (int c = 0; c < 3; ++c) out.pixels[i * 4 + c] = image.pixels[i * 3 + c];
        out.pixels[i * 4 + 3] = 255;
    }
    return out;
}

// Where a view's range comes from, by mode. Depth keeps its own (robust or fixed) range even in
// Manual mode: a typed range is in the uncertainty's units, not metres of depth.
std::optional<float> thresholdOf(const DisplayOptions& o) {
    return o.threshold ? std::optional<float>(o.thresholdValue) : std::nullopt;
}

}  // namespace

RangeMode resolvedRangeMode(RangeMode chosen, bool video) {
    if (chosen != RangeMode::Automatic) return chosen;
    return video ? RangeMode::FixedAcrossVideo : RangeMode::AutoPerFrame;
}

namespace {

// Automatic unresolved (no video known here) is per frame.
ValueRange chooseRange(ViewId id, const FloatMap& map, bool complete, const DisplayOptions& o, RangeMemory* memory,
                       bool uncertainty) {
    if (o.rangeMode == RangeMode::Manual && uncertainty) return o.manualRange;
    if (o.rangeMode == RangeMode::FixedAcrossVideo && memory) {
        auto it = memory->ranges.find(id);
        if (it != memory->ranges.end()) return it->second;
        const ValueRange r = robustRange(map);
        // Only a complete result fixes the range: early partial maps are noisier.
        if (complete) memory->ranges[id] = r;
        return r;
    }
    return robustRange(map);
}

RenderedView continuous(ViewId id, std::string title, const FloatMap& map, const std::string& unit, Colormap colormap,
                        ValueRange range) {
    RenderedView v;
    v.id = id;
    v.title = std::move(title);
    v.colormap = colormap;
    v.image = colorize(map, colormap, range);
    v.legend = makeLegend(range, unit);
    return v;
}

bool relative(Measure m) { return m == Measure::DepthEpistemicRelStd || m == Measure::DepthAleatoricRelStd; }

// The Aleatoric and Epistemic views follow the chosen measure's kind: metres or relative.
Measure aleatoricMeasure(const DisplayOptions& o) {
    if (o.task == UncertaintyTask::Depth)
        return relative(o.measure) ? Measure::DepthAleatoricRelStd : Measure::DepthAleatoricStd;
    return o.measure == Measure::SegLogitVariance ? Measure::SegLogitVariance : Measure::SegExpectedEntropy;
}

Measure epistemicMeasure(const DisplayOptions& o) {
    if (o.task == UncertaintyTask::Depth)
        return relative(o.measure) ? Measure::DepthEpistemicRelStd : Measure::DepthEpistemicStd;
    return Measure::SegMutualInfo;
}

std::string capitalised(std::string s) {
    if (!s.empty()) s[0] = static_cast<char>(std::toupper(static_cast<unsigned char>(s[0])));
    return s;
}

}  // namespace

const char* viewKey(ViewId id) {
    switch (id) {
    case ViewId::Input: return "input";
    case ViewId::Depth: return "depth";
    case ViewId::Segmentation: return "segmentation";
    case ViewId::Aleatoric: return "aleatoric";
    case ViewId::Epistemic: return "epistemic";
    case ViewId::Selected: return "chosen";
    }
    return "view";
}

std::vector<Measure> measuresFor(UncertaintyTask task) {
    if (task == UncertaintyTask::Depth)
        return {Measure::DepthEpistemicStd, Measure::DepthAleatoricStd, Measure::DepthTotalStd,
                Measure::DepthEpistemicRelStd, Measure::DepthAleatoricRelStd};
    return {Measure::SegMutualInfo, Measure::SegExpectedEntropy, Measure::SegLogitVariance,
            Measure::SegPredictiveEntropy};
}

std::string measureName(Measure m) {
    switch (m) {
    case Measure::DepthEpistemicStd: return "epistemic σ";
    case Measure::DepthAleatoricStd: return "aleatoric σ";
    case Measure::DepthTotalStd: return "predictive σ (total)";
    case Measure::DepthEpistemicRelStd: return "epistemic relative σ (σ/μ)";
    case Measure::DepthAleatoricRelStd: return "aleatoric relative σ (σ/μ)";
    case Measure::SegMutualInfo: return "mutual information";
    case Measure::SegExpectedEntropy: return "expected entropy";
    case Measure::SegLogitVariance: return "learned logit variance";
    case Measure::SegPredictiveEntropy: return "predictive entropy";
    }
    return {};
}

std::string measureUnit(Measure m) {
    switch (m) {
    case Measure::DepthEpistemicStd:
    case Measure::DepthAleatoricStd:
    case Measure::DepthTotalStd: return "m";
    case Measure::SegLogitVariance: return "logit²";
    case Measure::DepthEpistemicRelStd:
    case Measure::DepthAleatoricRelStd: return "σ/μ";
    default: return "nats";
    }
}

FloatMap measureMap(const UncertaintyMaps& m, Measure measure) {
    switch (measure) {
    case Measure::DepthEpistemicStd: return m.hasDepth ? squareRoot(m.depthEpistemicVar) : FloatMap{};
    case Measure::DepthAleatoricStd: return m.hasDepth ? squareRoot(m.depthAleatoricVar) : FloatMap{};
    case Measure::DepthTotalStd: return m.hasDepth ? squareRoot(depthPredictiveVariance(m)) : FloatMap{};
    case Measure::DepthEpistemicRelStd: return m.hasDepth ? squareRoot(m.depthEpistemicLogVar) : FloatMap{};
    case Measure::DepthAleatoricRelStd: return m.hasDepth ? squareRoot(m.depthAleatoricLogVar) : FloatMap{};
    case Measure::SegMutualInfo: return m.hasSegmentation ? m.segMutualInfo : FloatMap{};
    case Measure::SegExpectedEntropy: return m.hasSegmentation ? m.segExpectedEntropy : FloatMap{};
    case Measure::SegLogitVariance: return m.hasSegmentation ? m.segLogitVar : FloatMap{};
    case Measure::SegPredictiveEntropy: return m.hasSegmentation ? m.segEntropy : FloatMap{};
    }
    return {};
}

std::optional<Measure> viewMeasure(ViewId id, const DisplayOptions& o) {
    switch (id) {
    case ViewId::Aleatoric: return aleatoricMeasure(o);
    case ViewId::Epistemic: return epistemicMeasure(o);
    case ViewId::Selected: return o.measure;
    default: return std::nullopt;
    }
}

FloatMap viewMap(const UncertaintyMaps& maps, ViewId id, const DisplayOptions& o) {
    if (id == ViewId::Depth) return maps.hasDepth ? maps.depthMean : FloatMap{};
    const std::optional<Measure> m = viewMeasure(id, o);
    return m ? measureMap(maps, *m) : FloatMap{};
}

RgbImage dropAlpha(const RgbaImage& image) {
    RgbImage out{image.width, image.height, std::vector<std::uint8_t>(static_cast<size_t>(image.width) * image.height * 3)};
    for (size_t i = 0; i < out.pixels.size() / 3; ++i)
        for (int c = 0; c < 3; ++c) out.pixels[i * 3 + c] = image.pixels[i * 4 + c];
    return out;
}

// A measure the model's outputs cannot give (a depth model without depth_logvar has no aleatoric
// depth; one without seg_logvar no logit variance).
std::string notPredicted(const std::string& measure) {
    return "not predicted by this model (it has no output for the " + measure + ")";
}

RenderedView missingView(ViewId id, std::string title, std::string message) {
    RenderedView v;
    v.id = id;
    v.title = std::move(title);
    v.message = std::move(message);
    return v;
}

RenderedView renderInput(const RgbImage& input) {
    if (input.pixels.empty()) return missingView(ViewId::Input, "Input", "no image open: File → Open an image or a video");
    RenderedView v;
    v.id = ViewId::Input;
    v.title = "Input";
    v.image = toRgba(input);
    return v;
}

std::optional<ValueRange> chosenRange(const UncertaintyMaps& maps, const DisplayOptions& o, RangeMemory* memory) {
    const FloatMap map = measureMap(maps, o.measure);
    if (map.empty()) return std::nullopt;
    return chooseRange(ViewId::Selected, map, maps.complete(), o, memory, true);
}

RgbaImage chosenOverlay(const RgbImage& input, const UncertaintyMaps& maps, const DisplayOptions& o, ValueRange range) {
    const FloatMap map = measureMap(maps, o.measure);
    if (map.empty()) return {};
    return blendOver(input, map, o.colormap, range, o.opacity, thresholdOf(o));
}

RgbaImage blendOver(const RgbImage& input, const FloatMap& map, Colormap colormap, ValueRange range, float opacity,
                    std::optional<float> threshold) {
    const FloatMap sized = resizeBilinear(map, input.width, input.height);
    const RgbaImage colours = colorize(sized, colormap, range);
    RgbaImage out = toRgba(input);
    const float a = std::clamp(opacity, 0.f, 1.f);
    for (size_t i = 0; i < sized.values.size(); ++i) {
        const float v = sized.values[i];
        if (!std::isfinite(v)) continue;
        const bool high = threshold && v > *threshold;
        for (int c = 0; c < 3; ++c) {
            const float top = high ? kHighlight[c] : colours.pixels[i * 4 + c];
            out.pixels[i * 4 + c] = static_cast<std::uint8_t>(std::lround((1 - a) * out.pixels[i * 4 + c] + a * top));
        }
    }
    return out;
}

std::vector<RenderedView> renderViews(const RgbImage& input, const UncertaintyMaps* maps, const ModelCard& card,
                                      const DisplayOptions& o, RangeMemory* memory) {
    std::vector<RenderedView> views;
    views.push_back(renderInput(input));
    if (!maps) {
        for (auto [id, title] : {std::pair{ViewId::Depth, "Depth"}, {ViewId::Segmentation, "Segmentation"},
                                 {ViewId::Aleatoric, "Aleatoric"}, {ViewId::Epistemic, "Epistemic"},
                                 {ViewId::Selected, "Chosen measure"}})
            views.push_back(missingView(id, title, input.pixels.empty() ? "no image open" : "waiting for the first samples"));
        return views;
    }
    const bool complete = maps->complete();
    if (maps->hasDepth) {
        const ValueRange r = chooseRange(ViewId::Depth, maps->depthMean, complete, o, memory, false);
        // Said in the title when the model predicts inverse depth or disparity (converted to metres).
        const std::string from = depthKindName(card.depthSpec);
        views.push_back(continuous(ViewId::Depth, from.empty() ? "Depth μ" : "Depth μ (converted from " + from + ")",
                                   maps->depthMean, "m", Colormap::Magma, r));
    } else {
        views.push_back(missingView(ViewId::Depth, "Depth", "this model predicts no depth"));
    }
    if (maps->hasSegmentation) {
        RenderedView v;
        v.id = ViewId::Segmentation;
        v.title = "Segmentation";
        v.image = colorizeClasses(maps->segClass, card.classes);
        v.classes = card.classes;
        views.push_back(std::move(v));
    } else {
        views.push_back(missingView(ViewId::Segmentation, "Segmentation", "this model predicts no segmentation"));
    }
    const std::string task = o.task == UncertaintyTask::Depth ? "depth" : "segmentation";
    // Calibrated maps say so (SPEC §2: τ acts on segmentation, c on depth variances).
    const std::string calibrated = calibrationText(o.task == UncertaintyTask::Depth ? 1.0 : maps->temperature,
                                                   o.task == UncertaintyTask::Depth ? maps->depthVarianceScale : 1.0);
    // Titles are short on a laptop screen; the inspector and the dock give τ and c.
    const std::string note = calibrated.empty() ? "" : " · calibrated";
    auto uncertaintyView = [&](ViewId id, const std::string& kind, Measure m) {
        // "Aleatoric: depth σ", not "Aleatoric: depth aleatoric σ": the kind is said once.
        std::string measure = measureName(m);
        std::string word = kind;
        word[0] = static_cast<char>(std::tolower(static_cast<unsigned char>(word[0])));
        if (const auto at = measure.find(word + " "); at != std::string::npos) measure.erase(at, word.size() + 1);
        const std::string title = kind + ": " + task + " " + measure + note;
        const FloatMap map = measureMap(*maps, m);
        if (map.empty()) return missingView(id, title, notPredicted(task + " " + measureName(m)));
        return continuous(id, title, map, measureUnit(m), o.colormap, chooseRange(id, map, complete, o, memory, true));
    };
    views.push_back(uncertaintyView(ViewId::Aleatoric, "Aleatoric", aleatoricMeasure(o)));
    views.push_back(uncertaintyView(ViewId::Epistemic, "Epistemic", epistemicMeasure(o)));

    // The chosen measure: its map, or blended over the input, with the threshold highlighted.
    const Measure chosen = o.measure;
    const std::string title = capitalised(measureName(chosen)) + (o.overlay ? " over the input" : "") + note;
    const std::optional<ValueRange> r = chosenRange(*maps, o, memory);
    if (!r) {
        views.push_back(missingView(ViewId::Selected, title, notPredicted(measureName(chosen))));
    } else {
        const FloatMap map = measureMap(*maps, chosen);
        const std::optional<float> threshold = thresholdOf(o);
        RenderedView v = continuous(ViewId::Selected, title, map, measureUnit(chosen), o.colormap, *r);
        if (o.overlay) {
            v.image = chosenOverlay(input, *maps, o, *r);
        } else if (threshold) {
            for (size_t i = 0; i < map.values.size(); ++i)
                if (map.values[i] > *threshold)
                    for (int c = 0; c < 3; ++c) v.image.pixels[i * 4 + c] = kHighlight[c];
        }
        v.threshold = threshold;
        views.push_back(std::move(v));
    }
    return views;
}

DisplayOptions displayForModel(DisplayOptions options, const ModelCard& card) {
    if (!card.depth && options.task == UncertaintyTask::Depth) {
        options.task = UncertaintyTask::Segmentation;
        options.measure = Measure::SegMutualInfo;
    }
    return options;
}

}  // namespace uvis
