#include "core/pixel_inspector.h"

#include <algorithm>
#include <cmath>

namespace uvis {

PixelReport inspectPixel(const UncertaintyMaps& maps, const std::vector<ClassInfo>& classes, int x, int y) {
    PixelReport r;
    r.x = x;
    r.y = y;
    const FloatMap& any = maps.hasDepth ? maps.depthMean : maps.segConfidence;
    if (any.empty() || x < 0 || y < 0 || x >= any.width || y >= any.height) return r;
    r.valid = true;
    if (maps.hasDepth) {
        r.depthMean = maps.depthMean.at(x, y);
        r.aleatoricStd = std::sqrt(std::max(0.f, maps.depthAleatoricVar.at(x, y)));
        r.epistemicStd = std::sqrt(std::max(0.f, maps.depthEpistemicVar.at(x, y)));
    }
    if (maps.hasSegmentation) {
        auto name = [&](int k) { return k < static_cast<int>(classes.size()) ? classes[k].name : std::to_string(k); };
        const int k = maps.segClass.at(x, y);
        r.predicted = ClassScore{k, name(k), maps.segConfidence.at(x, y)};
        const size_t plane = static_cast<size_t>(maps.segClass.width) * maps.segClass.height;
        const size_t pixel = static_cast<size_t>(y) * maps.segClass.width + x;
        if (maps.segMeanProbabilities.size() == plane * maps.classCount) {
            std::vector<ClassScore> all;
            for (int c = 0; c < maps.classCount; ++c)
                all.push_back({c, name(c), maps.segMeanProbabilities[c * plane + pixel]});
            std::stable_sort(all.begin(), all.end(),
                             [](const ClassScore& a, const ClassScore& b) { return a.probability > b.probability; });
            all.resize(std::min<size_t>(3, all.size()));
            r.top = all;
        }
        r.entropy = maps.segEntropy.at(x, y);
        r.expectedEntropy = maps.segExpectedEntropy.at(x, y);
        r.mutualInfo = maps.segMutualInfo.at(x, y);
        if (!maps.segLogitVar.empty()) r.logitVar = maps.segLogitVar.at(x, y);
    }
    return r;
}

}  // namespace uvis
