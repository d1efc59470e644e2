#include "core/calibration/calibration.h"

#include <cmath>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "core/types/json_document.h"

namespace uvis {
namespace fs = std::filesystem;
using json = nlohmann::json;

namespace {

json qualityJson(const CalibrationQuality& q) {
    return {{"seg_nll", q.segNll},       {"ece", q.ece},           {"depth_nll", q.depthNll},
            {"coverage95", q.coverage95}, {"seg_pixels", q.segPixels}, {"depth_pixels", q.depthPixels}};
}

CalibrationQuality qualityFrom(const json& j) {
    CalibrationQuality q;
    q.segNll = j.value("seg_nll", 0.0);
    q.ece = j.value("ece", 0.0);
    q.depthNll = j.value("depth_nll", 0.0);
    q.coverage95 = j.value("coverage95", 0.0);
    q.segPixels = j.value("seg_pixels", std::size_t(0));
    q.depthPixels = j.value("depth_pixels", std::size_t(0));
    return q;
}

}  // namespace

std::string calibrationText(double temperature, double depthVarianceScale) {
    if (temperature == 1.0 && depthVarianceScale == 1.0) return {};
    std::ostringstream out;
    out.precision(3);
    out << "calibrated:";
    if (temperature != 1.0) out << " τ " << temperature;
    if (depthVarianceScale != 1.0) out << (temperature != 1.0 ? "," : "") << " depth σ² × " << depthVarianceScale;
    return out.str();
}

std::string calibrationPath(const std::string& modelPath) {
    fs::path p = fs::path(modelPath).lexically_normal();
    if (p.filename().empty()) p = p.parent_path();  // "folder/"
    std::error_code ec;
    if (fs::is_directory(p, ec)) return p.string() + ".calibration.json";
    return (p.parent_path() / (p.stem().string() + ".calibration.json")).string();
}

CalibrationFile readCalibration(const std::string& path) {
    CalibrationFile file;
    std::error_code ec;
    if (!fs::exists(path, ec)) return file;
    if (!fs::is_regular_file(path, ec) || fs::file_size(path, ec) > (1u << 20)) {
        file.error = path + ": not a calibration file (not a regular file of at most 1 MiB)";
        return file;
    }
    std::ifstream in(path, std::ios::binary);
    std::ostringstream text;
    text << in.rdbuf();
    const json j = parseJson(text.str(), path).value;
    if (j.is_discarded() || !j.is_object() || !j.contains("methods") || !j["methods"].is_object()) {
        file.error = path + ": not a uvis calibration file (JSON with a 'methods' object)";
        return file;
    }
    for (const auto& [name, m] : j["methods"].items()) {
        if (!m.is_object()) continue;
        CalibrationRecord r;
        r.method = name;
        r.calibration.temperature = m.value("temperature", std::nan(""));
        r.calibration.depthVarianceScale = m.value("depth_variance_scale", std::nan(""));
        if (!r.calibration.valid()) {
            file.error = path + ": method '" + name + "': temperature must lie in [0.01, 100] and depth_variance_scale in "
                                                      "[1e-6, 1e6]";
            file.methods.clear();
            return file;
        }
        r.samples = m.value("samples", 0);
        r.dropout = m.value("dropout", 0.0);
        r.seed = m.value("seed", std::uint64_t(0));
        r.data = m.value("data", std::string());
        r.fitImages = m.value("fit_images", 0);
        r.checkImages = m.value("check_images", 0);
        r.fitPixels = m.value("fit_pixels", std::size_t(0));
        r.segmentation = m.value("segmentation_fitted", false);
        r.depth = m.value("depth_fitted", false);
        r.before = qualityFrom(m.value("before", json::object()));
        r.after = qualityFrom(m.value("after", json::object()));
        r.created = m.value("created", std::string());
        file.methods[name] = r;
    }
    return file;
}

std::string calibrationJson(const CalibrationFile& file) {
    json methods = json::object();
    for (const auto& [name, r] : file.methods)
        methods[name] = {{"temperature", r.calibration.temperature},
                         {"depth_variance_scale", r.calibration.depthVarianceScale},
                         {"samples", r.samples},
                         {"dropout", r.dropout},
                         {"seed", r.seed},
                         {"data", r.data},
                         {"fit_images", r.fitImages},
                         {"check_images", r.checkImages},
                         {"fit_pixels", r.fitPixels},
                         {"segmentation_fitted", r.segmentation},
                         {"depth_fitted", r.depth},
                         {"before", qualityJson(r.before)},
                         {"after", qualityJson(r.after)},
                         {"created", r.created}};
    return jsonText(json{{"uvis_calibration", 1}, {"methods", methods}}, 2) + "\n";
}

}  // namespace uvis
