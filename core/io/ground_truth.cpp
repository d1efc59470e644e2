#include "core/io/ground_truth.h"
#include "core/types/json_document.h"

#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>

#include <cmath>
#include <cstdlib>
#include <array>
#include <filesystem>
#include <fstream>

#include <nlohmann/json.hpp>

#include "core/io/decode.h"
#include "core/io/npy.h"

namespace uvis {
namespace {

namespace fs = std::filesystem;

std::string lowerExtension(const std::string& path) {
    std::string ext = fs::path(path).extension().string();
    for (char& c : ext) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return ext;
}

}  // namespace

double depthPngUnitsPerMetre(const std::string& path) {
    const std::string generic = fs::path(path).generic_string();
    return generic.find("/proj_depth/") != std::string::npos || generic.find("groundtruth_depth") != std::string::npos
               ? 256.0
               : 1000.0;
}

DepthTruth readDepthTruth(const std::string& path, double pngUnitsPerMetre) {
    DepthTruth t;
    if (!(pngUnitsPerMetre > 0)) pngUnitsPerMetre = depthPngUnitsPerMetre(path);
    const std::string ext = lowerExtension(path);
    if (ext == ".npy") {
        NpyFloatResult r = readNpyFloat(path);
        if (!r.error.empty()) {
            t.error = r.error;
            return t;
        }
        t.map = std::move(r.map);
        if (r.dtype == "<u2")  // integer depth is millimetres, as in a 16-bit PNG
            for (float& v : t.map.values) v /= 1000.f;
    } else if (ext == ".png" || ext == ".exr") {
        // OpenCV reads EXR only when asked to (it is off by default for safety).
        if (ext == ".exr") setenv("OPENCV_IO_ENABLE_OPENEXR", "1", 0);
        const cv::Mat m = decodeImage(path, cv::IMREAD_ANYDEPTH | cv::IMREAD_ANYCOLOR, &t.error);
        if (m.empty()) return t;
        cv::Mat depth;
        if (ext == ".png") {
            if (m.depth() != CV_16U || m.channels() != 1) {
                t.error = path + ": a depth PNG must be 16-bit single-channel (millimetres, or metres × 256 for KITTI; this one is " +
                          std::to_string(m.elemSize1() * 8) + "-bit with " + std::to_string(m.channels()) + " channel(s))";
                return t;
            }
            m.convertTo(depth, CV_32F, 1.0 / pngUnitsPerMetre);
        } else {
            cv::Mat first;
            cv::extractChannel(m, first, 0);
            first.convertTo(depth, CV_32F);
        }
        t.map = FloatMap{depth.cols, depth.rows, std::vector<float>(depth.begin<float>(), depth.end<float>())};
    } else {
        t.error = path + ": depth ground truth must be .png (16-bit mm), .npy or .exr";
        return t;
    }
    for (float& v : t.map.values)
        if (!std::isfinite(v) || v < 0) v = 0;  // invalid
    return t;
}

LabelTruth readLabelTruth(const std::string& path, const std::vector<ClassInfo>& classes) {
    LabelTruth t;
    const std::string ext = lowerExtension(path);
    if (ext == ".npy") {
        NpyClassResult r = readNpyClasses(path);
        if (!r.error.empty()) t.error = r.error;
        else t.map = std::move(r.map);
        return t;
    }
    if (ext != ".png") {
        t.error = path + ": label ground truth must be .png (index or palette colours) or .npy (uint8)";
        return t;
    }
    const cv::Mat m = decodeImage(path, cv::IMREAD_UNCHANGED, &t.error);
    if (m.empty()) return t;
    if (m.depth() != CV_8U) {
        t.error = path + ": a label PNG must be 8-bit";
        return t;
    }
    t.map.width = m.cols;
    t.map.height = m.rows;
    t.map.values.resize(m.total());
    if (m.channels() == 1) {
        t.map.values.assign(m.begin<std::uint8_t>(), m.end<std::uint8_t>());
        return t;
    }
    t.palette = true;
    if (classes.empty()) {
        t.error = path + ": a colour label PNG needs the model's class colours to be read";
        return t;
    }
    // Palette PNG: each pixel's colour is a class colour of the card (BGR(A) in OpenCV).
    size_t unknown = 0;
    for (int y = 0; y < m.rows; ++y)
        for (int x = 0; x < m.cols; ++x) {
            const std::uint8_t* p = m.ptr<std::uint8_t>(y) + x * m.channels();
            std::uint8_t label = kIgnoreLabel;
            for (size_t k = 0; k < classes.size(); ++k)
                if (classes[k].color[0] == p[2] && classes[k].color[1] == p[1] && classes[k].color[2] == p[0]) {
                    label = static_cast<std::uint8_t>(k);
                    break;
                }
            unknown += label == kIgnoreLabel;
            t.map.values[static_cast<size_t>(y) * m.cols + x] = label;
        }
    // A photo passed as labels matches a class colour here and there: most of a real label image
    // is labelled (Cityscapes leaves about a tenth void).
    if (unknown == m.total())
        t.error = path + ": no pixel has the colour of one of the model's classes: not a label image for this model";
    else if (unknown * 2 > m.total())
        t.error = path + ": " + std::to_string(unknown * 100 / m.total()) +
                  " % of the pixels have no class colour of this model: not a label image for it";
    return t;
}

namespace {

// Nearest neighbour: never blends a foreground depth with the background, or two classes.
template <typename Map>
void resampleNearest(Map* map, int cvType, int width, int height) {
    cv::Mat src(map->height, map->width, cvType, map->values.data()), dst;
    cv::resize(src, dst, cv::Size(width, height), 0, 0, cv::INTER_NEAREST);
    map->width = width;
    map->height = height;
    using Value = typename decltype(map->values)::value_type;
    map->values.assign(reinterpret_cast<const Value*>(dst.data), reinterpret_cast<const Value*>(dst.data) + dst.total());
}

}  // namespace

std::string checkTruthSize(const std::string& path, int width, int height, int imageWidth, int imageHeight,
                           int fileWidth, int fileHeight) {
    if (width == imageWidth && height == imageHeight) return {};
    if (fileWidth > 0 && width == fileWidth && height == fileHeight) return {};
    return path + ": the ground truth is " + std::to_string(width) + "×" + std::to_string(height) +
           " but the image is " + std::to_string(imageWidth) + "×" + std::to_string(imageHeight);
}

namespace {

bool endsWith(const std::string& s, const std::string& suffix) {
    return s.size() >= suffix.size() && s.compare(s.size() - suffix.size(), suffix.size(), suffix) == 0;
}

std::string firstExisting(const fs::path& folder, const std::string& stem, std::initializer_list<const char*> exts) {
    std::error_code ec;
    for (const char* ext : exts)
        if (fs::is_regular_file(folder / (stem + ext), ec)) return (folder / (stem + ext)).string();
    return {};
}

// `<drive>/image_0X/data/<frame>.png` → `<drive>/proj_depth/groundtruth/image_0X/<frame>.png`, and
// the depth selection's `image/…_image_<f>_image_0X.png` → `groundtruth_depth/…_groundtruth_depth_<f>_image_0X.png`.
std::string kittiDepthFor(const fs::path& image) {
    std::error_code ec;
    const fs::path dataDir = image.parent_path();
    if (dataDir.filename() == "data") {
        const fs::path camera = dataDir.parent_path();
        const fs::path candidate = camera.parent_path() / "proj_depth" / "groundtruth" / camera.filename() / image.filename();
        if (fs::is_regular_file(candidate, ec)) return candidate.string();
    }
    if (dataDir.filename() == "image") {
        std::string name = image.filename().string();
        const size_t at = name.find("_image_");
        if (at != std::string::npos) {
            name.replace(at, 7, "_groundtruth_depth_");
            const fs::path candidate = dataDir.parent_path() / "groundtruth_depth" / name;
            if (fs::is_regular_file(candidate, ec)) return candidate.string();
        }
    }
    return {};
}

// `leftImg8bit/<split>/<city>/<id>_leftImg8bit.png` → `gtFine/<split>/<city>/<id>_gtFine_labelIds.png`.
std::string cityscapesLabelsFor(const fs::path& image) {
    const std::string stem = image.stem().string();
    if (!endsWith(stem, "_leftImg8bit")) return {};
    const fs::path city = image.parent_path(), split = city.parent_path(), root = split.parent_path();
    if (root.filename() != "leftImg8bit") return {};
    const fs::path candidate = root.parent_path() / "gtFine" / split.filename() / city.filename() /
                               (stem.substr(0, stem.size() - 12) + "_gtFine_labelIds.png");
    std::error_code ec;
    return fs::is_regular_file(candidate, ec) ? candidate.string() : std::string();
}

}  // namespace

TruthPaths findTruthFor(const std::string& imagePath) {
    const fs::path image(imagePath);
    std::string stem = image.stem().string();
    TruthPaths p;
    if (stem.rfind("rgb_", 0) == 0) {  // NYU-style rgb_<n> beside depth_<n>, labels_<n>
        const std::string n = stem.substr(4);
        p.depth = firstExisting(image.parent_path(), "depth_" + n, {".png", ".npy", ".exr"});
        p.labels = firstExisting(image.parent_path(), "labels_" + n, {".png", ".npy"});
        if (!p.depth.empty() || !p.labels.empty()) return p;
    }
    if (endsWith(stem, "_rgb")) stem.resize(stem.size() - 4);
    p.depth = firstExisting(image.parent_path(), stem + "_depth", {".npy", ".png", ".exr"});
    p.labels = firstExisting(image.parent_path(), stem + "_labels", {".png", ".npy"});
    if (p.depth.empty()) p.depth = kittiDepthFor(image);
    if (p.labels.empty()) p.labels = cityscapesLabelsFor(image);
    return p;
}

bool isTruthFile(const std::string& path) {
    const fs::path p(path);
    const std::string stem = p.stem().string(), generic = p.generic_string();
    return endsWith(stem, "_labels") || endsWith(stem, "_depth") || stem.rfind("depth_", 0) == 0 ||
           stem.rfind("labels_", 0) == 0 || stem.find("_gtFine_") != std::string::npos ||
           generic.find("/proj_depth/") != std::string::npos || generic.find("/groundtruth_depth/") != std::string::npos ||
           generic.find("/gtFine/") != std::string::npos;
}

namespace {

// The class names of a class list: ["sky", …], [{"name": "sky", …}, …] or {"classes": [...]}.
std::vector<std::string> classNames(const fs::path& file) {
    const JsonRead read = readJsonFile(file.string(), JsonLimits{1u << 20, 8});
    if (!read.ok()) throw std::runtime_error(read.error);
    const nlohmann::json& doc = read.value;
    const nlohmann::json& list = doc.is_object() ? doc.at("classes") : doc;
    if (!list.is_array() || list.size() > 255) throw std::runtime_error("not a list of up to 255 names");
    std::vector<std::string> names;
    for (const auto& n : list) names.push_back(n.is_object() ? n.at("name").get<std::string>() : n.get<std::string>());
    return names;
}

}  // namespace

std::vector<std::string> findClassList(const std::string& labelPath, std::string* error) {
    fs::path folder = fs::path(labelPath).parent_path();
    std::error_code ec;
    for (int up = 0; up < 4; ++up, folder = folder.parent_path()) {
        if (const fs::path file = folder / "classes.json"; fs::is_regular_file(file, ec)) {
            try {
                return classNames(file);
            } catch (const std::exception& e) {
                *error = file.string() + ": not a class list ([\"name\", …] or {\"classes\": [...]}): " + e.what();
                return {};
            }
        }
        // The manifest `uvis-train render` writes names its classes too.
        if (const fs::path file = folder / "manifest.json"; fs::is_regular_file(file, ec)) {
            try {
                return classNames(file);
            } catch (const std::exception&) {  // another program's manifest: not ours to judge
            }
        }
        if (folder == folder.parent_path()) break;
    }
    return {};
}

namespace {

std::string lower(std::string s) {
    for (char& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return s;
}

std::string joined(const std::vector<std::string>& items) {
    std::string s;
    for (const std::string& i : items) s += (s.empty() ? "" : ", ") + i;
    return s;
}

}  // namespace

LabelMapping labelMapping(const std::string& labelPath, const std::vector<std::string>& datasetNames,
                          const ModelCard& card) {
    LabelMapping m;
    const std::vector<ClassInfo>& classes = card.classes;
    if (!datasetNames.empty()) {
        // By name, ignoring case: the one match that cannot happen by accident.
        std::vector<std::string> unknownToModel, absentFromData;
        std::vector<bool> matched(classes.size(), false);
        for (size_t id = 0; id < datasetNames.size() && id < 255; ++id) {
            bool found = false;
            for (size_t k = 0; k < classes.size(); ++k)
                if (lower(classes[k].name) == lower(datasetNames[id])) {
                    m.lookup[id] = static_cast<std::uint8_t>(k);
                    matched[k] = found = true;
                    break;
                }
            if (!found) unknownToModel.push_back(datasetNames[id]);
        }
        for (size_t k = 0; k < classes.size(); ++k)
            if (!matched[k]) absentFromData.push_back(classes[k].name);
        m.how = "by class name (the data set's class list)";
        if (!unknownToModel.empty())
            m.warnings.push_back(labelPath + ": the data set's classes " + joined(unknownToModel) +
                                 " are not classes of the model; their pixels are ignored");
        if (!absentFromData.empty())
            m.warnings.push_back(labelPath + ": the model's classes " + joined(absentFromData) +
                                 " are not in the data set's class list");
        return m;
    }
    if (!card.labelMap.empty()) {
        for (const auto& [id, k] : card.labelMap.ids) m.lookup[id] = static_cast<std::uint8_t>(k);
        m.how = "by the model card's label_map" + (card.labelMap.dataset.empty() ? "" : " (" + card.labelMap.dataset + ")");
        return m;
    }
    for (size_t k = 0; k < classes.size(); ++k) m.lookup[k] = static_cast<std::uint8_t>(k);
    m.how = "ids taken as the model's class indices";
    m.warnings.push_back(labelPath + ": label ids are taken as the model's class indices (" +
                         joined([&] {
                             std::vector<std::string> n;
                             for (size_t k = 0; k < classes.size(); ++k) n.push_back(std::to_string(k) + " " + classes[k].name);
                             return n;
                         }()) +
                         "): no classes.json names the data set's classes and the card has no label_map");
    return m;
}

std::string applyLabelMapping(const LabelMapping& mapping, const std::string& labelPath, ClassMap* labels) {
    std::array<std::size_t, 256> unknown{};
    std::size_t labelled = 0, dropped = 0;
    for (std::uint8_t& v : labels->values) {
        if (v == kIgnoreLabel) continue;
        ++labelled;
        const std::uint8_t k = mapping.lookup[v];
        if (k == kIgnoreLabel) {
            ++unknown[v];
            ++dropped;
        }
        v = k;
    }
    if (dropped == 0) return {};
    std::vector<std::string> ids;
    for (int id = 0; id < 256; ++id)
        if (unknown[id]) ids.push_back(std::to_string(id));
    char share[32];
    std::snprintf(share, sizeof share, "%.1f", 100.0 * dropped / labelled);
    return labelPath + ": " + share + " % of the labelled pixels have ids the model does not know (" + joined(ids) +
           "; " + mapping.how + ") and are ignored";
}

GroundTruth loadGroundTruth(const std::string& imagePath, TruthPaths given, bool searchBeside, int imageWidth,
                            int imageHeight, const ModelCard& card, int fileWidth, int fileHeight) {
    GroundTruth g;
    if (searchBeside) {
        const TruthPaths found = findTruthFor(imagePath);
        if (given.depth.empty()) given.depth = found.depth;
        if (given.labels.empty()) given.labels = found.labels;
    }
    g.paths = given;
    if (!given.depth.empty()) {
        DepthTruth d = readDepthTruth(given.depth, given.depthScale);
        std::string e = d.error.empty()
                            ? checkTruthSize(given.depth, d.map.width, d.map.height, imageWidth, imageHeight, fileWidth,
                                             fileHeight)
                            : d.error;
        if (e.empty()) {
            if (d.map.width != imageWidth) resampleNearest(&d.map, CV_32FC1, imageWidth, imageHeight);
            g.depth = std::move(d.map);
        } else {
            g.errors.push_back(e);
        }
    }
    if (!given.labels.empty()) {
        LabelTruth l = readLabelTruth(given.labels, card.classes);
        std::string e = l.error.empty()
                            ? checkTruthSize(given.labels, l.map.width, l.map.height, imageWidth, imageHeight, fileWidth,
                                             fileHeight)
                            : l.error;
        if (e.empty() && !l.palette) {
            std::string listError;
            std::vector<std::string> names = given.labelNames;
            if (names.empty()) names = findClassList(given.labels, &listError);
            e = listError;
            if (e.empty()) {
                LabelMapping mapping = labelMapping(given.labels, names, card);
                g.labelMapping = mapping.how;
                g.warnings = mapping.warnings;
                if (std::string w = applyLabelMapping(mapping, given.labels, &l.map); !w.empty()) g.warnings.push_back(w);
            }
        } else if (e.empty()) {
            g.labelMapping = "by the model card's class colours";
        }
        if (e.empty()) {
            if (l.map.width != imageWidth) resampleNearest(&l.map, CV_8UC1, imageWidth, imageHeight);
            g.labels = std::move(l.map);
        } else {
            g.errors.push_back(e);
        }
    }
    return g;
}

}  // namespace uvis
