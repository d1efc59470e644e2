#pragma once
// Where the model is wrong, and whether it knew: views of a result against ground truth.
//   depth error:    |μ̄ − y| in metres (invalid truth transparent)
//   segmentation:   correct (green) / wrong (red) / no truth (transparent)
//   error × uncertainty, four ways, for the task of the uncertainty views:
//     right and certain (grey), right but uncertain (blue), wrong and uncertain — it knew
//     (yellow), wrong but confident — it did not know (red).
// "Wrong" is a misclassified pixel, or a depth off by more than 25 % (δ ≥ 1.25); "uncertain" is
// the chosen measure above the display threshold (when set) or above its 80th percentile.

#include <vector>

#include "core/imaging/map_views.h"

namespace uvis {

struct TruthMaps {
    const FloatMap* depth = nullptr;   // metres, 0 = invalid; any size (resampled to the maps')
    const ClassMap* labels = nullptr;  // 255 = invalid
};

enum class ErrorViewId { DepthError, SegmentationError, ErrorVsUncertainty };
constexpr int kErrorViewCount = 3;
const char* errorViewKey(ErrorViewId id);  // "depth_error", ...

struct ErrorCounts {
    std::size_t rightCertain = 0, rightUncertain = 0, wrongUncertain = 0, wrongConfident = 0;
};

struct RenderedErrorViews {
    std::vector<RenderedView> views;  // three, in ErrorViewId order; `id` is Selected for all
    ErrorCounts counts;
    float uncertaintyThreshold = 0;   // what "uncertain" meant
};

RenderedErrorViews renderErrorViews(const UncertaintyMaps& maps, const TruthMaps& truth, const DisplayOptions& options);

// The four-way colours (RGB), also drawn as the view's legend.
struct FourWayColours {
    static constexpr std::array<std::uint8_t, 3> rightCertain{110, 110, 110};
    static constexpr std::array<std::uint8_t, 3> rightUncertain{60, 110, 230};
    static constexpr std::array<std::uint8_t, 3> wrongUncertain{250, 210, 40};
    static constexpr std::array<std::uint8_t, 3> wrongConfident{230, 30, 30};
};

}  // namespace uvis
