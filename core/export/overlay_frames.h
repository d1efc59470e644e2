#pragma once
// The pictures of an overlay video (overlay.avi): each frame with the chosen measure blended over
// it, in one range for the whole video (fixed by the first frame, unless typed in), and a legend
// strip under it that names the measure and the values of the colours' ends — a video that is
// shown to somebody else has to say what its colours mean.

#include <string>

#include "core/imaging/map_views.h"

namespace uvis {

struct ModelCard;

// The display an overlay video uses when none is given: the chosen measure of a new window
// (epistemic σ of depth, or the segmentation's mutual information for a model without depth),
// blended over the input.
DisplayOptions defaultOverlayDisplay(const ModelCard& card);

class OverlayFrames {
public:
    explicit OverlayFrames(DisplayOptions display);
    // `frame` with its overlay and the legend strip below: kLegendStripHeight rows taller.
    RgbImage picture(const RgbImage& frame, const UncertaintyMaps& maps);
    // The range the colours span, once the first frame fixed it.
    const RangeMemory& ranges() const { return memory_; }

private:
    DisplayOptions display_;
    RangeMemory memory_;
};

constexpr int kLegendStripHeight = 40;

// `picture` with a strip under it: the colour bar of `colormap` and below it the range's ends and
// `title`. Written with OpenCV's built-in font, which has ASCII only: σ, μ, ², − are spelled out.
RgbImage withLegendStrip(const RgbImage& picture, Colormap colormap, ValueRange range, const std::string& unit,
                         const std::string& title);

// `text` in ASCII for OpenCV's font: "σ" → "sigma", "μ" → "mu", "²" → "^2", "−" → "-".
std::string asciiText(const std::string& text);

}  // namespace uvis
