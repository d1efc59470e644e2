#pragma once
// The six views when two configurations (A and B: model, method, T, p) analyse one image: A's
// views, B's views, both side by side (A's prediction, aleatoric and epistemic maps over B's, in
// one shared range per row pair so that a colour means one value in both), or their difference
// B − A in a diverging colormap centred on zero. Presentation only, like map_views: it picks,
// subtracts and colours maps the engine computed.

#include <string>
#include <vector>

#include "core/imaging/map_views.h"

namespace uvis {

// Off: no second configuration (A's views). A, B, Both, Difference: what the views show.
enum class CompareMode { Off, A, B, Both, Difference };
std::string compareModeName(CompareMode mode);   // "A", "B", "A and B", "B − A"
CompareMode nextCompareMode(CompareMode mode);   // A → B → Both → Difference → A; Off stays Off
// "off", "a", "b", "both", "difference" (the application's --compare); false for anything else.
bool parseCompareMode(const std::string& name, CompareMode* out);

struct ComparedResult {
    const UncertaintyMaps* maps = nullptr;  // null: no result yet
    const ModelCard* card = nullptr;
    std::string label;  // "A", "B" (titles say which configuration a view shows)
};

// b − a per pixel at a's size (b resized bilinearly when the models' sizes differ); NaN where
// either is not finite.
FloatMap differenceMap(const FloatMap& a, const FloatMap& b);
// [−m, m] with m the 98th percentile of |d| over the finite pixels (never empty), so that zero is
// the colormap's neutral middle.
ValueRange symmetricRange(const FloatMap& difference);

// Six views in the order of the window's grid slots (each view's `id` is its slot). Both: row
// one A's prediction of the chosen task (depth or segmentation), aleatoric and epistemic; row
// two B's. Difference: the input, then B − A of depth, the classes B changes (B's colour where
// it differs from A, A's greyed where they agree), and B − A of the aleatoric, epistemic and
// chosen measure's maps. `memory` as for renderViews (A's ranges; Both shares them with B).
std::vector<RenderedView> renderComparison(CompareMode mode, const RgbImage& input, const ComparedResult& a,
                                           const ComparedResult& b, const DisplayOptions& options,
                                           RangeMemory* memory);

}  // namespace uvis
