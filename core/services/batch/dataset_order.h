#pragma once
// Which rows of a data set the Dataset dock shows and in what order, and so what Next and
// Previous open: sorted by any column, filtered by "has ground truth", "name
// contains" and "score ≥ value". Policy only — the table widget and the menus both follow it.
// Rows not scored yet sort last and pass only the name filter.

#include <string>
#include <vector>

#include "core/dataset/dataset_table.h"

namespace uvis {

struct DatasetFilter {
    bool needsTruth = false;
    std::string nameContains;          // case-insensitive
    std::string column;                // a dataset.csv column; empty: no threshold
    double atLeast = 0;                // rows whose `column` is ≥ this
};

struct DatasetSort {
    std::string column = "image";
    bool descending = false;
};

class DatasetOrder {
public:
    // `names[i]` is input i's name; `rows[i]` its row or nullptr while it is not scored.
    void update(const std::vector<std::string>& names, const std::vector<const ImageRow*>& rows,
                const DatasetSort& sort, const DatasetFilter& filter);
    const std::vector<int>& visible() const { return visible_; }  // input indices, in order
    // The input after / before `current` in the visible order (the first / last when `current` is
    // not visible); -1 at the end or when nothing is visible.
    int next(int current) const;
    int previous(int current) const;

private:
    std::vector<int> visible_;
};

}  // namespace uvis
