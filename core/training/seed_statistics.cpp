#include "core/training/seed_statistics.h"

#include <cmath>

namespace uvis {

MeanStd meanStd(const std::vector<double>& values) {
    MeanStd r;
    r.n = static_cast<int>(values.size());
    if (values.empty()) return r;
    double sum = 0;
    for (double v : values) sum += v;
    r.mean = sum / r.n;
    if (r.n < 2) return r;
    double squares = 0;
    for (double v : values) squares += (v - r.mean) * (v - r.mean);
    r.std = std::sqrt(squares / (r.n - 1));
    return r;
}

Ordering pairedOrdering(const std::vector<double>& expectedLarger, const std::vector<double>& expectedSmaller) {
    Ordering o;
    if (expectedLarger.size() != expectedSmaller.size()) return o;
    std::vector<double> gaps;
    for (size_t i = 0; i < expectedLarger.size(); ++i) {
        const double gap = expectedLarger[i] - expectedSmaller[i];
        if (!std::isfinite(gap)) return o;
        gaps.push_back(gap);
    }
    o.gap = meanStd(gaps);
    if (o.gap.n < 2) return o;
    if (o.gap.mean > 2 * o.gap.std) o.verdict = OrderingVerdict::Holds;
    else if (-o.gap.mean > 2 * o.gap.std) o.verdict = OrderingVerdict::Reversed;
    return o;
}

std::string verdictText(OrderingVerdict verdict) {
    switch (verdict) {
    case OrderingVerdict::Holds: return "holds";
    case OrderingVerdict::Reversed: return "reversed";
    case OrderingVerdict::NotResolved: break;
    }
    return "not resolved";
}

}  // namespace uvis
