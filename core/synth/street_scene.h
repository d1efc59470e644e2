#pragma once
// A procedural street scene: what is where, how it moves, how it is lit and seen. Generated
// deterministically from a seed (cv::RNG, whose sequence is the same on every platform).

#include <opencv2/core.hpp>

#include <cstdint>
#include <vector>

#include "core/model/model_card.h"

namespace uvis::synth {

// 8 classes with the CamVid palette.
enum StreetClass : std::uint8_t {
    Sky = 0, Building, Pole, Road, Sidewalk, Vegetation, Vehicle, Pedestrian, ClassCount
};
const std::vector<ClassInfo>& streetClasses();

// A: the training distribution (daylight). B: the same classes and geometry under shifted
// appearance (dusk or night, fog, other colour and texture families, a wider camera).
enum class Domain { A, B };

enum class Texture { Flat, Noise, Bricks, Facade, Stripes, Foliage };

struct Material {
    cv::Vec3f color{0.5f, 0.5f, 0.5f};  // linear albedo
    Texture texture = Texture::Flat;
    float scale = 1.f;                    // texture feature size, metres
    bool glass = false;                   // shows what is behind or reflected; labelled itself
    float litWindows = 0.f;               // facades at night: share of glowing windows
};

struct Box {
    cv::Vec3f lo, hi;        // axis-aligned, at time 0
    cv::Vec3f velocity{0, 0, 0};
    std::uint8_t cls = Building;
    Material material;
};

struct Cylinder {            // vertical
    float x = 0, z = 0, radius = 0.1f, y0 = 0, y1 = 1;
    cv::Vec3f velocity{0, 0, 0};
    std::uint8_t cls = Pole;
    Material material;
};

struct Sphere {
    cv::Vec3f center;
    float radius = 1;
    cv::Vec3f velocity{0, 0, 0};
    std::uint8_t cls = Vegetation;
    Material material;
};

struct Lighting {
    cv::Vec3f sunDirection{0, 1, 0};  // towards the sun
    cv::Vec3f sunColor{1, 1, 1};
    cv::Vec3f ambient{0.3f, 0.3f, 0.35f};
    cv::Vec3f skyZenith{0.25f, 0.45f, 0.9f};
    cv::Vec3f skyHorizon{0.75f, 0.85f, 1.f};
    float exposure = 1.f;     // > 1 over-exposes the sky (and bright surfaces)
    float fogDensity = 0.f;   // per metre
    cv::Vec3f fogColor{0.6f, 0.6f, 0.65f};
    float noiseSigma = 0.01f; // sensor noise, fraction of full scale
};

struct Camera {
    cv::Vec3f position{0, 1.5f, 0};
    float yaw = 0, pitch = 0;  // radians; yaw about +y, pitch about the camera's x axis
    float hfov = 1.2f;         // horizontal field of view, radians
    cv::Vec3f velocity{0, 0, 0};
};

struct RoadLayout {
    float halfWidth = 4.f;
    float sidewalkWidth = 3.f;
    Material asphalt, marking, paving;
};

struct StreetScene {
    Domain domain = Domain::A;
    std::uint64_t seed = 0;
    RoadLayout road;
    std::vector<Box> boxes;
    std::vector<Cylinder> cylinders;
    std::vector<Sphere> spheres;
    Lighting light;
    Camera camera;
};

// A street `length` metres long in front of the camera (+z). For sequences, give the length the
// camera will drive plus what it must see ahead.
StreetScene generateStreetScene(std::uint64_t seed, Domain domain, float length = 160.f);

}  // namespace uvis::synth
