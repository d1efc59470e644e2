#include "core/synth/ray_caster.h"

#include <opencv2/core.hpp>

#include <algorithm>
#include <cmath>
#include <limits>

namespace uvis::synth {
namespace {

using V = cv::Vec3f;
constexpr float kInf = std::numeric_limits<float>::infinity();

// Integer hash → [0, 1): deterministic noise without shared RNG state.
float hash01(std::uint64_t x) {
    x ^= x >> 33;
    x *= 0xff51afd7ed558ccdull;
    x ^= x >> 33;
    x *= 0xc4ceb9fe1a85ec53ull;
    x ^= x >> 33;
    return static_cast<float>(x >> 40) / static_cast<float>(1ull << 24);
}

std::uint64_t cellKey(int a, int b, int c) {
    return (static_cast<std::uint64_t>(static_cast<std::uint32_t>(a)) * 73856093ull) ^
           (static_cast<std::uint64_t>(static_cast<std::uint32_t>(b)) * 19349663ull) ^
           (static_cast<std::uint64_t>(static_cast<std::uint32_t>(c)) * 83492791ull);
}

// Smooth value noise in 3-D, [0, 1).
float valueNoise(V p) {
    const int x = static_cast<int>(std::floor(p[0])), y = static_cast<int>(std::floor(p[1])),
              z = static_cast<int>(std::floor(p[2]));
    const float fx = p[0] - x, fy = p[1] - y, fz = p[2] - z;
    auto s = [](float t) { return t * t * (3 - 2 * t); };
    const float u = s(fx), v = s(fy), w = s(fz);
    float acc = 0;
    for (int dz = 0; dz < 2; ++dz)
        for (int dy = 0; dy < 2; ++dy)
            for (int dx = 0; dx < 2; ++dx)
                acc += hash01(cellKey(x + dx, y + dy, z + dz)) * (dx ? u : 1 - u) * (dy ? v : 1 - v) *
                       (dz ? w : 1 - w);
    return acc;
}

struct Hit {
    float t = kInf;
    V normal;
    const Material* material = nullptr;
    std::uint8_t cls = Sky;
    int object = -1;  // index among all primitives, to skip the glass itself on re-tracing
};

struct Ray {
    V o, d;
};

class Tracer {
public:
    Tracer(const StreetScene& s, float time) : s_(s), time_(time) {}

    Hit intersect(const Ray& r, int skip = -1, bool shadowOnly = false) const {
        Hit best;
        // Ground plane y = 0.
        if (r.d[1] < -1e-6f) {
            const float t = -r.o[1] / r.d[1];
            if (t > 1e-4f) {
                best.t = t;
                best.normal = {0, 1, 0};
                best.object = -2;
            }
        }
        int id = 0;
        for (const Box& b : s_.boxes) {
            if (id != skip && !(shadowOnly && b.material.glass)) {
                const V shift = b.velocity * time_;
                float t0 = 1e-4f, t1 = best.t;
                int axis = -1;
                bool entered = true;
                for (int a = 0; a < 3 && entered; ++a) {
                    const float inv = 1.f / r.d[a];
                    float tn = (b.lo[a] + shift[a] - r.o[a]) * inv, tf = (b.hi[a] + shift[a] - r.o[a]) * inv;
                    if (tn > tf) std::swap(tn, tf);
                    if (tn > t0) t0 = tn, axis = a;
                    t1 = std::min(t1, tf);
                    entered = t0 <= t1;
                }
                if (entered && axis >= 0 && t0 < best.t) {
                    best.t = t0;
                    best.normal = {0, 0, 0};
                    best.normal[axis] = r.d[axis] > 0 ? -1.f : 1.f;
                    best.material = &b.material;
                    best.cls = b.cls;
                    best.object = id;
                }
            }
            ++id;
        }
        for (const Cylinder& c : s_.cylinders) {
            if (id != skip) {
                const float cx = c.x + c.velocity[0] * time_, cz = c.z + c.velocity[2] * time_;
                const float ox = r.o[0] - cx, oz = r.o[2] - cz;
                const float a = r.d[0] * r.d[0] + r.d[2] * r.d[2];
                const float b = 2 * (ox * r.d[0] + oz * r.d[2]);
                const float cc = ox * ox + oz * oz - c.radius * c.radius;
                const float disc = b * b - 4 * a * cc;
                if (a > 1e-9f && disc >= 0) {
                    const float t = (-b - std::sqrt(disc)) / (2 * a);
                    const float y = r.o[1] + t * r.d[1];
                    if (t > 1e-4f && t < best.t && y >= c.y0 && y <= c.y1) {
                        best.t = t;
                        best.normal = V(ox + t * r.d[0], 0, oz + t * r.d[2]) / c.radius;
                        best.material = &c.material;
                        best.cls = c.cls;
                        best.object = id;
                    }
                }
            }
            ++id;
        }
        for (const Sphere& sp : s_.spheres) {
            if (id != skip) {
                const V center = sp.center + sp.velocity * time_;
                const V oc = r.o - center;
                const float b = oc.dot(r.d);
                const float disc = b * b - (oc.dot(oc) - sp.radius * sp.radius);
                if (disc >= 0) {
                    const float t = -b - std::sqrt(disc);
                    if (t > 1e-4f && t < best.t) {
                        best.t = t;
                        best.normal = (oc + r.d * t) / sp.radius;
                        best.material = &sp.material;
                        best.cls = sp.cls;
                        best.object = id;
                    }
                }
            }
            ++id;
        }
        if (best.object == -2) groundClass(r.o + r.d * best.t, &best);
        return best;
    }

    V sky(const V& d) const {
        const Lighting& l = s_.light;
        const float up = std::clamp(d[1], 0.f, 1.f);
        V c = l.skyHorizon * (1 - up) + l.skyZenith * up;
        const float sun = std::max(0.f, d.dot(l.sunDirection));
        c += l.sunColor * (std::pow(sun, 200.f) * 4.f + std::pow(sun, 8.f) * 0.25f);
        return c * l.exposure * 1.1f;
    }

    // Colour seen along a ray; `depth` > 0 allows one more bounce through glass.
    V shade(const Ray& r, const Hit& h, int depth) const {
        if (h.t == kInf) return sky(r.d);
        const V p = r.o + r.d * h.t;
        const Material& m = *h.material;
        if (m.glass) {
            if (depth <= 0) return m.color * 0.3f;
            // Fresnel-like mix: grazing views reflect more.
            const float cosine = std::abs(r.d.dot(h.normal));
            const float reflect = 0.25f + 0.6f * std::pow(1.f - cosine, 3.f);
            const Ray reflected{p + h.normal * 1e-3f, r.d - h.normal * (2 * r.d.dot(h.normal))};
            const Ray through{p + r.d * 1e-3f, r.d};
            const V a = shade(reflected, intersect(reflected, h.object), depth - 1);
            const V b = shade(through, intersect(through, h.object), depth - 1);
            // Tinted glass: what is behind shows through darkened, so the cabin reads as glass.
            return a * (reflect * 0.8f) + b.mul(V(0.4f, 0.45f, 0.48f)) * (1 - reflect);
        }
        V albedo = texture(m, p, h.normal);
        const Lighting& l = s_.light;
        V light = l.ambient * (0.6f + 0.4f * h.normal[1]);
        const float lambert = h.normal.dot(l.sunDirection);
        if (lambert > 0) {
            const Ray toSun{p + h.normal * 1e-3f, l.sunDirection};
            if (intersect(toSun, h.object, /*shadowOnly=*/true).t == kInf) light += l.sunColor * lambert;
        }
        V c = albedo.mul(light) * l.exposure;
        if (m.litWindows > 0 && isLitWindow(m, p, h.normal)) c += V(0.9f, 0.75f, 0.4f);
        return c;
    }

    V fog(const V& c, float distance) const {
        if (s_.light.fogDensity <= 0) return c;
        const float keep = std::exp(-s_.light.fogDensity * distance);
        return c * keep + s_.light.fogColor * (1 - keep);
    }

private:
    // Road, lane markings and sidewalk on the ground plane.
    void groundClass(const V& p, Hit* h) const {
        const RoadLayout& road = s_.road;
        const float ax = std::abs(p[0]);
        if (ax < road.halfWidth) {
            h->cls = Road;
            const bool centreDash = ax < 0.08f && std::fmod(std::abs(p[2]) + 100.f, 6.f) < 3.f;
            const bool edgeLine = std::abs(ax - (road.halfWidth - 0.25f)) < 0.07f;
            h->material = centreDash || edgeLine ? &road.marking : &road.asphalt;
        } else {
            h->cls = Sidewalk;
            h->material = &road.paving;
        }
    }

    V texture(const Material& m, const V& p, const V& n) const {
        switch (m.texture) {
            case Texture::Flat: return m.color;
            case Texture::Noise: return m.color * (0.85f + 0.3f * valueNoise(p / m.scale));
            case Texture::Foliage: {
                const float f = valueNoise(p / m.scale) * 0.6f + valueNoise(p / (m.scale * 4)) * 0.4f;
                return m.color * (0.55f + 0.9f * f);
            }
            case Texture::Bricks: {
                const float u = std::abs(n[0]) > 0.5f ? p[2] : p[0];
                const float v = std::abs(n[1]) > 0.5f ? p[2] : p[1];
                const float row = std::floor(v / m.scale);
                const float offset = std::fmod(row, 2.f) * 0.5f;
                const float fu = u / (2 * m.scale) + offset - std::floor(u / (2 * m.scale) + offset);
                const float fv = v / m.scale - row;
                const bool mortar = fu < 0.06f || fv < 0.1f;
                const float tone = 0.85f + 0.3f * hash01(cellKey(static_cast<int>(std::floor(u / (2 * m.scale) + offset)),
                                                                 static_cast<int>(row), 7));
                return mortar ? V(0.7f, 0.7f, 0.68f) : m.color * tone;
            }
            case Texture::Stripes: {
                const float v = std::abs(n[1]) > 0.5f ? p[2] : p[1];
                return m.color * (std::fmod(std::abs(v), 2 * m.scale) < m.scale ? 1.f : 0.7f);
            }
            case Texture::Facade:
                return facadeCell(m, p, n).window ? V(0.08f, 0.1f, 0.13f)
                                                  : m.color * (0.9f + 0.2f * valueNoise(p * 2.f));
        }
        return m.color;
    }

    // The window grid of a facade: which cell p is in, and whether that part is glass.
    struct FacadeCell {
        int column, floor;
        bool window;
    };
    static FacadeCell facadeCell(const Material& m, const V& p, const V& n) {
        const float u = std::abs(n[0]) > 0.5f ? p[2] : p[0];
        const float cu = std::floor(u / m.scale), cv = std::floor(p[1] / (m.scale * 1.2f));
        const float fu = u / m.scale - cu, fv = p[1] / (m.scale * 1.2f) - cv;
        return {static_cast<int>(cu), static_cast<int>(cv),
                fu > 0.2f && fu < 0.8f && fv > 0.3f && fv < 0.85f && p[1] > 1.f};
    }

    bool isLitWindow(const Material& m, const V& p, const V& n) const {
        if (m.texture != Texture::Facade) return false;
        const FacadeCell cell = facadeCell(m, p, n);
        return cell.window && hash01(cellKey(cell.column, cell.floor, 99)) < m.litWindows;
    }

    const StreetScene& s_;
    float time_;
};

std::uint8_t toByte(float linear) {
    // sRGB-like gamma; values above 1 saturate (over-exposure).
    const float g = std::pow(std::clamp(linear, 0.f, 1.f), 1.f / 2.2f);
    return static_cast<std::uint8_t>(std::lround(g * 255.f));
}

}  // namespace

RenderedFrame renderStreet(const StreetScene& scene, const RenderOptions& o) {
    RenderedFrame f;
    f.width = o.width;
    f.height = o.height;
    f.rgb.resize(static_cast<size_t>(o.width) * o.height * 3);
    f.depth.resize(static_cast<size_t>(o.width) * o.height);
    f.labels.resize(f.depth.size());

    const Camera& cam = scene.camera;
    const V eye = cam.position + cam.velocity * o.time;
    // Camera basis: forward from yaw/pitch, right on the ground plane, up orthogonal.
    const V forward(std::sin(cam.yaw) * std::cos(cam.pitch), std::sin(cam.pitch),
                    std::cos(cam.yaw) * std::cos(cam.pitch));
    const V right = V(forward[2], 0, -forward[0]) / static_cast<float>(std::hypot(forward[2], forward[0]));
    const V up = right.cross(forward) * -1.f;
    const V upright = up[1] < 0 ? up * -1.f : up;
    const float tanX = std::tan(cam.hfov / 2), tanY = tanX * o.height / o.width;
    const std::uint64_t noiseSeed = scene.seed * 1000003ull + static_cast<std::uint64_t>(o.time * 1000.f);

    Tracer tracer(scene, o.time);
    cv::parallel_for_(cv::Range(0, o.height), [&](const cv::Range& rows) {
        for (int y = rows.start; y < rows.end; ++y)
            for (int x = 0; x < o.width; ++x) {
                const float sx = (2 * (x + 0.5f) / o.width - 1) * tanX;
                const float sy = (1 - 2 * (y + 0.5f) / o.height) * tanY;
                V d = forward + right * sx + upright * sy;
                d /= static_cast<float>(cv::norm(d));
                const Ray ray{eye, d};
                const Hit hit = tracer.intersect(ray);
                const size_t i = static_cast<size_t>(y) * o.width + x;
                V c = tracer.shade(ray, hit, 1);
                if (hit.t < kInf) c = tracer.fog(c, hit.t);
                const float zDepth = hit.t < kInf ? hit.t * d.dot(forward) : kSkyDepth;
                f.depth[i] = std::min(zDepth, kSkyDepth);
                f.labels[i] = hit.t < kInf ? hit.cls : static_cast<std::uint8_t>(Sky);
                const std::uint64_t key = noiseSeed * 31 + i;
                for (int ch = 0; ch < 3; ++ch) {
                    // Approximately Gaussian sensor noise: sum of 3 uniforms.
                    const float n = (hash01(key * 3 + ch) + hash01(key * 7 + ch + 11) +
                                     hash01(key * 13 + ch + 29) - 1.5f) * 2.f;
                    f.rgb[i * 3 + ch] = toByte(c[ch] + n * scene.light.noiseSigma);
                }
            }
    });

    // Label noise at occlusion boundaries, as annotators make it.
    if (o.labelNoise > 0) {
        const std::vector<std::uint8_t> clean = f.labels;
        for (int y = 1; y + 1 < o.height; ++y)
            for (int x = 1; x + 1 < o.width; ++x) {
                const size_t i = static_cast<size_t>(y) * o.width + x;
                const size_t neighbours[4] = {i - 1, i + 1, i - o.width, i + o.width};
                const std::uint64_t key = noiseSeed * 17 + i;
                const size_t pick = neighbours[static_cast<int>(hash01(key) * 4) & 3];
                if (clean[pick] != clean[i] && hash01(key + 5) < o.labelNoise) f.labels[i] = clean[pick];
            }
    }
    return f;
}

}  // namespace uvis::synth
