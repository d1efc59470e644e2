#include "core/synth/street_scene.h"

#include <cmath>

namespace uvis::synth {
namespace {

constexpr float kPi = 3.14159265f;

// Appearance families per domain: the geometry generator is shared, only these differ.
struct Style {
    std::vector<cv::Vec3f> facades, vehicles, clothes, foliage;
    cv::Vec3f asphalt, paving;
    float flatWallShare;           // textureless walls
    Texture patterned;             // the non-facade wall texture
    float camHeightLo, camHeightHi, hfovLo, hfovHi;
};

Style styleFor(Domain d) {
    if (d == Domain::A)
        return {{{0.62f, 0.55f, 0.45f}, {0.55f, 0.27f, 0.2f}, {0.6f, 0.6f, 0.6f}, {0.75f, 0.7f, 0.6f}, {0.45f, 0.42f, 0.4f}},
                {{0.8f, 0.8f, 0.8f}, {0.1f, 0.1f, 0.12f}, {0.55f, 0.08f, 0.06f}, {0.15f, 0.2f, 0.45f}, {0.6f, 0.6f, 0.62f}, {0.95f, 0.95f, 0.95f}},
                {{0.2f, 0.2f, 0.3f}, {0.5f, 0.1f, 0.1f}, {0.3f, 0.35f, 0.2f}, {0.6f, 0.55f, 0.4f}, {0.1f, 0.1f, 0.1f}},
                {{0.18f, 0.35f, 0.1f}, {0.25f, 0.4f, 0.12f}, {0.15f, 0.28f, 0.12f}},
                {0.16f, 0.16f, 0.17f}, {0.5f, 0.48f, 0.45f},
                0.2f, Texture::Bricks, 1.35f, 1.8f, 60.f, 75.f};
    // B: other hue families (teal, violet, olive), stripes instead of bricks, wider lens.
    return {{{0.2f, 0.45f, 0.45f}, {0.4f, 0.25f, 0.5f}, {0.45f, 0.5f, 0.2f}, {0.3f, 0.3f, 0.55f}, {0.55f, 0.4f, 0.55f}},
            {{0.9f, 0.6f, 0.1f}, {0.1f, 0.6f, 0.5f}, {0.6f, 0.1f, 0.6f}, {0.85f, 0.85f, 0.3f}, {0.2f, 0.25f, 0.2f}},
            {{0.8f, 0.4f, 0.1f}, {0.1f, 0.5f, 0.6f}, {0.7f, 0.7f, 0.2f}, {0.4f, 0.1f, 0.4f}},
            {{0.35f, 0.3f, 0.08f}, {0.25f, 0.15f, 0.25f}, {0.1f, 0.3f, 0.3f}},
            {0.28f, 0.22f, 0.2f}, {0.35f, 0.4f, 0.45f},
            0.2f, Texture::Stripes, 1.1f, 2.4f, 85.f, 100.f};
}

template <typename T>
const T& pick(cv::RNG& rng, const std::vector<T>& options) {
    return options[static_cast<size_t>(rng.uniform(0, static_cast<int>(options.size())))];
}

cv::Vec3f jitter(cv::RNG& rng, cv::Vec3f c, float amount) {
    for (int i = 0; i < 3; ++i) c[i] = std::clamp(c[i] * (1.f + rng.uniform(-amount, amount)), 0.f, 1.f);
    return c;
}

cv::Vec3f normalized(cv::Vec3f v) { return v / static_cast<float>(cv::norm(v)); }

Lighting lightingFor(Domain d, cv::RNG& rng) {
    Lighting l;
    const float azimuth = rng.uniform(0.f, 2 * kPi);
    if (d == Domain::A) {
        const float elevation = rng.uniform(20.f, 65.f) * kPi / 180;
        l.sunDirection = normalized({std::cos(elevation) * std::sin(azimuth), std::sin(elevation),
                                     std::cos(elevation) * std::cos(azimuth)});
        l.sunColor = jitter(rng, {1.f, 0.95f, 0.85f}, 0.05f) * rng.uniform(0.9f, 1.2f);
        l.ambient = jitter(rng, {0.32f, 0.34f, 0.4f}, 0.1f);
        // One scene in four has an over-exposed (washed-out) sky.
        l.exposure = rng.uniform(0.f, 1.f) < 0.25f ? rng.uniform(1.6f, 2.2f) : rng.uniform(0.9f, 1.15f);
        l.fogDensity = rng.uniform(0.f, 0.002f);
        l.noiseSigma = rng.uniform(0.005f, 0.015f);
        return l;
    }
    const bool night = rng.uniform(0.f, 1.f) < 0.5f;
    const float elevation = (night ? rng.uniform(20.f, 50.f) : rng.uniform(2.f, 10.f)) * kPi / 180;
    l.sunDirection = normalized({std::cos(elevation) * std::sin(azimuth), std::sin(elevation),
                                 std::cos(elevation) * std::cos(azimuth)});
    if (night) {  // moonlight, dark blue sky, glowing windows
        l.sunColor = {0.12f, 0.14f, 0.22f};
        l.ambient = {0.07f, 0.07f, 0.1f};
        l.skyZenith = {0.01f, 0.015f, 0.05f};
        l.skyHorizon = {0.08f, 0.07f, 0.12f};
        l.fogColor = {0.06f, 0.06f, 0.09f};
    } else {      // dusk
        l.sunColor = jitter(rng, {1.f, 0.45f, 0.2f}, 0.1f);
        l.ambient = {0.18f, 0.14f, 0.2f};
        l.skyZenith = {0.2f, 0.15f, 0.35f};
        l.skyHorizon = {0.95f, 0.5f, 0.3f};
        l.fogColor = {0.55f, 0.4f, 0.4f};
    }
    l.exposure = rng.uniform(0.9f, 1.3f);
    l.fogDensity = rng.uniform(0.01f, 0.035f);
    l.noiseSigma = rng.uniform(0.015f, 0.035f);
    return l;
}

void addVehicle(StreetScene& s, cv::RNG& rng, const Style& style, float x, float z, float speed) {
    const bool truck = rng.uniform(0.f, 1.f) < 0.15f;
    const float width = truck ? 2.4f : rng.uniform(1.7f, 1.9f);
    const float length = truck ? rng.uniform(6.f, 9.f) : rng.uniform(3.8f, 4.8f);
    const float bodyTop = truck ? rng.uniform(2.8f, 3.4f) : rng.uniform(0.9f, 1.1f);
    Material body{jitter(rng, pick(rng, style.vehicles), 0.1f), Texture::Noise, 0.5f};
    if (truck) body.color = {0.92f, 0.92f, 0.92f};  // white side, hard to see against a bright sky
    const cv::Vec3f v{0, 0, speed};
    Box b{{x - width / 2, 0.25f, z}, {x + width / 2, bodyTop, z + length}, v, Vehicle, body};
    s.boxes.push_back(b);
    Material glass{{0.3f, 0.35f, 0.38f}, Texture::Flat, 1.f, true};
    if (truck) {  // cab windscreen at the front (towards the camera)
        s.boxes.push_back({{x - width / 2 + 0.05f, bodyTop * 0.55f, z - 0.02f},
                           {x + width / 2 - 0.05f, bodyTop * 0.85f, z + 0.3f}, v, Vehicle, glass});
    } else {      // glass cabin on top of the body
        const float cabinStart = z + length * rng.uniform(0.2f, 0.3f);
        s.boxes.push_back({{x - width / 2 + 0.1f, bodyTop, cabinStart},
                           {x + width / 2 - 0.1f, bodyTop + rng.uniform(0.45f, 0.6f), cabinStart + length * 0.45f},
                           v, Vehicle, glass});
    }
    // Wheels, dark, labelled vehicle.
    for (float wz : {z + 0.7f, z + length - 0.7f})
        s.boxes.push_back({{x - width / 2 - 0.02f, 0.f, wz - 0.35f}, {x + width / 2 + 0.02f, 0.3f, wz + 0.35f},
                           v, Vehicle, Material{{0.04f, 0.04f, 0.04f}}});
}

void addPedestrian(StreetScene& s, cv::RNG& rng, const Style& style, float x, float z, cv::Vec3f velocity) {
    const float height = rng.uniform(1.5f, 1.9f);
    const float r = rng.uniform(0.18f, 0.26f);
    s.cylinders.push_back({x, z, r, 0.f, height * 0.82f, velocity, Pedestrian,
                           Material{jitter(rng, pick(rng, style.clothes), 0.15f), Texture::Noise, 0.2f}});
    s.spheres.push_back({{x, height * 0.9f, z}, 0.11f, velocity, Pedestrian,
                         Material{jitter(rng, {0.6f, 0.45f, 0.35f}, 0.3f)}});
}

void addPole(StreetScene& s, cv::RNG& rng, Domain d, float x, float z) {
    const float height = rng.uniform(3.f, 7.f);
    s.cylinders.push_back({x, z, rng.uniform(0.05f, 0.1f), 0.f, height, {0, 0, 0}, Pole,
                           Material{{0.35f, 0.35f, 0.37f}, Texture::Noise, 0.3f}});
    if (rng.uniform(0.f, 1.f) < 0.5f) {  // a sign
        const cv::Vec3f colors[] = {{0.7f, 0.05f, 0.05f}, {0.05f, 0.2f, 0.7f}, {0.9f, 0.75f, 0.05f}};
        cv::Vec3f c = colors[rng.uniform(0, 3)];
        if (d == Domain::B) c = {c[2], c[0], c[1]};
        const float y = height - rng.uniform(0.3f, 1.2f);
        s.boxes.push_back({{x - 0.35f, y - 0.35f, z - 0.03f}, {x + 0.35f, y + 0.35f, z + 0.03f},
                           {0, 0, 0}, Pole, Material{c}});
    }
}

void addTree(StreetScene& s, cv::RNG& rng, const Style& style, float x, float z) {
    const float trunk = rng.uniform(1.8f, 3.f);
    const float crown = rng.uniform(1.2f, 2.6f);
    s.cylinders.push_back({x, z, rng.uniform(0.12f, 0.2f), 0.f, trunk + crown * 0.5f, {0, 0, 0},
                           Vegetation, Material{{0.25f, 0.18f, 0.1f}, Texture::Noise, 0.1f}});
    s.spheres.push_back({{x, trunk + crown, z}, crown, {0, 0, 0}, Vegetation,
                         Material{jitter(rng, pick(rng, style.foliage), 0.15f), Texture::Foliage, 0.25f}});
}

}  // namespace

const std::vector<ClassInfo>& streetClasses() {
    static const std::vector<ClassInfo> classes{
        {"sky", {128, 128, 128}},     {"building", {128, 0, 0}},   {"pole", {192, 192, 128}},
        {"road", {128, 64, 128}},     {"sidewalk", {60, 40, 222}}, {"vegetation", {128, 128, 0}},
        {"vehicle", {64, 0, 128}},    {"pedestrian", {64, 64, 0}}};
    return classes;
}

StreetScene generateStreetScene(std::uint64_t seed, Domain domain, float length) {
    cv::RNG rng(seed * 2654435761ull + (domain == Domain::A ? 1 : 2));
    const Style style = styleFor(domain);
    StreetScene s;
    s.domain = domain;
    s.seed = seed;
    s.light = lightingFor(domain, rng);
    s.road.halfWidth = rng.uniform(3.2f, 5.5f);
    s.road.sidewalkWidth = rng.uniform(2.f, 4.f);
    s.road.asphalt = {jitter(rng, style.asphalt, 0.15f), Texture::Noise, 0.08f};
    s.road.marking = {{0.85f, 0.85f, 0.8f}, Texture::Noise, 0.05f};
    s.road.paving = {jitter(rng, style.paving, 0.15f), Texture::Bricks, 0.45f};

    Camera& cam = s.camera;
    cam.position = {rng.uniform(-s.road.halfWidth * 0.6f, s.road.halfWidth * 0.6f),
                    rng.uniform(style.camHeightLo, style.camHeightHi), 0.f};
    cam.yaw = rng.uniform(-0.17f, 0.17f);
    cam.pitch = rng.uniform(-0.12f, 0.03f);
    cam.hfov = rng.uniform(style.hfovLo, style.hfovHi) * kPi / 180;

    const float edge = s.road.halfWidth + s.road.sidewalkWidth;
    // Buildings along both sides, in segments with occasional gaps.
    for (int side : {-1, 1}) {
        float z = -15.f;
        while (z < length) {
            const float width = rng.uniform(6.f, 24.f);
            const float setback = rng.uniform(0.f, 1.f) < 0.7f ? 0.f : rng.uniform(0.5f, 4.f);
            const float depth = rng.uniform(8.f, 20.f);
            const float height = rng.uniform(5.f, 32.f);
            Material m;
            const float kind = rng.uniform(0.f, 1.f);
            m.color = jitter(rng, pick(rng, style.facades), 0.12f);
            if (kind < style.flatWallShare) m.texture = Texture::Flat;  // textureless wall
            else if (kind < 0.55f) {
                m.texture = style.patterned;
                m.scale = rng.uniform(0.25f, 0.4f);
            } else {
                m.texture = Texture::Facade;
                m.scale = rng.uniform(2.2f, 3.4f);
            }
            if (domain == Domain::B && s.light.sunColor[0] < 0.2f) m.litWindows = rng.uniform(0.1f, 0.4f);
            const float x0 = side * (edge + setback), x1 = side * (edge + setback + depth);
            s.boxes.push_back({{std::min(x0, x1), 0.f, z}, {std::max(x0, x1), height, z + width},
                               {0, 0, 0}, Building, m});
            z += width + (rng.uniform(0.f, 1.f) < 0.25f ? rng.uniform(2.f, 8.f) : 0.f);
            // Bushes and trees in front of some buildings.
            if (rng.uniform(0.f, 1.f) < 0.3f)
                s.spheres.push_back({{side * (edge + setback - 0.6f), 0.4f, z - width * rng.uniform(0.2f, 0.8f)},
                                     rng.uniform(0.5f, 1.0f), {0, 0, 0}, Vegetation,
                                     Material{jitter(rng, pick(rng, style.foliage), 0.2f), Texture::Foliage, 0.2f}});
        }
    }
    // Street furniture on the sidewalks: poles, trees, pedestrians.
    for (int side : {-1, 1}) {
        for (float z = rng.uniform(2.f, 12.f); z < length; z += rng.uniform(10.f, 28.f))
            addPole(s, rng, domain, side * (s.road.halfWidth + rng.uniform(0.3f, 0.6f)), z);
        for (float z = rng.uniform(4.f, 20.f); z < length; z += rng.uniform(12.f, 35.f))
            addTree(s, rng, style, side * (s.road.halfWidth + s.road.sidewalkWidth * rng.uniform(0.5f, 0.8f)), z);
        for (float z = rng.uniform(3.f, 15.f); z < length; z += rng.uniform(6.f, 25.f)) {
            const float walk = rng.uniform(0.f, 1.f) < 0.5f ? rng.uniform(-1.5f, 1.5f) : 0.f;
            addPedestrian(s, rng, style, side * (s.road.halfWidth + rng.uniform(0.5f, s.road.sidewalkWidth - 0.3f)),
                          z, {0, 0, walk});
        }
    }
    // A pedestrian crossing the road now and then.
    if (rng.uniform(0.f, 1.f) < 0.4f)
        addPedestrian(s, rng, style, rng.uniform(-s.road.halfWidth, s.road.halfWidth), rng.uniform(8.f, 30.f),
                      {rng.uniform(-1.4f, 1.4f), 0, 0});
    // Parked cars along the kerbs and moving traffic in both lanes.
    for (int side : {-1, 1}) {
        for (float z = rng.uniform(3.f, 12.f); z < length; z += rng.uniform(6.f, 30.f))
            addVehicle(s, rng, style, side * (s.road.halfWidth - 1.1f), z, 0.f);
        for (float z = rng.uniform(8.f, 30.f); z < length; z += rng.uniform(15.f, 50.f)) {
            const float lane = side * s.road.halfWidth * 0.4f;
            if (std::abs(lane - cam.position[0]) < 1.6f && z < 12.f) continue;  // not on the camera
            addVehicle(s, rng, style, lane, z, side > 0 ? rng.uniform(4.f, 12.f) : -rng.uniform(4.f, 12.f));
        }
    }
    return s;
}

}  // namespace uvis::synth
