#pragma once
// Statistics over repeats of an experiment: mean ± sample standard deviation of a
// measure, and whether an ordering between two cells holds across seeds. An ordering is paired
// by seed (both cells of one seed share the models or the data), and it is reported as holding
// only when the mean gap exceeds twice the standard deviation of the per-seed gaps.

#include <string>
#include <vector>

namespace uvis {

struct MeanStd {
    double mean = 0;
    double std = 0;  // sample standard deviation (n − 1); 0 with one value
    int n = 0;
};

MeanStd meanStd(const std::vector<double>& values);

enum class OrderingVerdict { Holds, Reversed, NotResolved };

struct Ordering {
    MeanStd gap;  // of expectedLarger − expectedSmaller, per seed
    OrderingVerdict verdict = OrderingVerdict::NotResolved;
};

// `expectedLarger[i]` and `expectedSmaller[i]` come from the same seed. Fewer than two seeds, or
// any non-finite value, is never resolved.
Ordering pairedOrdering(const std::vector<double>& expectedLarger, const std::vector<double>& expectedSmaller);

// "holds", "reversed", "not resolved".
std::string verdictText(OrderingVerdict verdict);

}  // namespace uvis
