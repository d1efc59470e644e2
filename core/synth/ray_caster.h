#pragma once
// Renders a street scene: RGB, metric depth along the optical axis, and class labels, per pixel.
// A CPU ray caster with sun shadows, sky, fog, glass that shows what is behind or reflected,
// sensor noise, and a little label noise at occlusion boundaries.

#include <cstdint>
#include <vector>

#include "core/synth/street_scene.h"

namespace uvis::synth {

struct RenderedFrame {
    int width = 0;
    int height = 0;
    std::vector<std::uint8_t> rgb;    // HWC RGB
    std::vector<float> depth;         // metres (z-depth), sky = kSkyDepth
    std::vector<std::uint8_t> labels; // StreetClass per pixel
};

constexpr float kSkyDepth = 80.f;  // also the cap for every depth

struct RenderOptions {
    int width = 256;
    int height = 192;
    float time = 0.f;             // seconds: moving objects and the camera advance by velocity × time
    float labelNoise = 0.08f;     // chance that a boundary pixel takes its neighbour's label
};

// Deterministic: the same scene and options give identical bytes (per-pixel noise comes from a
// hash of the scene seed, the time and the pixel, so the parallel loop does not change it).
RenderedFrame renderStreet(const StreetScene& scene, const RenderOptions& options);

}  // namespace uvis::synth
