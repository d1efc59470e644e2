#include "core/training/dataset_manifest.h"
#include "core/types/json_document.h"

#include <nlohmann/json.hpp>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "core/io/atomic_file.h"

namespace uvis {

namespace fs = std::filesystem;
using nlohmann::json;

std::string manifestPath(const std::string& dir) { return (fs::path(dir) / "manifest.json").string(); }

std::string itemRgbPath(const std::string& dir, const DatasetItem& item) {
    return (fs::path(dir) / (item.id + "_rgb.png")).string();
}
std::string itemDepthPath(const std::string& dir, const DatasetItem& item) {
    return (fs::path(dir) / (item.id + "_depth.npy")).string();
}
std::string itemLabelsPath(const std::string& dir, const DatasetItem& item) {
    return (fs::path(dir) / (item.id + "_labels.png")).string();
}

std::string writeDatasetManifest(const std::string& dir, const DatasetManifest& m) {
    json classes = json::array();
    for (const auto& c : m.classes) classes.push_back({{"name", c.name}, {"color", c.color}});
    json items = json::array();
    for (const auto& i : m.items) items.push_back({{"id", i.id}, {"seed", i.seed}, {"time", i.time}});
    json doc{{"format", "uvis-dataset-1"}, {"domain", m.domain}, {"seed", m.seed},
             {"width", m.width}, {"height", m.height}, {"fps", m.fps}, {"video", m.video},
             {"command", m.command}, {"classes", classes}, {"items", items}};
    return writeFileAtomically(manifestPath(dir), jsonText(doc, 1) + "\n");
}

ManifestResult readDatasetManifest(const std::string& dir) {
    ManifestResult r;
    const std::string path = manifestPath(dir);
    if (!std::filesystem::exists(path)) {
        r.error = path + ": no data set manifest here (make one with 'uvis-train render')";
        return r;
    }
    const JsonRead read = readJsonFile(path);
    if (!read.ok()) {
        r.error = read.error;
        return r;
    }
    try {
        const json& doc = read.value;
        DatasetManifest& m = r.manifest;
        m.domain = doc.at("domain").get<std::string>();
        m.seed = doc.at("seed").get<std::uint64_t>();
        m.width = doc.at("width").get<int>();
        m.height = doc.at("height").get<int>();
        m.fps = doc.value("fps", 0.0);
        m.video = doc.value("video", "");
        m.command = doc.value("command", "");
        for (const auto& c : doc.at("classes"))
            m.classes.push_back({c.at("name").get<std::string>(), c.at("color").get<std::array<int, 3>>()});
        for (const auto& i : doc.at("items"))
            m.items.push_back({i.at("id").get<std::string>(), i.value("seed", std::uint64_t{0}), i.value("time", 0.0)});
        if (m.items.empty() && m.video.empty()) r.error = path + ": the data set lists no items";
    } catch (const json::exception& e) {
        r.error = path + ": malformed manifest (" + e.what() + ")";
    }
    return r;
}

}  // namespace uvis
