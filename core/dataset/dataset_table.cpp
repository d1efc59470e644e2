#include "core/dataset/dataset_table.h"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <map>
#include <set>

#include "core/export/result_export.h"
#include "core/io/atomic_file.h"
#include "core/types/json_document.h"

namespace uvis {
namespace {

using nlohmann::json;

json number(double v) { return std::isfinite(v) ? json(v) : json(nullptr); }
double numberOf(const json& j, const char* key) {
    const auto it = j.find(key);
    return it == j.end() || it->is_null() ? std::nan("") : it->get<double>();
}

// The maps a row scores: the uncertainty maps (not the prediction, not the confidence).
bool isUncertaintyMap(const std::string& name) {
    return name != "depth_mean" && name != "seg_class" && name != "seg_confidence";
}

double finiteMean(const std::vector<float>& a, const std::vector<float>* b) {
    double sum = 0;
    std::size_t n = 0;
    for (std::size_t i = 0; i < a.size(); ++i) {
        const double v = a[i] + (b && b->size() == a.size() ? (*b)[i] : 0.f);
        if (std::isfinite(v)) {
            sum += v;
            ++n;
        }
    }
    return n ? sum / static_cast<double>(n) : std::nan("");
}

json depthSumsJson(const DepthSums& s) {
    return {{"pixels", s.pixels},         {"delta1", s.delta1},       {"within50", s.within50},
            {"within68", s.within68},     {"within95", s.within95},   {"squared_error", s.squaredError},
            {"relative_error", s.relativeError}, {"nll", s.nll}};
}
DepthSums depthSumsFrom(const json& j) {
    DepthSums s;
    s.pixels = j.at("pixels").get<std::size_t>();
    s.delta1 = j.at("delta1").get<std::size_t>();
    s.within50 = j.at("within50").get<std::size_t>();
    s.within68 = j.at("within68").get<std::size_t>();
    s.within95 = j.at("within95").get<std::size_t>();
    s.squaredError = j.at("squared_error").get<double>();
    s.relativeError = j.at("relative_error").get<double>();
    s.nll = j.at("nll").get<double>();
    return s;
}
json segSumsJson(const SegmentationSums& s) {
    return {{"pixels", s.pixels},           {"correct", s.correct},           {"wrong_confident", s.wrongConfident},
            {"nll", s.nll},                 {"brier", s.brier},               {"intersection", s.intersection},
            {"union", s.unionCount},        {"bin_count", s.binCount},        {"bin_confidence", s.binConfidence},
            {"bin_correct", s.binCorrect}};
}
SegmentationSums segSumsFrom(const json& j) {
    SegmentationSums s;
    s.pixels = j.at("pixels").get<std::size_t>();
    s.correct = j.at("correct").get<std::size_t>();
    s.wrongConfident = j.at("wrong_confident").get<std::size_t>();
    s.nll = j.at("nll").get<double>();
    s.brier = j.at("brier").get<double>();
    s.intersection = j.at("intersection").get<std::vector<std::size_t>>();
    s.unionCount = j.at("union").get<std::vector<std::size_t>>();
    s.binCount = j.at("bin_count").get<std::vector<std::size_t>>();
    s.binConfidence = j.at("bin_confidence").get<std::vector<double>>();
    s.binCorrect = j.at("bin_correct").get<std::vector<double>>();
    if (s.intersection.size() != s.unionCount.size() || s.binCount.size() != s.binConfidence.size() ||
        s.binCount.size() != s.binCorrect.size())
        throw std::runtime_error("segmentation sums of different lengths");
    return s;
}

// The per-row scalars, in CSV column order.
// Ratios and shares (abs-rel, mIoU, ECE, coverage, …) have no unit.
struct Column {
    const char* name;
    double ImageRow::*field;
    const char* unit;
};
const std::vector<Column>& scalarColumns() {
    static const std::vector<Column> columns{
        {"depth_uncertainty", &ImageRow::depthUncertainty, "(log m)²"},
        {"seg_uncertainty", &ImageRow::segUncertainty, "nats"},
        {"rmse", &ImageRow::rmse, "m"},
        {"abs_rel", &ImageRow::absRel, ""},
        {"depth_nll", &ImageRow::depthNll, "nats"},
        {"coverage_95", &ImageRow::coverage95, ""},
        {"ause_rmse", &ImageRow::auseRmse, "m"},
        {"miou", &ImageRow::miou, ""},
        {"pixel_accuracy", &ImageRow::pixelAccuracy, ""},
        {"ece", &ImageRow::ece, ""},
        {"seg_nll", &ImageRow::segNll, "nats"},
        {"wrong_confident", &ImageRow::wrongConfident, ""}};
    return columns;
}

json rowJson(const ImageRow& r) {
    json maps = json::array();  // a list: the order of the maps (and of the CSV's columns) is kept
    for (const auto& m : r.maps) maps.push_back({{"map", m.name}, {"mean", number(m.mean)}, {"p95", number(m.p95)}});
    json j{{"image", r.image}, {"width", r.width}, {"height", r.height}, {"maps", maps}};
    for (const Column& c : scalarColumns()) j[c.name] = number(r.*c.field);
    if (r.depthSums) j["depth_sums"] = depthSumsJson(*r.depthSums);
    if (r.segSums) j["seg_sums"] = segSumsJson(*r.segSums);
    j["warnings"] = r.warnings;
    return j;
}

ImageRow rowFrom(const json& j) {
    ImageRow r;
    r.image = j.at("image").get<std::string>();
    r.width = j.at("width").get<int>();
    r.height = j.at("height").get<int>();
    for (const json& m : j.at("maps")) r.maps.push_back({m.at("map").get<std::string>(), numberOf(m, "mean"), numberOf(m, "p95")});
    for (const Column& c : scalarColumns()) r.*c.field = numberOf(j, c.name);
    if (j.contains("depth_sums")) r.depthSums = depthSumsFrom(j.at("depth_sums"));
    if (j.contains("seg_sums")) r.segSums = segSumsFrom(j.at("seg_sums"));
    if (j.contains("warnings")) r.warnings = j.at("warnings").get<std::vector<std::string>>();
    return r;
}

json settingsJson(const DatasetSettings& s) {
    json j{{"model", s.modelName},   {"model_path", s.modelPath}, {"card_sha256", s.cardSha256},
           {"method", s.method},     {"samples", s.samples},      {"noise_samples", s.noiseSamples},
           {"dropout", s.dropout},   {"seed", s.seed},            {"size", {s.width, s.height}}};
    // Only when applied: the keys of uncalibrated runs stay what they were before calibration.
    if (s.temperature != 1.0 || s.depthVarianceScale != 1.0)
        j["calibration"] = {{"temperature", s.temperature}, {"depth_variance_scale", s.depthVarianceScale}};
    // Likewise only when not the default: the keys of fp32 runs stay what they were.
    if (s.precision != "fp32") j["precision"] = s.precision;
    return j;
}
DatasetSettings settingsFrom(const json& j) {
    DatasetSettings s;
    s.modelName = j.at("model").get<std::string>();
    s.modelPath = j.at("model_path").get<std::string>();
    s.cardSha256 = j.at("card_sha256").get<std::string>();
    s.method = j.at("method").get<std::string>();
    s.samples = j.at("samples").get<int>();
    s.noiseSamples = j.at("noise_samples").get<int>();
    s.dropout = j.at("dropout").get<double>();
    s.seed = j.at("seed").get<std::uint64_t>();
    s.width = j.at("size").at(0).get<int>();
    s.height = j.at("size").at(1).get<int>();
    if (j.contains("calibration")) {
        s.temperature = j.at("calibration").at("temperature").get<double>();
        s.depthVarianceScale = j.at("calibration").at("depth_variance_scale").get<double>();
    }
    if (j.contains("precision")) s.precision = j.at("precision").get<std::string>();
    return s;
}

json pooledJson(const PooledMetrics& p) {
    json doc = json::object();
    if (p.depth) {
        const DepthMetrics& d = *p.depth;
        doc["depth"] = {{"rmse", number(d.rmse)},           {"abs_rel", number(d.absRel)},
                        {"delta1", number(d.delta1)},       {"nll", number(d.nll)},
                        {"coverage_50", number(d.coverage50)}, {"coverage_68", number(d.coverage68)},
                        {"coverage_95", number(d.coverage95)}, {"ause_rmse_mean_per_image", number(p.ause)},
                        {"valid_pixels", d.validPixels},    {"images", p.imagesWithDepth}};
    }
    if (p.segmentation) {
        const SegmentationMetrics& s = *p.segmentation;
        json iou = json::array(), bins = json::array();
        for (double v : s.classIou) iou.push_back(number(v));
        for (const ReliabilityBin& b : s.reliability)
            bins.push_back({{"lower", b.lower}, {"upper", b.upper}, {"confidence", number(b.confidence)},
                            {"accuracy", number(b.accuracy)}, {"count", b.count}});
        doc["segmentation"] = {{"miou", number(s.miou)},         {"pixel_accuracy", number(s.pixelAccuracy)},
                               {"ece", number(s.ece)},           {"nll", number(s.nll)},
                               {"brier", number(s.brier)},       {"wrong_confident", number(s.wrongConfident)},
                               {"class_iou", iou},               {"reliability", bins},
                               {"valid_pixels", s.validPixels},  {"images", p.imagesWithLabels}};
    }
    doc["image_level"] = {
        {"auroc_depth", number(p.aurocDepthImages)},
        {"auroc_segmentation", number(p.aurocSegImages)},
        {"what", "AUROC of the image's mean uncertainty (depth: relative predictive variance; segmentation: "
                 "predictive entropy) for 'the image's error is above the median' (abs-rel; 1 − pixel accuracy)"}};
    return doc;
}

std::string csvNumber(double v) {
    if (!std::isfinite(v)) return "nan";
    char text[40];
    std::snprintf(text, sizeof text, "%.9g", v);
    return text;
}

// RFC 4180: a field with a comma, quote or line break is quoted, its quotes doubled.
std::string csvField(const std::string& s) {
    if (s.find_first_of(",\"\r\n") == std::string::npos) return s;
    std::string q = "\"";
    for (char c : s) q += c == '"' ? std::string("\"\"") : std::string(1, c);
    return q + "\"";
}

// AUROC of `score` for "error above the median error", over rows with both finite.
double aurocAboveMedian(const std::vector<ImageRow>& rows, double ImageRow::*score, double (ImageRow::*error)() const) {
    std::vector<float> scores;
    std::vector<double> errors;
    for (const ImageRow& r : rows) {
        const double e = (r.*error)();
        if (std::isfinite(r.*score) && std::isfinite(e)) {
            scores.push_back(static_cast<float>(r.*score));
            errors.push_back(e);
        }
    }
    if (errors.size() < 2) return std::nan("");
    std::vector<double> sorted = errors;
    std::sort(sorted.begin(), sorted.end());
    const double median = sorted.size() % 2 ? sorted[sorted.size() / 2]
                                            : (sorted[sorted.size() / 2 - 1] + sorted[sorted.size() / 2]) / 2;
    std::vector<bool> positive;
    for (double e : errors) positive.push_back(e > median);
    return auroc(scores, positive);
}

}  // namespace

ImageRow scoreImage(const std::string& name, const UncertaintyMaps& maps, const MetricsReport& metrics) {
    ImageRow r;
    r.image = name;
    const FloatMap& any = maps.hasDepth ? maps.depthMean : maps.segConfidence;
    r.width = any.width;
    r.height = any.height;
    for (const NamedMap& n : namedMaps(maps))
        if (n.values && isUncertaintyMap(n.name)) {
            const MapStatistics s = statistics(*n.values);
            r.maps.push_back({n.name, s.mean, s.p95});
        }
    if (maps.hasDepth)
        r.depthUncertainty = finiteMean(maps.depthEpistemicLogVar.values,
                                        maps.depthAleatoricLogVar.empty() ? nullptr : &maps.depthAleatoricLogVar.values);
    if (maps.hasSegmentation) r.segUncertainty = finiteMean(maps.segEntropy.values, nullptr);
    if (metrics.depth) {
        const DepthMetrics& d = *metrics.depth;
        r.rmse = d.rmse;
        r.absRel = d.absRel;
        r.depthNll = d.nll;
        r.coverage95 = d.coverage95;
        r.auseRmse = d.rmseCurve.ause;
        r.depthSums = d.sums;
    }
    if (metrics.segmentation) {
        const SegmentationMetrics& s = *metrics.segmentation;
        r.miou = s.miou;
        r.pixelAccuracy = s.pixelAccuracy;
        r.ece = s.ece;
        r.segNll = s.nll;
        r.wrongConfident = s.wrongConfident;
        r.segSums = s.sums;
    }
    return r;
}

bool DatasetSettings::operator==(const DatasetSettings& o) const { return differenceFrom(o).empty(); }

std::string DatasetSettings::differenceFrom(const DatasetSettings& o) const {
    std::string d;
    auto note = [&](bool differ, const std::string& what) {
        if (differ) d += (d.empty() ? "" : ", ") + what;
    };
    note(cardSha256 != o.cardSha256, "model card " + cardSha256.substr(0, 12) + " vs " + o.cardSha256.substr(0, 12));
    note(method != o.method, "method " + method + " vs " + o.method);
    note(samples != o.samples, "T " + std::to_string(samples) + " vs " + std::to_string(o.samples));
    note(noiseSamples != o.noiseSamples, "noise samples " + std::to_string(noiseSamples) + " vs " + std::to_string(o.noiseSamples));
    note(dropout != o.dropout, "p " + csvNumber(dropout) + " vs " + csvNumber(o.dropout));
    note(seed != o.seed, "seed " + std::to_string(seed) + " vs " + std::to_string(o.seed));
    note(precision != o.precision, "precision " + precision + " vs " + o.precision);
    note(temperature != o.temperature || depthVarianceScale != o.depthVarianceScale,
         "calibration τ " + csvNumber(temperature) + " c " + csvNumber(depthVarianceScale) + " vs τ " +
             csvNumber(o.temperature) + " c " + csvNumber(o.depthVarianceScale));
    note(width != o.width || height != o.height, "size " + std::to_string(width) + "x" + std::to_string(height) + " vs " +
                                                     std::to_string(o.width) + "x" + std::to_string(o.height));
    return d;
}

DatasetSettings datasetSettings(const ModelCard& card, const std::string& modelPath, const SamplingSettings& settings,
                                int width, int height) {
    return {card.name,        modelPath,        cardSha256(card), methodName(settings.method), settings.samples,
            settings.noiseSamples, settings.dropout, settings.seed, width, height,
            settings.calibration.temperature, settings.calibration.depthVarianceScale,
            precisionName(settings.precision)};
}

std::string resultKey(const DatasetSettings& s, const std::string& inputPath) {
    namespace fs = std::filesystem;
    std::error_code ec;
    const auto size = fs::file_size(inputPath, ec);
    const auto time = fs::last_write_time(inputPath, ec);
    json key = settingsJson(s);
    key.erase("model");       // the card's SHA-256 says which model
    key.erase("model_path");  // the same model elsewhere is the same model
    key["input_bytes"] = ec ? 0 : size;
    key["input_mtime_ns"] = ec ? 0 : static_cast<long long>(time.time_since_epoch().count());
    return jsonText(key);
}

void DatasetTable::add(ImageRow row) {
    if (row.depthSums) {
        depth.add(*row.depthSums);
        if (std::isfinite(row.auseRmse)) {
            auseSum += row.auseRmse;
            ++auseImages;
        }
    }
    if (row.segSums) segmentation.add(*row.segSums);
    const auto at = std::lower_bound(rows.begin(), rows.end(), row.image,
                                     [](const ImageRow& r, const std::string& name) { return r.image < name; });
    rows.insert(at, std::move(row));
}

void DatasetTable::sort() {
    std::sort(rows.begin(), rows.end(), [](const ImageRow& a, const ImageRow& b) { return a.image < b.image; });
    std::sort(failed.begin(), failed.end());
}

PooledMetrics pooledMetrics(const DatasetTable& t) {
    PooledMetrics p;
    for (const ImageRow& r : t.rows) {
        p.imagesWithDepth += r.hasDepthTruth();
        p.imagesWithLabels += r.hasLabelTruth();
    }
    if (t.depth.pixels > 0) p.depth = depthFromSums(t.depth);
    if (t.segmentation.pixels > 0) p.segmentation = segmentationFromSums(t.segmentation);
    if (t.auseImages > 0) p.ause = t.auseSum / static_cast<double>(t.auseImages);
    p.aurocDepthImages = aurocAboveMedian(t.rows, &ImageRow::depthUncertainty, &ImageRow::depthError);
    p.aurocSegImages = aurocAboveMedian(t.rows, &ImageRow::segUncertainty, &ImageRow::segError);
    return p;
}

std::vector<std::string> datasetColumns(const DatasetTable& t) {
    std::vector<std::string> columns{"image", "width", "height"};
    std::vector<std::string> maps;
    for (const ImageRow& r : t.rows)
        for (const auto& m : r.maps)
            if (std::find(maps.begin(), maps.end(), m.name) == maps.end()) maps.push_back(m.name);
    for (const std::string& m : maps) {
        columns.push_back(m + "_mean");
        columns.push_back(m + "_p95");
    }
    for (const Column& c : scalarColumns()) columns.push_back(c.name);
    return columns;
}

std::string columnUnit(const std::string& column) {
    for (const Column& c : scalarColumns())
        if (column == c.name) return c.unit;
    for (const char* statistic : {"_mean", "_p95"}) {
        const std::string suffix = statistic;
        if (column.size() > suffix.size() && column.compare(column.size() - suffix.size(), suffix.size(), suffix) == 0)
            return mapUnit(column.substr(0, column.size() - suffix.size()));
    }
    return {};
}

double columnValue(const ImageRow& r, const std::string& column) {
    if (column == "width") return r.width;
    if (column == "height") return r.height;
    for (const auto& m : r.maps) {
        if (column == m.name + "_mean") return m.mean;
        if (column == m.name + "_p95") return m.p95;
    }
    for (const Column& c : scalarColumns())
        if (column == c.name) return r.*c.field;
    return std::nan("");
}

std::vector<std::string> displayColumns(const std::vector<const ImageRow*>& rows) {
    std::vector<std::string> columns{"image"};
    const ImageRow* first = nullptr;
    for (const ImageRow* r : rows)
        if (r && !first) first = r;
    if (!first) return columns;
    DatasetTable one;
    one.rows.push_back(*first);  // every row of one model has the same maps
    const std::vector<std::string> all = datasetColumns(one);
    auto listed = [&](const std::string& c) { return std::find(columns.begin(), columns.end(), c) != columns.end(); };
    for (const char* c : {"abs_rel", "rmse", "miou", "ece", "wrong_confident", "depth_epistemic_var_mean",
                          "depth_epistemic_logvar_mean", "seg_mutual_info_mean"})
        if (std::find(all.begin(), all.end(), c) != all.end()) columns.push_back(c);
    for (const std::string& c : all)
        if (c != "width" && c != "height" && !listed(c)) columns.push_back(c);
    auto hasValue = [&](const std::string& c) {
        for (const ImageRow* r : rows)
            if (r && std::isfinite(columnValue(*r, c))) return true;
        return false;
    };
    std::stable_partition(columns.begin() + 1, columns.end(), hasValue);
    return columns;
}

std::string datasetCsv(const DatasetTable& t) {
    const std::vector<std::string> columns = datasetColumns(t);
    std::string csv;
    for (size_t i = 0; i < columns.size(); ++i) csv += (i ? "," : "") + columns[i];
    csv += "\n";
    for (const ImageRow& r : t.rows) {
        csv += csvField(r.image) + "," + std::to_string(r.width) + "," + std::to_string(r.height);
        for (size_t i = 3; i < columns.size(); ++i) csv += "," + csvNumber(columnValue(r, columns[i]));
        csv += "\n";
    }
    return csv;
}

std::string imageRowJson(const ImageRow& row) { return jsonText(rowJson(row), 1) + "\n"; }

std::optional<ImageRow> parseImageRowJson(const std::string& text) {
    try {
        const JsonRead read = parseJson(text, "a table row");
        if (!read.ok()) return std::nullopt;
        return rowFrom(read.value);
    } catch (const std::exception&) {
        return std::nullopt;
    }
}

std::string datasetJson(const DatasetTable& t) {
    json rows = json::array(), failed = json::array();
    for (const ImageRow& r : t.rows) rows.push_back(rowJson(r));
    for (const auto& [image, problem] : t.failed) failed.push_back({{"image", image}, {"error", problem}});
    json doc{{"format", "uvis-dataset-table/1"},
             {"settings", settingsJson(t.settings)},
             {"shard", {{"index", t.shardIndex}, {"count", t.shardCount}}},
             {"inputs_total", t.inputsTotal},
             {"images", t.rows.size()},
             {"failed", failed},
             {"pooled", pooledJson(pooledMetrics(t))},
             {"pooled_sums",
              {{"depth", depthSumsJson(t.depth)},
               {"segmentation", segSumsJson(t.segmentation)},
               {"ause_sum", t.auseSum},
               {"ause_images", t.auseImages}}},
             {"rows", rows}};
    return jsonText(doc, 1) + "\n";
}

std::string writeDatasetFiles(const std::string& dir, const DatasetTable& table, bool overwrite) {
    namespace fs = std::filesystem;
    const std::string csv = (fs::path(dir) / "dataset.csv").string(), doc = (fs::path(dir) / "dataset.json").string();
    std::error_code ec;
    if (!overwrite)  // both refused before either is written
        for (const std::string& path : {csv, doc})
            if (fs::exists(path, ec)) return path + ": already exists (use --overwrite to replace it)";
    if (std::string e = writeFileAtomically(csv, datasetCsv(table), true); !e.empty()) return e;
    return writeFileAtomically(doc, datasetJson(table), true);
}

std::string pooledSummaryText(const DatasetTable& t) {
    const PooledMetrics p = pooledMetrics(t);
    char line[400];
    std::string text;
    std::snprintf(line, sizeof line, "data set: %zu image(s) scored, %zu failed, of %zu input(s)%s\n", t.rows.size(),
                  t.failed.size(), t.inputsTotal,
                  t.shardCount > 1 ? (" (shard " + std::to_string(t.shardIndex) + "/" + std::to_string(t.shardCount) + ")").c_str() : "");
    text += line;
    if (p.depth) {
        std::snprintf(line, sizeof line,
                      "  depth over %zu images (all pixels): RMSE %.3f m, abs-rel %.3f, NLL %.3f, coverage 95 %% %.3f, "
                      "AUSE(RMSE) %.3f (mean per image), image AUROC %.3f\n",
                      p.imagesWithDepth, p.depth->rmse, p.depth->absRel, p.depth->nll, p.depth->coverage95, p.ause,
                      p.aurocDepthImages);
        text += line;
    }
    if (p.segmentation) {
        std::snprintf(line, sizeof line,
                      "  segmentation over %zu images (all pixels): mIoU %.3f, ECE %.4f, NLL %.3f, wrong and confident "
                      "%.2f %%, image AUROC %.3f\n",
                      p.imagesWithLabels, p.segmentation->miou, p.segmentation->ece, p.segmentation->nll,
                      100 * p.segmentation->wrongConfident, p.aurocSegImages);
        text += line;
    }
    return text;
}

TableResult parseDatasetJson(const std::string& text, const std::string& source) {
    TableResult r;
    try {
        const JsonRead read = parseJson(text, source);
        if (!read.ok()) {
            r.error = read.error;
            return r;
        }
        const json& doc = read.value;
        if (doc.value("format", "") != "uvis-dataset-table/1")
            throw std::runtime_error("not a uvis dataset.json (\"format\": \"uvis-dataset-table/1\")");
        DatasetTable& t = r.table;
        t.settings = settingsFrom(doc.at("settings"));
        t.shardIndex = doc.at("shard").at("index").get<int>();
        t.shardCount = doc.at("shard").at("count").get<int>();
        t.inputsTotal = doc.at("inputs_total").get<std::size_t>();
        for (const json& f : doc.at("failed")) t.failed.emplace_back(f.at("image").get<std::string>(), f.at("error").get<std::string>());
        for (const json& row : doc.at("rows")) t.rows.push_back(rowFrom(row));
        const json& sums = doc.at("pooled_sums");
        t.depth = depthSumsFrom(sums.at("depth"));
        t.segmentation = segSumsFrom(sums.at("segmentation"));
        t.auseSum = sums.at("ause_sum").get<double>();
        t.auseImages = sums.at("ause_images").get<std::size_t>();
        t.sort();
    } catch (const std::exception& e) {
        r.error = source + ": " + e.what();
    }
    return r;
}

TableResult mergeShards(const std::vector<DatasetTable>& shards, const std::vector<std::string>& sources) {
    TableResult r;
    if (shards.empty()) {
        r.error = "no shards to merge";
        return r;
    }
    const DatasetTable& first = shards.front();
    std::map<int, std::string> seen;
    std::vector<std::string> problems;
    for (size_t i = 0; i < shards.size(); ++i) {
        const DatasetTable& s = shards[i];
        if (std::string d = s.settings.differenceFrom(first.settings); !d.empty())
            problems.push_back(sources[i] + " was run with other settings than " + sources[0] + " (" + d + ")");
        if (s.shardCount != first.shardCount)
            problems.push_back(sources[i] + " is shard " + std::to_string(s.shardIndex) + " of " +
                               std::to_string(s.shardCount) + ", " + sources[0] + " one of " +
                               std::to_string(first.shardCount));
        if (s.inputsTotal != first.inputsTotal)
            problems.push_back(sources[i] + " saw " + std::to_string(s.inputsTotal) + " inputs, " + sources[0] + " " +
                               std::to_string(first.inputsTotal) + " (not one data set)");
        if (auto [it, fresh] = seen.emplace(s.shardIndex, sources[i]); !fresh)
            problems.push_back("shard " + std::to_string(s.shardIndex) + "/" + std::to_string(s.shardCount) +
                               " is given twice: " + it->second + " and " + sources[i]);
    }
    for (int k = 0; k < first.shardCount; ++k)
        if (!seen.count(k))
            problems.push_back("shard " + std::to_string(k) + "/" + std::to_string(first.shardCount) + " is missing");
    DatasetTable& t = r.table;
    t.settings = first.settings;
    t.inputsTotal = first.inputsTotal;
    std::set<std::string> images;
    for (size_t i = 0; i < shards.size(); ++i) {
        const DatasetTable& s = shards[i];
        for (const ImageRow& row : s.rows) {
            if (!images.insert(row.image).second) {
                problems.push_back(row.image + " is in more than one shard (" + sources[i] + ")");
                continue;
            }
            t.rows.push_back(row);
        }
        t.failed.insert(t.failed.end(), s.failed.begin(), s.failed.end());
        // Exactly: the stored sums, added.
        t.depth.add(s.depth);
        t.segmentation.add(s.segmentation);
        t.auseSum += s.auseSum;
        t.auseImages += s.auseImages;
    }
    t.sort();
    if (problems.empty() && t.rows.size() + t.failed.size() != t.inputsTotal)
        problems.push_back("the shards hold " + std::to_string(t.rows.size() + t.failed.size()) + " of the data set's " +
                           std::to_string(t.inputsTotal) + " inputs");
    for (const std::string& p : problems) r.error += (r.error.empty() ? "" : "; ") + p;
    return r;
}

}  // namespace uvis
