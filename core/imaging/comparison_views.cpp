#include "core/imaging/comparison_views.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <limits>

#include "core/imaging/resample.h"

namespace uvis {
namespace {

constexpr ViewId kSlots[kViewCount] = {ViewId::Input,     ViewId::Depth,     ViewId::Segmentation,
                                       ViewId::Aleatoric, ViewId::Epistemic, ViewId::Selected};

std::string prefixed(const std::string& label, const std::string& title) { return label + " · " + title; }

RenderedView inSlot(RenderedView v, int slot, const std::string& label) {
    v.id = kSlots[slot];
    v.title = prefixed(label, v.title);
    return v;
}

// The prediction view of the task the uncertainty views show.
ViewId predictionOf(const DisplayOptions& o) {
    return o.task == UncertaintyTask::Depth ? ViewId::Depth : ViewId::Segmentation;
}

FloatMap concatenated(const FloatMap& a, const FloatMap& b) {
    FloatMap both{static_cast<int>(a.values.size() + b.values.size()), 1, a.values};
    both.values.insert(both.values.end(), b.values.begin(), b.values.end());
    return both;
}

// One range per view for A and B together, by the display's rule: typed in (uncertainty views),
// fixed in `memory`, else the robust range of both maps pooled.
RangeMemory sharedRanges(const UncertaintyMaps& a, const UncertaintyMaps& b, const DisplayOptions& o,
                         const RangeMemory* memory) {
    RangeMemory shared;
    for (ViewId id : {ViewId::Depth, ViewId::Aleatoric, ViewId::Epistemic, ViewId::Selected}) {
        if (o.rangeMode == RangeMode::Manual && id != ViewId::Depth) {
            shared.ranges[id] = o.manualRange;
            continue;
        }
        if (o.rangeMode == RangeMode::FixedAcrossVideo && memory && memory->ranges.count(id)) {
            shared.ranges[id] = memory->ranges.at(id);
            continue;
        }
        shared.ranges[id] = robustRange(concatenated(viewMap(a, id, o), viewMap(b, id, o)));
    }
    return shared;
}

std::vector<RenderedView> sideBySide(const RgbImage& input, const ComparedResult& a, const ComparedResult& b,
                                     const DisplayOptions& o, RangeMemory* memory) {
    DisplayOptions shared = o;
    RangeMemory ranges;
    if (a.maps && b.maps) {
        ranges = sharedRanges(*a.maps, *b.maps, o, memory);
        shared.rangeMode = RangeMode::FixedAcrossVideo;  // every view reads `ranges`
    }
    const std::vector<RenderedView> va = renderViews(input, a.maps, *a.card, shared, a.maps && b.maps ? &ranges : memory);
    const std::vector<RenderedView> vb = renderViews(input, b.maps, *b.card, shared, a.maps && b.maps ? &ranges : nullptr);
    const ViewId row[3] = {predictionOf(o), ViewId::Aleatoric, ViewId::Epistemic};
    std::vector<RenderedView> out;
    for (int r = 0; r < 2; ++r)
        for (int c = 0; c < 3; ++c)
            out.push_back(inSlot((r == 0 ? va : vb)[static_cast<int>(row[c])], r * 3 + c, r == 0 ? a.label : b.label));
    return out;
}

RenderedView differenceView(ViewId id, const std::string& title, const FloatMap& a, const FloatMap& b,
                            const std::string& unit) {
    if (a.empty() || b.empty())
        return missingView(id, title, std::string(a.empty() ? "A" : "B") + " has no such map");
    const FloatMap d = differenceMap(a, b);
    const ValueRange r = symmetricRange(d);
    RenderedView v;
    v.id = id;
    v.title = title;
    v.colormap = Colormap::CoolWarm;
    v.image = colorize(d, Colormap::CoolWarm, r);
    v.legend = makeLegend(r, unit);
    return v;
}

// B's class colour where B's class differs from A's; A's greyed where they agree.
RenderedView classChanges(const UncertaintyMaps& a, const UncertaintyMaps& b, const ModelCard& cardB) {
    if (!a.hasSegmentation || !b.hasSegmentation)
        return missingView(ViewId::Segmentation, "Segmentation: B vs A",
                           std::string(a.hasSegmentation ? "B" : "A") + " predicts no segmentation");
    const ClassMap bc = resizeNearest(b.segClass, a.segClass.width, a.segClass.height);
    RenderedView v;
    v.id = ViewId::Segmentation;
    v.classes = cardB.classes;
    v.image = colorizeClasses(bc, cardB.classes);
    size_t changed = 0;
    for (size_t i = 0; i < bc.values.size(); ++i) {
        std::uint8_t* px = &v.image.pixels[i * 4];
        if (bc.values[i] != a.segClass.values[i]) {
            ++changed;
            continue;
        }
        const int grey = (px[0] * 3 + px[1] * 6 + px[2]) / 10;  // luminance, dimmed towards white
        for (int c = 0; c < 3; ++c) px[c] = static_cast<std::uint8_t>(160 + grey * 95 / 255);
    }
    const double share = bc.values.empty() ? 0.0 : 100.0 * changed / bc.values.size();
    char text[96];
    std::snprintf(text, sizeof text, "Segmentation: B differs from A at %.1f %% of pixels", share);
    v.title = text;
    return v;
}

std::vector<RenderedView> difference(const RgbImage& input, const ComparedResult& a, const ComparedResult& b,
                                     const DisplayOptions& o) {
    std::vector<RenderedView> out{renderInput(input)};
    if (!a.maps || !b.maps) {
        for (int s = 1; s < kViewCount; ++s)
            out.push_back(missingView(kSlots[s], "B − A", input.pixels.empty() ? "no image open"
                                                                               : "waiting for both results"));
        return out;
    }
    out.push_back(differenceView(ViewId::Depth, "B − A: depth μ", viewMap(*a.maps, ViewId::Depth, o),
                                 viewMap(*b.maps, ViewId::Depth, o), "m"));
    out.push_back(classChanges(*a.maps, *b.maps, *b.card));
    // The chosen-measure slot often shows the epistemic slot's measure again: its title says
    // which role it has, so that two titles never read the same.
    const std::string task = o.task == UncertaintyTask::Depth ? "depth " : "segmentation ";
    for (ViewId id : {ViewId::Aleatoric, ViewId::Epistemic, ViewId::Selected}) {
        const Measure m = *viewMeasure(id, o);
        const std::string title = id == ViewId::Selected ? "B − A: " + measureName(m) + ", the chosen measure"
                                                         : "B − A: " + task + measureName(m);
        out.push_back(differenceView(id, title, viewMap(*a.maps, id, o), viewMap(*b.maps, id, o), measureUnit(m)));
    }
    return out;
}

}  // namespace

std::string compareModeName(CompareMode mode) {
    switch (mode) {
    case CompareMode::Off: return "off";
    case CompareMode::A: return "A";
    case CompareMode::B: return "B";
    case CompareMode::Both: return "A and B";
    case CompareMode::Difference: return "B − A";
    }
    return {};
}

CompareMode nextCompareMode(CompareMode mode) {
    switch (mode) {
    case CompareMode::Off: return CompareMode::Off;
    case CompareMode::A: return CompareMode::B;
    case CompareMode::B: return CompareMode::Both;
    case CompareMode::Both: return CompareMode::Difference;
    case CompareMode::Difference: return CompareMode::A;
    }
    return CompareMode::A;
}

bool parseCompareMode(const std::string& name, CompareMode* out) {
    static const std::pair<const char*, CompareMode> names[] = {{"off", CompareMode::Off},
                                                                {"a", CompareMode::A},
                                                                {"b", CompareMode::B},
                                                                {"both", CompareMode::Both},
                                                                {"difference", CompareMode::Difference}};
    for (const auto& [n, m] : names)
        if (name == n) {
            *out = m;
            return true;
        }
    return false;
}

FloatMap differenceMap(const FloatMap& a, const FloatMap& b) {
    const FloatMap bs = b.width == a.width && b.height == a.height ? b : resizeBilinear(b, a.width, a.height);
    FloatMap d = a;
    for (size_t i = 0; i < d.values.size(); ++i) {
        const float x = a.values[i], y = bs.values[i];
        d.values[i] = std::isfinite(x) && std::isfinite(y) ? y - x : std::numeric_limits<float>::quiet_NaN();
    }
    return d;
}

ValueRange symmetricRange(const FloatMap& d) {
    FloatMap magnitude = d;
    for (float& v : magnitude.values) v = std::abs(v);
    const float m = quantile(magnitude, 0.98).value_or(0.f);
    const float half = std::isfinite(m) && m > 0.f ? m : 1.f;  // identical maps: a unit range, all neutral
    return {-half, half};
}

std::vector<RenderedView> renderComparison(CompareMode mode, const RgbImage& input, const ComparedResult& a,
                                           const ComparedResult& b, const DisplayOptions& o, RangeMemory* memory) {
    switch (mode) {
    case CompareMode::Off: return renderViews(input, a.maps, *a.card, o, memory);
    case CompareMode::A:
    case CompareMode::B: {
        const ComparedResult& r = mode == CompareMode::A ? a : b;
        std::vector<RenderedView> views = renderViews(input, r.maps, *r.card, o, mode == CompareMode::A ? memory : nullptr);
        for (int s = 1; s < kViewCount; ++s) views[s].title = prefixed(r.label, views[s].title);
        return views;
    }
    case CompareMode::Both: return sideBySide(input, a, b, o, memory);
    case CompareMode::Difference: return difference(input, a, b, o);
    }
    return {};
}

}  // namespace uvis
