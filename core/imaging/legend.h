#pragma once
// The numbers of a colour legend: "nice" tick values (1, 2, 2.5 or 5 × 10ⁿ) inside a range,
// each with its position along the bar and a label with the unit.

#include <string>
#include <vector>

#include "core/imaging/colormap.h"

namespace uvis {

struct LegendTick {
    float value = 0.f;
    float position = 0.f;  // 0 at range.low, 1 at range.high
    std::string label;
};

struct Legend {
    ValueRange range;
    std::string unit;  // "m", "m²", "nats", ...
    std::vector<LegendTick> ticks;
    // The range's ends to three significant digits ("2.13", "87.4 m"): what the colours' first and
    // last shades mean, which nice ticks inside the range do not say.
    std::string lowLabel, highLabel;
};

Legend makeLegend(ValueRange range, const std::string& unit, int maxTicks = 5);

}  // namespace uvis
