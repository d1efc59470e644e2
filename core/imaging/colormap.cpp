#include "core/imaging/colormap.h"

#include <opencv2/imgproc.hpp>

#include <algorithm>
#include <cctype>
#include <cmath>

namespace uvis {
namespace {

int cvColormap(Colormap map) {
    switch (map) {
        case Colormap::Viridis: return cv::COLORMAP_VIRIDIS;
        case Colormap::Magma: return cv::COLORMAP_MAGMA;
        case Colormap::Inferno: return cv::COLORMAP_INFERNO;
        case Colormap::Turbo: return cv::COLORMAP_TURBO;
        case Colormap::CoolWarm: break;
    }
    return cv::COLORMAP_VIRIDIS;
}

// OpenCV has no diverging colormap; applyColorMap takes a user table, built here from Moreland's
// cool-warm anchors ("Diverging Color Maps for Scientific Visualization", 2009), linear between.
cv::Mat coolWarmTable() {
    static const float anchors[9][3] = {{59, 76, 192},   {98, 130, 234},  {141, 176, 254}, {184, 208, 249}, {221, 221, 221},
                                        {245, 196, 173}, {244, 154, 123}, {222, 96, 77},   {180, 4, 38}};
    cv::Mat table(256, 1, CV_8UC3);
    for (int i = 0; i < 256; ++i) {
        // Entry 128 (where colorize puts t = 0.5) is the grey anchor exactly.
        const float x = i <= 128 ? i / 128.f * 4.f : 4.f + (i - 128) / 127.f * 4.f;
        const int k = std::min(static_cast<int>(x), 7);
        const float f = x - k;
        for (int c = 0; c < 3; ++c)  // BGR, as OpenCV's tables
            table.at<cv::Vec3b>(i, 0)[2 - c] =
                static_cast<std::uint8_t>(std::lround(anchors[k][c] * (1 - f) + anchors[k + 1][c] * f));
    }
    return table;
}

// The 256-entry lookup table of a colormap, RGB.
const std::array<std::array<std::uint8_t, 3>, 256>& lut(Colormap map) {
    constexpr int kMaps = 5;
    static std::array<std::array<std::array<std::uint8_t, 3>, 256>, kMaps> tables = [] {
        std::array<std::array<std::array<std::uint8_t, 3>, 256>, kMaps> all{};
        cv::Mat ramp(1, 256, CV_8UC1);
        for (int i = 0; i < 256; ++i) ramp.at<std::uint8_t>(0, i) = static_cast<std::uint8_t>(i);
        for (int m = 0; m < kMaps; ++m) {
            cv::Mat bgr;
            if (static_cast<Colormap>(m) == Colormap::CoolWarm)
                cv::applyColorMap(ramp, bgr, coolWarmTable());
            else
                cv::applyColorMap(ramp, bgr, cvColormap(static_cast<Colormap>(m)));
            for (int i = 0; i < 256; ++i) {
                const auto px = bgr.at<cv::Vec3b>(0, i);
                all[m][i] = {px[2], px[1], px[0]};
            }
        }
        return all;
    }();
    return tables[static_cast<int>(map)];
}

}  // namespace

std::string colormapName(Colormap map) {
    switch (map) {
        case Colormap::Viridis: return "viridis";
        case Colormap::Magma: return "magma";
        case Colormap::Inferno: return "inferno";
        case Colormap::Turbo: return "turbo";
        case Colormap::CoolWarm: return "coolwarm";
    }
    return "viridis";
}

bool parseColormap(const std::string& name, Colormap* out) {
    std::string lower = name;
    std::transform(lower.begin(), lower.end(), lower.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    for (Colormap m : {Colormap::Viridis, Colormap::Magma, Colormap::Inferno, Colormap::Turbo})
        if (colormapName(m) == lower) {
            *out = m;
            return true;
        }
    return false;
}

std::optional<float> quantile(const FloatMap& map, double q) {
    std::vector<float> finite;
    finite.reserve(map.values.size());
    for (float v : map.values)
        if (std::isfinite(v)) finite.push_back(v);
    if (finite.empty()) return std::nullopt;
    const size_t k = static_cast<size_t>(std::clamp(q, 0.0, 1.0) * (finite.size() - 1) + 0.5);
    std::nth_element(finite.begin(), finite.begin() + k, finite.end());
    return finite[k];
}

ValueRange robustRange(const FloatMap& map, double lowQuantile, double highQuantile) {
    const std::optional<float> low = quantile(map, lowQuantile);
    if (!low) return {0.f, 1.f};
    ValueRange range{*low, *quantile(map, highQuantile)};
    if (!(range.high > range.low)) {
        const float mid = range.low;
        range = {mid - 0.5f, mid + 0.5f};
        if (mid >= 0.f && range.low < 0.f) range = {0.f, std::max(1.f, 2.f * mid)};
    }
    return range;
}

RgbaImage colorize(const FloatMap& map, Colormap colormap, ValueRange range) {
    RgbaImage out{map.width, map.height, {}};
    out.pixels.resize(map.values.size() * 4);
    const auto& table = lut(colormap);
    const float span = range.high > range.low ? range.high - range.low : 1.f;
    for (size_t i = 0; i < map.values.size(); ++i) {
        const float v = map.values[i];
        std::uint8_t* px = &out.pixels[i * 4];
        if (!std::isfinite(v)) {
            px[0] = px[1] = px[2] = px[3] = 0;
            continue;
        }
        const float t = std::clamp((v - range.low) / span, 0.f, 1.f);
        const auto& rgb = table[static_cast<size_t>(std::lround(t * 255.f))];
        px[0] = rgb[0];
        px[1] = rgb[1];
        px[2] = rgb[2];
        px[3] = 255;
    }
    return out;
}

std::array<std::uint8_t, 3> colormapColor(Colormap colormap, float t) {
    return lut(colormap)[static_cast<size_t>(std::lround(std::clamp(t, 0.f, 1.f) * 255.f))];
}

RgbaImage colorizeClasses(const ClassMap& map, const std::vector<ClassInfo>& classes) {
    RgbaImage out{map.width, map.height, {}};
    out.pixels.resize(map.values.size() * 4, 0);
    for (size_t i = 0; i < map.values.size(); ++i) {
        const size_t k = map.values[i];
        if (k >= classes.size()) continue;
        for (int c = 0; c < 3; ++c) out.pixels[i * 4 + c] = static_cast<std::uint8_t>(classes[k].color[c]);
        out.pixels[i * 4 + 3] = 255;
    }
    return out;
}

}  // namespace uvis
