#pragma once
// What the application's six views show for one result: which map goes in which view, in which
// colormap and range, with which legend, and the overlay/threshold picture of the chosen measure.
// Presentation only: it picks, colours and blends maps the engine computed; the one derived
// quantity (σ = √variance, and the total σ of SPEC §2) is a change of units, not an estimate.
// Shared by the widgets and the application's exports, so a view and its exported PNG agree.

#include <array>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "core/types/image.h"
#include "core/imaging/colormap.h"
#include "core/imaging/legend.h"
#include "core/types/maps.h"
#include "core/model/model_card.h"

namespace uvis {

enum class ViewId { Input, Depth, Segmentation, Aleatoric, Epistemic, Selected };
constexpr int kViewCount = 6;
const char* viewKey(ViewId id);  // "input", "depth", ... (file names of exported views)

enum class UncertaintyTask { Depth, Segmentation };
// The measure the chosen-measure view, its overlay and its threshold use.
enum class Measure {
    DepthEpistemicStd, DepthAleatoricStd, DepthTotalStd,                  // metres
    SegMutualInfo, SegExpectedEntropy, SegLogitVariance, SegPredictiveEntropy,  // nats (logit² for variance)
    DepthEpistemicRelStd, DepthAleatoricRelStd  // scale-free: √ of the variance of log depth ≈ σ/μ
};
std::vector<Measure> measuresFor(UncertaintyTask task);
std::string measureName(Measure m);  // "mutual information", ...
std::string measureUnit(Measure m);

enum class RangeMode {
    AutoPerFrame,      // robust 2–98 % range of each result
    FixedAcrossVideo,  // the range of the first complete result, kept until reset (no flicker)
    Manual,            // typed in; applies to the uncertainty views
    Automatic          // per frame on a still image, fixed across a video (a legend that does not jump)
};
// The mode a view renders with: Automatic resolved for what is on screen.
RangeMode resolvedRangeMode(RangeMode chosen, bool video);

struct DisplayOptions {
    UncertaintyTask task = UncertaintyTask::Depth;
    Measure measure = Measure::DepthEpistemicStd;
    Colormap colormap = Colormap::Inferno;  // the uncertainty views
    RangeMode rangeMode = RangeMode::Automatic;
    ValueRange manualRange{0.f, 1.f};
    bool overlay = false;  // the chosen-measure view blends its map over the input
    float opacity = 0.6f;
    bool threshold = false;  // pixels above thresholdValue are highlighted in the chosen-measure view
    float thresholdValue = 1.f;
};

// `options` for a model that loads: one without depth shows its segmentation's mutual
// information instead of an empty depth view; otherwise unchanged.
DisplayOptions displayForModel(DisplayOptions options, const ModelCard& card);

// The ranges a FixedAcrossVideo display keeps, per view. Reset when a new file opens or the
// user asks.
struct RangeMemory {
    std::map<ViewId, ValueRange> ranges;
    void reset() { ranges.clear(); }
};

struct RenderedView {
    ViewId id = ViewId::Input;
    std::string title;
    RgbaImage image;                 // empty with `message` when the model has no such map
    std::string message;
    std::optional<Legend> legend;    // continuous maps
    Colormap colormap = Colormap::Viridis;
    std::vector<ClassInfo> classes;  // the segmentation view's swatch legend
    std::optional<float> threshold;  // marked on the legend
};

// The map a measure reads (σ maps are converted from the variances). Empty if the model lacks it.
FloatMap measureMap(const UncertaintyMaps& maps, Measure m);

// What a view shows as a continuous map: Depth its mean (m), Aleatoric and Epistemic the measure
// of the chosen task and kind (metres or relative), Selected the chosen measure. None for Input
// and Segmentation; an empty map when the model lacks it.
std::optional<Measure> viewMeasure(ViewId id, const DisplayOptions& options);
FloatMap viewMap(const UncertaintyMaps& maps, ViewId id, const DisplayOptions& options);

// All six views. `memory` may be null (no fixed ranges). Images are at the maps' size, except
// Input and an overlay, which are at the input's size.
std::vector<RenderedView> renderViews(const RgbImage& input, const UncertaintyMaps* maps, const ModelCard& card,
                                      const DisplayOptions& options, RangeMemory* memory);

// A view without a picture that says why (the model lacks the map, no ground truth, …).
RenderedView missingView(ViewId id, std::string title, std::string message);

// Input alone, for the moment before the first result.
RenderedView renderInput(const RgbImage& input);

// `map` (any size) coloured and blended over `input` at the input's size; pixels above
// `threshold` (when given) painted in the highlight colour.
RgbaImage blendOver(const RgbImage& input, const FloatMap& map, Colormap colormap, ValueRange range,
                    float opacity, std::optional<float> threshold);

// The one rule for "the chosen measure over the input", used by the chosen-measure view, the
// exported overlay.png and every frame of an overlay video: the measure's range as its view
// chooses it (typed in, fixed across a video in `memory`, or automatic) and its map blended over
// the input with the display's opacity and threshold. No value (and an empty picture) when the
// model lacks the measure.
std::optional<ValueRange> chosenRange(const UncertaintyMaps& maps, const DisplayOptions& options, RangeMemory* memory);
RgbaImage chosenOverlay(const RgbImage& input, const UncertaintyMaps& maps, const DisplayOptions& options,
                        ValueRange range);

// The RGB channels of an opaque picture.
RgbImage dropAlpha(const RgbaImage& image);

constexpr std::array<std::uint8_t, 3> kHighlight{0, 255, 255};  // cyan: at the high end of none of the colormaps

}  // namespace uvis
