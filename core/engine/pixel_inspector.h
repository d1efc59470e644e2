#pragma once
// The numbers behind one pixel of the maps, for the application's pixel inspector: depth
// μ ± aleatoric σ ± epistemic σ, the class with its confidence and the top three classes, the
// predictive and expected entropies and the mutual information. Reads maps; computes no
// uncertainty of its own.

#include <optional>
#include <string>
#include <vector>

#include "core/types/maps.h"
#include "core/model/model_card.h"

namespace uvis {

struct ClassScore {
    int index = 0;
    std::string name;
    float probability = 0.f;
};

struct PixelReport {
    bool valid = false;  // false outside the maps
    int x = 0, y = 0;
    std::optional<float> depthMean, aleatoricStd, epistemicStd;  // metres; no aleatoric without depth_logvar
    std::optional<ClassScore> predicted;                           // argmax p̄, its confidence
    std::vector<ClassScore> top;                                   // up to three, most probable first
    std::optional<float> entropy, expectedEntropy, mutualInfo;     // nats
    std::optional<float> logitVar;
    std::string calibration;  // calibrationText of the maps; empty when uncalibrated
    // Ground truth at the same scene point (addTruth), when the image has it.
    bool hasDepthTruth = false, hasLabelTruth = false;
    std::optional<float> trueDepth, depthError;  // metres; error = μ − truth; none at an invalid pixel
    std::optional<ClassScore> trueClass;          // its name and the probability the model gave it
    std::optional<bool> classCorrect;             // none at an ignored pixel
};

// (x, y) in map pixels (the model's input size).
PixelReport inspectPixel(const UncertaintyMaps& maps, const std::vector<ClassInfo>& classes, int x, int y);

// Adds the ground truth at the normalised scene point (nx, ny) ∈ [0, 1)²: the truth maps have the
// image's own size, the report's maps the model's, so both are addressed by the scene point.
// Either map may be null. Depth 0 (or not finite) is an invalid pixel, class 255 an ignored one.
void addTruth(PixelReport* report, const UncertaintyMaps& maps, const FloatMap* depth, const ClassMap* labels,
              const std::vector<ClassInfo>& classes, double nx, double ny);

}  // namespace uvis
