#include "core/calibration/calibration_fit.h"

#include <algorithm>
#include <cmath>

namespace uvis {

double segmentationNll(const SegmentationProbes& s, double temperature) {
    const std::size_t n = s.pixels();
    if (n == 0 || s.classes <= 0 || s.passes <= 0) return 0.0;
    const int K = s.classes, T = s.passes;
    double total = 0.0;
    std::vector<double> z(K);
    for (std::size_t i = 0; i < n; ++i) {
        double pTrue = 0.0;
        for (int t = 0; t < T; ++t) {
            const float* f = &s.logits[(i * T + t) * K];
            double mx = -1e300;
            for (int k = 0; k < K; ++k) mx = std::max(mx, f[k] / temperature);
            double sum = 0.0;
            for (int k = 0; k < K; ++k) sum += z[k] = std::exp(f[k] / temperature - mx);
            pTrue += z[s.labels[i]] / sum / T;
        }
        total -= std::log(std::max(pTrue, 1e-300));
    }
    return total / n;
}

double fitTemperature(const SegmentationProbes& s) {
    if (s.pixels() == 0) return 1.0;
    // Golden-section search on u = log τ.
    const double phi = (std::sqrt(5.0) - 1.0) / 2.0;
    double a = std::log(0.05), b = std::log(20.0);
    double c = b - phi * (b - a), d = a + phi * (b - a);
    double fc = segmentationNll(s, std::exp(c)), fd = segmentationNll(s, std::exp(d));
    while (b - a > 1e-5) {
        if (fc < fd) {
            b = d;
            d = c;
            fd = fc;
            c = b - phi * (b - a);
            fc = segmentationNll(s, std::exp(c));
        } else {
            a = c;
            c = d;
            fc = fd;
            d = a + phi * (b - a);
            fd = segmentationNll(s, std::exp(d));
        }
    }
    return std::exp((a + b) / 2.0);
}

double fitVarianceScale(const DepthProbes& p) {
    double sum = 0.0;
    std::size_t n = 0;
    for (std::size_t i = 0; i < p.pixels(); ++i) {
        const double v = p.variance[i], e = p.truth[i] - p.mean[i];
        if (!(v > 0.0) || !std::isfinite(v) || !std::isfinite(e)) continue;
        sum += e * e / v;
        ++n;
    }
    return n > 0 && sum > 0.0 ? sum / n : 1.0;
}

}  // namespace uvis
