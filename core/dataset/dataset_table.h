#pragma once
// The table of a data set: one row of scores per image, and metrics pooled over all
// pixels of all images from counts and sums — so that shards merge exactly and a resumed run
// adds the rows it kept. uvis-cli and the application's Dataset dock fill it with the same
// scoring function (scoreImage) and write the same dataset.csv / dataset.json.

#include <cmath>
#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "core/types/maps.h"
#include "core/engine/sampling_settings.h"
#include "core/model/model_card.h"
#include "core/metrics/metrics.h"

namespace uvis {

// Per-image numbers; NaN where the image has no such truth or the model no such map.
struct ImageRow {
    std::string image;  // relative name (DatasetInput::name)
    int width = 0, height = 0;
    struct MapScore {
        std::string name;  // "depth_epistemic_var"
        double mean = std::nan(""), p95 = std::nan("");
    };
    std::vector<MapScore> maps;  // each uncertainty map of the model, in namedMaps order
    // Image-level uncertainty and error, for the scatter plot and the image-level AUROC:
    // depth — mean relative predictive variance (aleatoric + epistemic variance of log depth)
    // against abs-rel; segmentation — mean predictive entropy against 1 − pixel accuracy.
    double depthUncertainty = std::nan(""), segUncertainty = std::nan("");
    double rmse = std::nan(""), absRel = std::nan(""), depthNll = std::nan(""), coverage95 = std::nan("");
    double auseRmse = std::nan("");
    double miou = std::nan(""), pixelAccuracy = std::nan(""), ece = std::nan(""), segNll = std::nan("");
    double wrongConfident = std::nan("");
    std::optional<DepthSums> depthSums;
    std::optional<SegmentationSums> segSums;
    std::vector<std::string> warnings;  // of the ground truth (unknown label ids, …)

    bool hasDepthTruth() const { return depthSums.has_value(); }
    bool hasLabelTruth() const { return segSums.has_value(); }
    double depthError() const { return absRel; }
    double segError() const { return std::isnan(pixelAccuracy) ? pixelAccuracy : 1.0 - pixelAccuracy; }
};

// The row of one result (maps at the model's size) with its metrics (empty without truth).
ImageRow scoreImage(const std::string& name, const UncertaintyMaps& maps, const MetricsReport& metrics);

// What produced a table; rows of tables with different settings never mix (merge, resume).
struct DatasetSettings {
    std::string modelName, modelPath, cardSha256;
    std::string method = "mc";
    int samples = 0, noiseSamples = 0;
    double dropout = 0;
    std::uint64_t seed = 0;
    int width = 0, height = 0;  // --size; 0: each input's
    double temperature = 1.0, depthVarianceScale = 1.0;  // the calibration applied (1, 1: none)
    std::string precision = "fp32";  // of the passes: fp32 or bf16
    bool operator==(const DatasetSettings& o) const;
    std::string differenceFrom(const DatasetSettings& o) const;  // "T 8 vs 16", empty when equal
};

// The settings of a run of `card` (from `modelPath`) with MC `settings`, maps at width × height
// (0: each input's): the one place uvis-cli, the Dataset dock and its batch export build them.
DatasetSettings datasetSettings(const ModelCard& card, const std::string& modelPath, const SamplingSettings& settings,
                                int width = 0, int height = 0);

// What a result is reused under (uvis-cli --resume, the application's cache): the settings and
// the input file's size and modification time, as one canonical JSON text.
std::string resultKey(const DatasetSettings& settings, const std::string& inputPath);

struct DatasetTable {
    DatasetSettings settings;
    int shardIndex = 0, shardCount = 1;
    std::size_t inputsTotal = 0;  // inputs of the whole data set, all shards together
    std::vector<ImageRow> rows;   // kept sorted by image
    std::vector<std::pair<std::string, std::string>> failed;  // image, problem
    // Pooled: the sums of all rows.
    DepthSums depth;
    SegmentationSums segmentation;
    double auseSum = 0;
    std::size_t auseImages = 0;

    void add(ImageRow row);  // inserts in order, adds its sums
    void sort();
};

// Metrics over all pixels of all images (from the sums); AUSE as the mean of per-image AUSE
// (Poggi et al. 2020); AUROC of the image-level uncertainty for "the image's error is above the
// median" (depth: abs-rel; segmentation: 1 − pixel accuracy). NaN where there is no truth.
struct PooledMetrics {
    std::optional<DepthMetrics> depth;
    std::optional<SegmentationMetrics> segmentation;
    double ause = std::nan(""), aurocDepthImages = std::nan(""), aurocSegImages = std::nan("");
    std::size_t imagesWithDepth = 0, imagesWithLabels = 0;
};
PooledMetrics pooledMetrics(const DatasetTable& table);

// The column names of dataset.csv in order (image first), for the dock and the tests.
std::vector<std::string> datasetColumns(const DatasetTable& table);
// A row's number in a dataset.csv column (NaN when the row has none): what the CSV holds, what
// the Dataset dock sorts and filters by.
double columnValue(const ImageRow& row, const std::string& column);
// The unit of a dataset.csv column ("m" for rmse, "m²" for depth_epistemic_var_mean); empty for
// ratios and shares (abs_rel, miou, ece, …) and for columns without numbers.
std::string columnUnit(const std::string& column);
// The table's columns as a person reads them (the application's Dataset dock): the image, then
// what users sort by first — errors, then the epistemic maps — then the rest; a column without a
// value in any row (the errors of images without ground truth) goes last, so that the columns
// that say something are the ones in view. Width and height are left out.
std::vector<std::string> displayColumns(const std::vector<const ImageRow*>& rows);
std::string datasetCsv(const DatasetTable& table);
std::string datasetJson(const DatasetTable& table);
std::string imageRowJson(const ImageRow& row);  // one row with its sums (a result's scores.json)

// DIR/dataset.csv and DIR/dataset.json, each written atomically; existing ones are refused
// unless `overwrite`. Empty, or the problem naming the file.
std::string writeDatasetFiles(const std::string& dir, const DatasetTable& table, bool overwrite);
// One paragraph for a terminal: images, failures, the pooled metrics.
std::string pooledSummaryText(const DatasetTable& table);

struct TableResult {
    DatasetTable table;
    std::string error;  // names the source and the problem
};
TableResult parseDatasetJson(const std::string& text, const std::string& source);
std::optional<ImageRow> parseImageRowJson(const std::string& text);

// Shards into one table: all of one run (same settings, same count), each index once, no image
// twice, together all inputs; else the error names the missing or duplicated shards.
TableResult mergeShards(const std::vector<DatasetTable>& shards, const std::vector<std::string>& sources);

}  // namespace uvis
