#pragma once
// The manifest of a rendered data set (uvis-train render): which images, their ground truth,
// how they were made. Files per item: <id>_rgb.png, <id>_depth.npy (float32 metres),
// <id>_labels.png (class indices, 255 = ignore).

#include <cstdint>
#include <string>
#include <vector>

#include "core/model/model_card.h"

namespace uvis {

struct DatasetItem {
    std::string id;
    std::uint64_t seed = 0;  // the scene seed
    double time = 0.0;       // seconds into a sequence (0 for stills)
};

struct DatasetManifest {
    std::string domain;         // "A" or "B"
    std::uint64_t seed = 0;     // the data set's seed
    int width = 0, height = 0;
    double fps = 0.0;           // > 0 for a sequence
    std::string video;          // file name of the sequence's video, if any
    std::string command;        // the command that made it
    std::vector<ClassInfo> classes;
    std::vector<DatasetItem> items;
};

struct ManifestResult {
    DatasetManifest manifest;
    std::string error;
};

std::string manifestPath(const std::string& dir);
ManifestResult readDatasetManifest(const std::string& dir);
std::string writeDatasetManifest(const std::string& dir, const DatasetManifest& manifest);

std::string itemRgbPath(const std::string& dir, const DatasetItem& item);
std::string itemDepthPath(const std::string& dir, const DatasetItem& item);
std::string itemLabelsPath(const std::string& dir, const DatasetItem& item);

}  // namespace uvis
