#include "precision_bench.h"

#include <torch/torch.h>

#include <chrono>
#include <cmath>
#include <iostream>

#include "bench_report.h"
#include "core/engine/internal/sampling_run.h"

namespace uvis::bench {
namespace {

using Clock = std::chrono::steady_clock;

struct Fidelity {
    double maxRelative = 0;   // max |a − b| / max |a|: the worst pixel against the map's scale
    double meanRelative = 0;  // mean |a − b| / mean |a|
    bool finite = true;
};

Fidelity fidelity(const FloatMap& reference, const FloatMap& other) {
    Fidelity f;
    if (reference.values.size() != other.values.size() || reference.values.empty()) {
        f.finite = false;
        return f;
    }
    double maxDiff = 0, maxRef = 0, sumDiff = 0, sumRef = 0;
    for (size_t i = 0; i < reference.values.size(); ++i) {
        const double a = reference.values[i], b = other.values[i];
        if (!std::isfinite(b)) f.finite = false;
        maxDiff = std::max(maxDiff, std::abs(a - b));
        maxRef = std::max(maxRef, std::abs(a));
        sumDiff += std::abs(a - b);
        sumRef += std::abs(a);
    }
    f.maxRelative = maxRef > 0 ? maxDiff / maxRef : maxDiff;
    f.meanRelative = sumRef > 0 ? sumDiff / sumRef : sumDiff;
    return f;
}

}  // namespace

nlohmann::json comparePrecision(Model& model, const std::string& sizeLabel, int width, int height, int samples,
                                double dropout, int repeats, DeviceKind device) {
    torch::manual_seed(2);
    const auto image = torch::randn({1, 3, height, width}).to(model.device());
    SamplingSettings settings;
    settings.samples = samples;
    settings.dropout = dropout;
    settings.seed = 5;
    settings.device = device;
    auto run = [&](Precision precision, double* ms) {
        settings.precision = precision;
        SamplingResult result = runSampling(model, image, settings);  // warm-up (and the maps compared)
        if (!result.ok()) throw std::runtime_error(std::string(precisionName(precision)) + ": " + result.error);
        std::vector<double> times;
        for (int r = 0; r < repeats; ++r) {
            const auto start = Clock::now();
            SamplingResult again = runSampling(model, image, settings);
            if (model.device().is_cuda()) torch::cuda::synchronize();
            times.push_back(std::chrono::duration<double, std::milli>(Clock::now() - start).count());
        }
        *ms = median(times);
        return result;
    };
    double fp32Ms = 0, bf16Ms = 0;
    const SamplingResult fp32 = run(Precision::Fp32, &fp32Ms);
    const SamplingResult bf16 = run(Precision::Bf16, &bf16Ms);

    Table table({"size", "map", "max rel. error", "mean rel. error", "finite"});
    nlohmann::json maps = nlohmann::json::array();
    const std::pair<const char*, const FloatMap UncertaintyMaps::*> compared[] = {
        {"depth mean", &UncertaintyMaps::depthMean},
        {"depth aleatoric var", &UncertaintyMaps::depthAleatoricVar},
        {"depth epistemic var", &UncertaintyMaps::depthEpistemicVar},
        {"depth epistemic log-var", &UncertaintyMaps::depthEpistemicLogVar},
        {"seg entropy", &UncertaintyMaps::segEntropy},
        {"seg mutual information", &UncertaintyMaps::segMutualInfo},
    };
    for (const auto& [name, member] : compared) {
        if ((fp32.maps.*member).values.empty()) continue;
        const Fidelity f = fidelity(fp32.maps.*member, bf16.maps.*member);
        table.add({sizeLabel, name, fixed(f.maxRelative, 4), fixed(f.meanRelative, 4), f.finite ? "yes" : "NO"});
        maps.push_back({{"map", name}, {"max_relative_error", f.maxRelative}, {"mean_relative_error", f.meanRelative},
                        {"finite", f.finite}});
    }
    size_t same = 0;
    const auto& a = fp32.maps.segClass.values;
    const auto& b = bf16.maps.segClass.values;
    for (size_t i = 0; i < a.size() && i < b.size(); ++i) same += a[i] == b[i];
    const double agreement = a.empty() ? 1.0 : double(same) / a.size();
    std::cout << "Precision at " << sizeLabel << ", T = " << samples << ": fp32 " << fixed(fp32Ms, 1) << " ms, bf16 "
              << fixed(bf16Ms, 1) << " ms, fp32/bf16 = " << fixed(fp32Ms / bf16Ms, 2) << "× ; classes agree on "
              << fixed(100.0 * agreement, 2) << " % of pixels\n"
              << table.str() << "\n";
    return {{"size", sizeLabel}, {"T", samples},          {"fp32_ms", fp32Ms},
            {"bf16_ms", bf16Ms}, {"speedup", fp32Ms / bf16Ms}, {"class_agreement", agreement},
            {"maps", maps}};
}

}  // namespace uvis::bench
