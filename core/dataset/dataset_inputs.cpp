#include "core/dataset/dataset_inputs.h"
#include "core/types/json_document.h"

#include <limits>  // before csv.h, which uses it without including it
#include <csv.h>     // fast-cpp-csv-parser (Debian libfccp-dev)
#include <nlohmann/json.hpp>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <set>

#include "core/io/media_kind.h"

namespace uvis {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;

constexpr std::uintmax_t kMaxManifestBytes = 64ull << 20;

std::string lowerExtension(const std::string& path) {
    std::string ext = fs::path(path).extension().string();
    for (char& c : ext) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return ext;
}

// A manifest's path, relative to its folder unless absolute.
std::string besideManifest(const fs::path& folder, const std::string& path) {
    if (path.empty()) return {};
    const fs::path p(path);
    return p.is_absolute() ? p.string() : (folder / p).lexically_normal().string();
}

void addManifestItem(const fs::path& folder, const std::string& manifest, const std::string& image,
                     const std::string& depth, const std::string& labels, double scale,
                     const std::vector<std::string>& classes, DatasetInputs* out, size_t row) {
    if (image.empty()) {
        out->errors.push_back(manifest + ": item " + std::to_string(row) + " has no image");
        return;
    }
    DatasetInput in;
    in.path = besideManifest(folder, image);
    in.name = fs::path(image).generic_string();
    in.video = mediaKind(in.path) == MediaKind::Video;
    in.fromManifest = true;
    in.truth.depth = besideManifest(folder, depth);
    in.truth.labels = besideManifest(folder, labels);
    in.truth.depthScale = scale;
    in.truth.labelNames = classes;
    out->inputs.push_back(std::move(in));
}

void readCsvManifest(const std::string& path, DatasetInputs* out) {
    const fs::path folder = fs::path(path).parent_path();
    try {
        io::CSVReader<4, io::trim_chars<' ', '\t'>, io::double_quote_escape<',', '"'>> reader(path);
        reader.read_header(io::ignore_missing_column | io::ignore_extra_column, "image", "depth", "labels",
                           "depth_scale");
        if (!reader.has_column("image")) {
            out->errors.push_back(path + ": a manifest CSV needs a header with an \"image\" column");
            return;
        }
        std::string image, depth, labels, scaleText;
        size_t row = 0;
        while (reader.read_row(image, depth, labels, scaleText)) {
            ++row;
            double scale = 0;
            if (!scaleText.empty()) {
                char* end = nullptr;
                scale = std::strtod(scaleText.c_str(), &end);
                if (*end != '\0' || !(scale > 0) || !std::isfinite(scale)) {
                    out->errors.push_back(path + ": line " + std::to_string(reader.get_file_line()) +
                                          ": depth_scale must be a positive number (units per metre), got '" +
                                          scaleText + "'");
                    continue;
                }
            }
            addManifestItem(folder, path, image, depth, labels, scale, {}, out, row);
        }
    } catch (const io::error::base& e) {
        out->errors.push_back(path + ": not a manifest CSV: " + e.what());
    }
}

void readJsonManifest(const std::string& path, DatasetInputs* out) {
    const fs::path folder = fs::path(path).parent_path();
    try {
        const JsonRead read = readJsonFile(path);
        if (!read.ok()) throw std::runtime_error(read.error);
        const json& doc = read.value;
        const json& list = doc.is_object() ? doc.at("images") : doc;
        if (!list.is_array()) throw std::runtime_error("\"images\" must be a list");
        std::vector<std::string> classes;
        if (doc.is_object() && doc.contains("classes"))
            for (const json& c : doc.at("classes")) classes.push_back(c.is_object() ? c.at("name").get<std::string>() : c.get<std::string>());
        size_t row = 0;
        for (const json& item : list) {
            ++row;
            auto text = [&](const char* key) { return item.contains(key) ? item.at(key).get<std::string>() : std::string(); };
            const double scale = item.contains("depth_scale") ? item.at("depth_scale").get<double>() : 0.0;
            if (item.contains("depth_scale") && !(scale > 0 && std::isfinite(scale)))
                throw std::runtime_error("item " + std::to_string(row) + ": depth_scale must be a positive number");
            addManifestItem(folder, path, text("image"), text("depth"), text("labels"), scale, classes, out, row);
        }
    } catch (const std::exception& e) {
        out->errors.push_back(path + ": not a manifest (JSON {\"images\": [{\"image\": …}]}): " + e.what());
    }
}

void addFolder(const std::string& root, DatasetInputs* out) {
    std::vector<DatasetInput> found;
    std::error_code ec;
    // Recursive, links not followed (a loop of links is not a data set); unreadable parts skipped.
    for (auto it = fs::recursive_directory_iterator(root, fs::directory_options::skip_permission_denied, ec);
         !ec && it != fs::recursive_directory_iterator(); it.increment(ec)) {
        if (it->is_directory(ec)) {
            // A uvis result folder (an export, uvis-cli's per-image output): its maps are not inputs,
            // else a data set with an export inside it scores its own output when it is reopened.
            if (fs::exists(it->path() / "summary.json", ec)) it.disable_recursion_pending();
            continue;
        }
        if (!it->is_regular_file(ec)) continue;
        const std::string path = it->path().string();
        if (isTruthFile(path)) continue;
        const MediaKind kind = mediaKind(path);
        if (kind == MediaKind::Other) continue;
        DatasetInput in;
        in.path = path;
        in.name = it->path().lexically_relative(root).generic_string();
        in.video = kind == MediaKind::Video;
        found.push_back(std::move(in));
    }
    if (found.empty()) {
        out->errors.push_back(root + ": a folder with no images or videos in it");
        return;
    }
    std::sort(found.begin(), found.end(), [](const auto& a, const auto& b) { return a.name < b.name; });
    for (auto& f : found) out->inputs.push_back(std::move(f));
}

}  // namespace

bool isDatasetPath(const std::string& path) {
    std::error_code e;
    return std::filesystem::is_directory(path, e) || isManifestPath(path);
}

bool isManifestPath(const std::string& path) {
    const std::string ext = lowerExtension(path);
    return ext == ".csv" || ext == ".json";
}

DatasetInputs readManifest(const std::string& path) {
    DatasetInputs out;
    std::error_code ec;
    if (fs::file_size(path, ec) > kMaxManifestBytes) {
        out.errors.push_back(path + ": a manifest larger than 64 MiB");
        return out;
    }
    if (lowerExtension(path) == ".csv") readCsvManifest(path, &out);
    else readJsonManifest(path, &out);
    if (out.inputs.empty() && out.errors.empty()) out.errors.push_back(path + ": the manifest lists no images");
    return out;
}

DatasetInputs collectDatasetInputs(const std::vector<std::string>& paths) {
    DatasetInputs out;
    std::error_code ec;
    for (const std::string& path : paths) {
        const fs::file_status status = fs::status(path, ec);
        if (fs::is_directory(status)) {
            addFolder(path, &out);
        } else if (fs::is_regular_file(status) && isManifestPath(path)) {
            DatasetInputs m = readManifest(path);
            for (auto& i : m.inputs) out.inputs.push_back(std::move(i));
            for (auto& e : m.errors) out.errors.push_back(std::move(e));
        } else if (fs::is_regular_file(status)) {
            DatasetInput in;
            in.path = path;
            in.name = fs::path(path).filename().generic_string();
            in.video = mediaKind(path) == MediaKind::Video;
            out.inputs.push_back(std::move(in));
        } else if (fs::exists(status)) {
            // A FIFO, a device (/dev/zero), a socket: never read as an image.
            out.errors.push_back(path + ": not a regular file or folder (a FIFO, device or socket)");
        } else {
            out.errors.push_back(path + ": no such file or folder");
        }
    }
    // Two inputs with one name would write one result folder and one row: refused, not merged.
    std::set<std::string> seen;
    for (const DatasetInput& in : out.inputs)
        if (!seen.insert(in.name).second)
            out.errors.push_back(in.path + ": a second input named '" + in.name +
                                 "' (give the folders one at a time, or use a manifest)");
    return out;
}

}  // namespace uvis
