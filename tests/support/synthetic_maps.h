#pragma once
// Small synthetic results for the view tests: ramps with known values, a two-class card.

#include <vector>

#include "core/types/image.h"
#include "core/types/maps.h"
#include "core/model/model_card.h"

namespace uvis {

inline FloatMap ramp(int w, int h, float scale) {
    FloatMap m{w, h, std::vector<float>(static_cast<size_t>(w) * h)};
    for (size_t i = 0; i < m.values.size(); ++i) m.values[i] = scale * static_cast<float>(i) / m.values.size();
    return m;
}

inline UncertaintyMaps depthAndSeg(float scale, bool complete = true) {
    UncertaintyMaps m;
    m.samplesRequested = 8;
    m.samplesDone = complete ? 8 : 2;
    m.hasDepth = true;
    m.depthMean = ramp(8, 6, 40.f * scale);
    m.depthAleatoricVar = ramp(8, 6, 4.f * scale);
    m.depthEpistemicVar = ramp(8, 6, 9.f * scale);
    m.hasSegmentation = true;
    m.classCount = 2;
    m.segClass = ClassMap{8, 6, std::vector<std::uint8_t>(48, 1)};
    m.segConfidence = ramp(8, 6, 1.f);
    m.segEntropy = ramp(8, 6, 0.7f * scale);
    m.segExpectedEntropy = ramp(8, 6, 0.5f * scale);
    m.segMutualInfo = ramp(8, 6, 0.2f * scale);
    return m;
}

inline RgbImage grey(int w, int h, std::uint8_t v) {
    return RgbImage{w, h, std::vector<std::uint8_t>(static_cast<size_t>(w) * h * 3, v)};
}

inline ModelCard card() {
    ModelCard c;
    c.depth = c.segmentation = true;
    c.classes = {{"sky", {128, 128, 128}}, {"road", {128, 64, 128}}};
    return c;
}

}  // namespace uvis
