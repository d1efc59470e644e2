#include "core/engine/pixel_inspector.h"

#include "core/calibration/calibration.h"

#include <algorithm>
#include <cmath>

namespace uvis {

namespace {

std::string className(const std::vector<ClassInfo>& classes, int k) {
    return k < static_cast<int>(classes.size()) ? classes[k].name : std::to_string(k);
}

// The pixel of a map `width` × `height` under the normalised scene point.
std::pair<int, int> pixelAt(int width, int height, double nx, double ny) {
    return {std::clamp(static_cast<int>(nx * width), 0, width - 1), std::clamp(static_cast<int>(ny * height), 0, height - 1)};
}

}  // namespace

PixelReport inspectPixel(const UncertaintyMaps& maps, const std::vector<ClassInfo>& classes, int x, int y) {
    PixelReport r;
    r.x = x;
    r.y = y;
    const FloatMap& any = maps.hasDepth ? maps.depthMean : maps.segConfidence;
    if (any.empty() || x < 0 || y < 0 || x >= any.width || y >= any.height) return r;
    r.valid = true;
    r.calibration = calibrationText(maps.temperature, maps.depthVarianceScale);
    if (maps.hasDepth) {
        r.depthMean = maps.depthMean.at(x, y);
        if (!maps.depthAleatoricVar.empty())
            r.aleatoricStd = std::sqrt(std::max(0.f, maps.depthAleatoricVar.at(x, y)));
        r.epistemicStd = std::sqrt(std::max(0.f, maps.depthEpistemicVar.at(x, y)));
    }
    if (maps.hasSegmentation) {
        const int k = maps.segClass.at(x, y);
        auto name = [&](int c) { return className(classes, c); };
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

void addTruth(PixelReport* r, const UncertaintyMaps& maps, const FloatMap* depth, const ClassMap* labels,
              const std::vector<ClassInfo>& classes, double nx, double ny) {
    if (!r->valid) return;
    if (depth && !depth->empty()) {
        r->hasDepthTruth = true;
        const auto [x, y] = pixelAt(depth->width, depth->height, nx, ny);
        const float truth = depth->at(x, y);
        if (std::isfinite(truth) && truth > 0) {
            r->trueDepth = truth;
            if (r->depthMean) r->depthError = *r->depthMean - truth;
        }
    }
    if (labels && !labels->empty()) {
        r->hasLabelTruth = true;
        const auto [x, y] = pixelAt(labels->width, labels->height, nx, ny);
        const int k = labels->at(x, y);
        if (k != 255 && k < std::max<int>(maps.classCount, static_cast<int>(classes.size()))) {
            float probability = 0.f;
            const size_t plane = static_cast<size_t>(maps.segClass.width) * maps.segClass.height;
            if (maps.segMeanProbabilities.size() == plane * maps.classCount && k < maps.classCount)
                probability = maps.segMeanProbabilities[k * plane + static_cast<size_t>(r->y) * maps.segClass.width + r->x];
            r->trueClass = ClassScore{k, className(classes, k), probability};
            if (r->predicted) r->classCorrect = r->predicted->index == k;
        }
    }
}

}  // namespace uvis
