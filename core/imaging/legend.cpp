#include "core/imaging/legend.h"

#include <algorithm>
#include <cmath>
#include <cstdio>

namespace uvis {
namespace {

// The smallest of 1, 2, 2.5, 5 × 10ⁿ that is at least `raw`.
double niceStep(double raw) {
    const double magnitude = std::pow(10.0, std::floor(std::log10(raw)));
    for (double m : {1.0, 2.0, 2.5, 5.0, 10.0})
        if (m * magnitude >= raw * (1 - 1e-9)) return m * magnitude;
    return 10.0 * magnitude;
}

std::string format(double value, double step) {
    char buffer[64];
    const double a = std::abs(step);
    if (a >= 1e5 || a < 1e-3) {
        std::snprintf(buffer, sizeof buffer, "%.3g", value);
    } else {
        // Enough decimals to tell neighbouring ticks apart (2.5 × 10ⁿ needs one more).
        int decimals = std::max(0, static_cast<int>(std::ceil(-std::log10(a) - 1e-9)));
        if (std::abs(a / std::pow(10.0, -decimals) - std::round(a / std::pow(10.0, -decimals))) > 1e-6)
            ++decimals;
        std::snprintf(buffer, sizeof buffer, "%.*f", decimals, value);
    }
    std::string s = buffer;
    if (s == "-0" || s.rfind("-0.", 0) == 0) {
        bool allZero = s.find_first_not_of("-0.") == std::string::npos;
        if (allZero) s = s.substr(1);
    }
    return s;
}

// Three significant digits, without an exponent for the values maps hold (metres, nats).
std::string endValue(double value) {
    const double a = std::abs(value);
    if (a != 0.0 && (a >= 1e5 || a < 1e-3)) return format(value, a);
    const int decimals = a < 1e-12 ? 1 : std::clamp(2 - static_cast<int>(std::floor(std::log10(a))), 0, 4);
    char buffer[64];
    std::snprintf(buffer, sizeof buffer, "%.*f", decimals, value);
    return buffer;
}

}  // namespace

Legend makeLegend(ValueRange range, const std::string& unit, int maxTicks) {
    Legend legend{range, unit, {}, {}, {}};
    const double span = static_cast<double>(range.high) - range.low;
    if (!(span > 0) || maxTicks < 2 || !std::isfinite(span)) return legend;
    const std::string withUnit = unit.empty() ? "" : " " + unit;
    legend.lowLabel = endValue(range.low) + withUnit;
    legend.highLabel = endValue(range.high) + withUnit;
    const double step = niceStep(span / (maxTicks - 1));
    const double first = std::ceil(range.low / step - 1e-9) * step;
    for (double v = first; v <= range.high + step * 1e-9; v += step) {
        const double value = std::abs(v) < step * 1e-9 ? 0.0 : v;
        legend.ticks.push_back({static_cast<float>(value),
                                static_cast<float>((value - range.low) / span),
                                format(value, step) + (unit.empty() ? "" : " " + unit)});
    }
    return legend;
}

}  // namespace uvis
