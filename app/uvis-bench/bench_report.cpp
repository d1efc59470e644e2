#include "bench_report.h"

#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iomanip>
#include <sstream>

#include "core/types/json_document.h"

namespace uvis::bench {

double median(std::vector<double> values) {
    if (values.empty()) return 0.0;
    std::sort(values.begin(), values.end());
    const size_t n = values.size();
    return n % 2 ? values[n / 2] : 0.5 * (values[n / 2 - 1] + values[n / 2]);
}

Table::Table(std::vector<std::string> header) { rows_.push_back(std::move(header)); }

void Table::add(std::vector<std::string> row) { rows_.push_back(std::move(row)); }

std::string Table::str() const {
    std::vector<size_t> widths;
    for (const auto& row : rows_)
        for (size_t i = 0; i < row.size(); ++i) {
            if (widths.size() <= i) widths.push_back(0);
            widths[i] = std::max(widths[i], row[i].size());
        }
    std::ostringstream out;
    for (size_t r = 0; r < rows_.size(); ++r) {
        for (size_t i = 0; i < rows_[r].size(); ++i)
            out << (i ? "  " : "") << std::setw(static_cast<int>(widths[i])) << rows_[r][i];
        out << "\n";
        if (r == 0) {
            size_t total = 0;
            for (size_t w : widths) total += w + 2;
            out << std::string(total > 2 ? total - 2 : 0, '-') << "\n";
        }
    }
    return out.str();
}

std::string fixed(double value, int decimals) {
    std::ostringstream out;
    out << std::fixed << std::setprecision(decimals) << value;
    return out.str();
}

std::string writeJson(const nlohmann::json& doc, const std::string& path) {
    const std::string tmp = path + ".part";
    {
        std::ofstream out(tmp);
        if (!out) return path + ": cannot write";
        out << jsonText(doc, 2) << "\n";
        if (!out) return path + ": write failed";
    }
    std::error_code ec;
    std::filesystem::rename(tmp, path, ec);
    if (ec) {
        std::remove(tmp.c_str());
        return path + ": " + ec.message();
    }
    return {};
}

}  // namespace uvis::bench
