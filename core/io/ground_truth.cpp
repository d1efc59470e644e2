#include "core/io/ground_truth.h"

#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>

#include <cmath>
#include <cstdlib>
#include <filesystem>

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

DepthTruth readDepthTruth(const std::string& path) {
    DepthTruth t;
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
                t.error = path + ": a depth PNG must be 16-bit single-channel millimetres (this one is " +
                          std::to_string(m.elemSize1() * 8) + "-bit with " + std::to_string(m.channels()) + " channel(s))";
                return t;
            }
            m.convertTo(depth, CV_32F, 1.0 / 1000.0);
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

TruthPaths findTruthBeside(const std::string& imagePath) {
    const fs::path image(imagePath);
    std::string stem = image.stem().string();
    if (stem.size() > 4 && stem.compare(stem.size() - 4, 4, "_rgb") == 0) stem.resize(stem.size() - 4);
    TruthPaths p;
    std::error_code ec;
    for (const char* ext : {".npy", ".png", ".exr"}) {
        const fs::path candidate = image.parent_path() / (stem + "_depth" + ext);
        if (fs::is_regular_file(candidate, ec)) {
            p.depth = candidate.string();
            break;
        }
    }
    for (const char* ext : {".png", ".npy"}) {
        const fs::path candidate = image.parent_path() / (stem + "_labels" + ext);
        if (fs::is_regular_file(candidate, ec)) {
            p.labels = candidate.string();
            break;
        }
    }
    return p;
}

GroundTruth loadGroundTruth(const std::string& imagePath, TruthPaths given, bool searchBeside, int imageWidth,
                            int imageHeight, const std::vector<ClassInfo>& classes, int fileWidth, int fileHeight) {
    GroundTruth g;
    if (searchBeside) {
        const TruthPaths found = findTruthBeside(imagePath);
        if (given.depth.empty()) given.depth = found.depth;
        if (given.labels.empty()) given.labels = found.labels;
    }
    g.paths = given;
    if (!given.depth.empty()) {
        DepthTruth d = readDepthTruth(given.depth);
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
        LabelTruth l = readLabelTruth(given.labels, classes);
        std::string e = l.error.empty()
                            ? checkTruthSize(given.labels, l.map.width, l.map.height, imageWidth, imageHeight, fileWidth,
                                             fileHeight)
                            : l.error;
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
