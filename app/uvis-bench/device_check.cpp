#include "device_check.h"

#include <torch/torch.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <functional>

#include "core/engine/internal/sampling_run.h"
#include "core/model/model_loader.h"

namespace uvis::bench {
namespace {

// max |a − b| / max(1, max |a|): relative to the map's scale.
double maxRelativeDifference(const FloatMap& a, const FloatMap& b) {
    if (a.values.size() != b.values.size()) return INFINITY;
    double diff = 0, scale = 1;
    for (size_t i = 0; i < a.values.size(); ++i) {
        diff = std::max(diff, static_cast<double>(std::abs(a.values[i] - b.values[i])));
        scale = std::max(scale, static_cast<double>(std::abs(a.values[i])));
    }
    return diff / scale;
}

double agreement(const ClassMap& a, const ClassMap& b) {
    if (a.values.size() != b.values.size() || a.values.empty()) return 0;
    size_t same = 0;
    for (size_t i = 0; i < a.values.size(); ++i) same += a.values[i] == b.values[i];
    return static_cast<double>(same) / a.values.size();
}

bool allFinite(const UncertaintyMaps& m) {
    for (const FloatMap* f : {&m.depthMean, &m.depthAleatoricVar, &m.depthEpistemicVar, &m.segEntropy,
                              &m.segExpectedEntropy, &m.segMutualInfo})
        for (float v : f->values)
            if (!std::isfinite(v)) return false;
    return true;
}

double maxAbs(const FloatMap& m) {
    double v = 0;
    for (float x : m.values) v = std::max(v, static_cast<double>(std::abs(x)));
    return v;
}

}  // namespace

int verifyDevice(DeviceKind device, int width, int classes, const std::string& size) {
    int w = 0, h = 0;
    if (std::sscanf(size.c_str(), "%dx%d", &w, &h) != 2) return 1;
    const DeviceChoice choice = resolveDevice(device);
    std::printf("Engine checks on %s at %s (random network, width %d, %d classes)\n",
                deviceName(choice.kind).c_str(), size.c_str(), width, classes);
    auto cpuModel = createRandomNativeModel(width, classes, w, h, 1);
    auto devModel = createRandomNativeModel(width, classes, w, h, 1);  // same seed, same weights
    devModel->moveTo(torchDevice(choice.kind));
    torch::manual_seed(2);
    const torch::Tensor image = torch::randn({1, 3, h, w});
    int failed = 0;
    auto check = [&](const char* name, bool ok, const std::string& detail) {
        std::printf("  %-44s %s  %s\n", name, ok ? "PASS" : "FAIL", detail.c_str());
        failed += !ok;
    };
    auto run = [&](Model& model, int samples, double p, int chunk) {
        SamplingSettings s;
        s.samples = samples;
        s.dropout = p;
        s.seed = 11;
        s.chunkSize = chunk;
        s.device = &model == cpuModel.get() ? DeviceKind::Cpu : choice.kind;
        return runSampling(model, image.to(model.device()), s);
    };

    const SamplingResult onCpu = run(*cpuModel, 16, 0.2, 0);
    const SamplingResult onDevice = run(*devModel, 16, 0.2, 0);
    check("runs (T = 16, p = 0.2)", onCpu.ok() && onDevice.ok(), onDevice.error);
    if (!onCpu.ok() || !onDevice.ok()) return failed;
    check("every map finite", allFinite(onDevice.maps), "");
    char detail[160];
    const double dMean = maxRelativeDifference(onCpu.maps.depthMean, onDevice.maps.depthMean);
    const double dEpi = maxRelativeDifference(onCpu.maps.depthEpistemicVar, onDevice.maps.depthEpistemicVar);
    const double dMi = maxRelativeDifference(onCpu.maps.segMutualInfo, onDevice.maps.segMutualInfo);
    const double classes01 = agreement(onCpu.maps.segClass, onDevice.maps.segClass);
    std::snprintf(detail, sizeof detail, "depth μ %.2e, epistemic %.2e, MI %.2e (max relative difference)", dMean,
                  dEpi, dMi);
    check("same seed: device maps = CPU maps", dMean < 1e-3 && dEpi < 1e-2 && dMi < 1e-2, detail);
    std::snprintf(detail, sizeof detail, "%.5f of pixels", classes01);
    check("same seed: same classes", classes01 > 0.999, detail);

    const SamplingResult p0 = run(*devModel, 4, 0.0, 0);
    std::snprintf(detail, sizeof detail, "max epistemic %.1e, max MI %.1e", maxAbs(p0.maps.depthEpistemicVar),
                  maxAbs(p0.maps.segMutualInfo));
    check("p = 0: zero epistemic variance and MI",
          p0.ok() && maxAbs(p0.maps.depthEpistemicVar) < 1e-6 && maxAbs(p0.maps.segMutualInfo) < 1e-5, detail);

    const SamplingResult one = run(*devModel, 12, 0.2, 1), eight = run(*devModel, 12, 0.2, 8);
    const double dChunk = std::max(maxRelativeDifference(one.maps.depthMean, eight.maps.depthMean),
                                   maxRelativeDifference(one.maps.depthEpistemicVar, eight.maps.depthEpistemicVar));
    std::snprintf(detail, sizeof detail, "max relative difference %.2e", dChunk);
    check("chunks of 1 = chunks of 8 (T = 12)", one.ok() && eight.ok() && dChunk < 1e-4, detail);
    std::printf("%d of the checks failed\n\n", failed);
    return failed;
}

}  // namespace uvis::bench
