#include "core/export/overlay_frames.h"

#include <opencv2/imgproc.hpp>

#include <algorithm>
#include <utility>

#include "core/imaging/legend.h"
#include "core/model/model_card.h"

namespace uvis {

DisplayOptions defaultOverlayDisplay(const ModelCard& card) {
    DisplayOptions o = displayForModel(DisplayOptions{}, card);
    o.overlay = true;
    return o;
}

OverlayFrames::OverlayFrames(DisplayOptions display) : display_(std::move(display)) {
    // One range for the whole video, so that a colour means one value in every frame.
    if (display_.rangeMode != RangeMode::Manual) display_.rangeMode = RangeMode::FixedAcrossVideo;
}

RgbImage OverlayFrames::picture(const RgbImage& frame, const UncertaintyMaps& maps) {
    const std::string name = measureName(display_.measure);
    const std::optional<ValueRange> range = chosenRange(maps, display_, &memory_);
    if (!range)  // the model has no such map: the frame as it is, and the strip says so
        return withLegendStrip(frame, display_.colormap, ValueRange{0.f, 0.f}, "", "no " + name + " map");
    return withLegendStrip(dropAlpha(chosenOverlay(frame, maps, display_, *range)), display_.colormap, *range,
                           measureUnit(display_.measure), name);
}

std::string asciiText(const std::string& text) {
    static const std::pair<const char*, const char*> spelled[] = {
        {"σ", "sigma"}, {"μ", "mu"}, {"²", "^2"}, {"−", "-"}, {"·", "-"}, {"×", "x"}, {"–", "-"}};
    std::string out = text;
    for (const auto& [from, to] : spelled)
        for (size_t at = out.find(from); at != std::string::npos; at = out.find(from, at + std::string(to).size()))
            out.replace(at, std::string(from).size(), to);
    // Anything else outside ASCII would print as question marks.
    out.erase(std::remove_if(out.begin(), out.end(), [](char c) { return static_cast<unsigned char>(c) >= 0x80; }),
              out.end());
    return out;
}

RgbImage withLegendStrip(const RgbImage& picture, Colormap colormap, ValueRange range, const std::string& unit,
                         const std::string& title) {
    const int w = picture.width, h = picture.height;
    cv::Mat out(h + kLegendStripHeight, w, CV_8UC3, cv::Scalar(32, 32, 32));
    cv::Mat(h, w, CV_8UC3, const_cast<std::uint8_t*>(picture.pixels.data())).copyTo(out(cv::Rect(0, 0, w, h)));
    const int margin = 8, barTop = h + 5, barHeight = 10;
    const bool hasRange = range.high > range.low;
    if (hasRange)
        for (int x = margin; x < w - margin; ++x) {
            const auto c = colormapColor(colormap, static_cast<float>(x - margin) / std::max(1, w - 2 * margin - 1));
            cv::line(out, {x, barTop}, {x, barTop + barHeight - 1}, cv::Scalar(c[0], c[1], c[2]));
        }
    const int font = cv::FONT_HERSHEY_SIMPLEX, baseline = h + kLegendStripHeight - 7;
    const cv::Scalar ink(235, 235, 235);
    double scale = 0.42;
    auto textWidth = [&](const std::string& s) {
        int unused = 0;
        return cv::getTextSize(s, font, scale, 1, &unused).width;
    };
    std::string low, high;
    if (hasRange) {
        const Legend legend = makeLegend(range, unit);
        low = asciiText(legend.lowLabel);
        high = asciiText(legend.highLabel);
    }
    // The title between the ends: in smaller letters on a narrow video, and shortened only if
    // even those would run into the ends.
    std::string name = asciiText(title);
    auto room = [&] { return w - 2 * margin - textWidth(low) - textWidth(high) - 16; };
    if (textWidth(name) > room()) scale = 0.32;
    while (!name.empty() && textWidth(name) > room()) name.pop_back();
    cv::putText(out, low, {margin, baseline}, font, scale, ink, 1, cv::LINE_AA);
    cv::putText(out, high, {w - margin - textWidth(high), baseline}, font, scale, ink, 1, cv::LINE_AA);
    cv::putText(out, name, {(w - textWidth(name)) / 2, baseline}, font, scale, ink, 1, cv::LINE_AA);
    RgbImage result{w, h + kLegendStripHeight, {}};
    result.pixels.assign(out.data, out.data + out.total() * 3);
    return result;
}

}  // namespace uvis
