#pragma once
// Tables on stdout and one JSON document for uvis-bench.

#include <nlohmann/json.hpp>

#include <string>
#include <vector>

namespace uvis::bench {

// Median of repeated wall-clock measurements, in milliseconds.
double median(std::vector<double> values);

// A fixed-width text table.
class Table {
public:
    explicit Table(std::vector<std::string> header);
    void add(std::vector<std::string> row);
    std::string str() const;

private:
    std::vector<std::vector<std::string>> rows_;
};

std::string fixed(double value, int decimals);

// Writes `doc` to `path` atomically (temporary file, then rename). Empty string on success.
std::string writeJson(const nlohmann::json& doc, const std::string& path);

}  // namespace uvis::bench
