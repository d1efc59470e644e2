#pragma once
// Maps → RGBA pictures: perceptually uniform colormaps with robust or fixed ranges, and the
// class palette of a model card. OpenCV provides the colormaps (cv::applyColorMap).

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/types/maps.h"
#include "core/model/model_card.h"

namespace uvis {

// CoolWarm is diverging (Moreland's blue–grey–red, grey at the middle of the range): for signed
// differences (B − A), with a range symmetric about zero. The display offers the other four.
enum class Colormap { Viridis, Magma, Inferno, Turbo, CoolWarm };

struct ValueRange {
    float low = 0.f;
    float high = 1.f;
};

struct RgbaImage {
    int width = 0;
    int height = 0;
    std::vector<std::uint8_t> pixels;  // RGBA, row-major
};

std::string colormapName(Colormap map);
bool parseColormap(const std::string& name, Colormap* out);  // case-insensitive

// The q-quantile (0..1, nearest rank) of the finite values; none when there are none.
std::optional<float> quantile(const FloatMap& map, double q);

// The [lowQuantile, highQuantile] range of the finite values (2nd–98th percentile by default),
// so that a few extreme pixels do not wash out the picture. A flat map gets a range of width
// one unit around its value, never an empty one.
ValueRange robustRange(const FloatMap& map, double lowQuantile = 0.02, double highQuantile = 0.98);

// Values are clamped to the range; non-finite pixels become transparent.
RgbaImage colorize(const FloatMap& map, Colormap colormap, ValueRange range);

// The colour of t ∈ [0, 1] (for legend bars).
std::array<std::uint8_t, 3> colormapColor(Colormap colormap, float t);

// Class ids → the card's palette; ids without a class are transparent.
RgbaImage colorizeClasses(const ClassMap& map, const std::vector<ClassInfo>& classes);

}  // namespace uvis
