#include "core/services/batch/dataset_order.h"

#include <algorithm>
#include <cctype>
#include <cmath>

namespace uvis {
namespace {

std::string lower(std::string s) {
    for (char& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return s;
}

}  // namespace

void DatasetOrder::update(const std::vector<std::string>& names, const std::vector<const ImageRow*>& rows,
                          const DatasetSort& sort, const DatasetFilter& filter) {
    visible_.clear();
    const std::string needle = lower(filter.nameContains);
    std::vector<double> key(names.size(), std::nan(""));
    for (size_t i = 0; i < names.size(); ++i) {
        const ImageRow* row = rows[i];
        if (!needle.empty() && lower(names[i]).find(needle) == std::string::npos) continue;
        if (filter.needsTruth && (!row || (!row->hasDepthTruth() && !row->hasLabelTruth()))) continue;
        if (!filter.column.empty()) {
            const double v = row ? columnValue(*row, filter.column) : std::nan("");
            if (!(v >= filter.atLeast)) continue;
        }
        if (row && sort.column != "image") key[i] = columnValue(*row, sort.column);
        visible_.push_back(static_cast<int>(i));
    }
    // Names as people read them: "Blender.png" between "apple.png" and "car.png".
    std::vector<std::string> folded;
    if (sort.column == "image")
        for (const std::string& n : names) folded.push_back(lower(n));
    auto nameBefore = [&](int a, int b) { return folded[a] != folded[b] ? folded[a] < folded[b] : names[a] < names[b]; };
    // Stable: equal keys (and unscored rows, last) keep the name order.
    std::stable_sort(visible_.begin(), visible_.end(), [&](int a, int b) {
        if (sort.column == "image") return sort.descending ? nameBefore(b, a) : nameBefore(a, b);
        const double x = key[a], y = key[b];
        if (std::isnan(x) || std::isnan(y)) return !std::isnan(x) && std::isnan(y);
        return sort.descending ? x > y : x < y;
    });
}

int DatasetOrder::next(int current) const {
    if (visible_.empty()) return -1;
    const auto at = std::find(visible_.begin(), visible_.end(), current);
    if (at == visible_.end()) return visible_.front();
    return at + 1 == visible_.end() ? -1 : *(at + 1);
}

int DatasetOrder::previous(int current) const {
    if (visible_.empty()) return -1;
    const auto at = std::find(visible_.begin(), visible_.end(), current);
    if (at == visible_.end()) return visible_.back();
    return at == visible_.begin() ? -1 : *(at - 1);
}

}  // namespace uvis
