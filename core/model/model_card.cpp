#include "core/model/model_card.h"
#include "core/types/json_document.h"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <iomanip>
#include <sstream>

namespace uvis {
namespace {

using nlohmann::json;

// Thrown inside this file only, turned into CardResult::error at the boundary.
struct CardError {
    std::string message;
};

[[noreturn]] void fail(const std::string& field, const std::string& problem) {
    throw CardError{"field '" + field + "' " + problem};
}

const json& require(const json& object, const std::string& key, const std::string& path) {
    auto it = object.find(key);
    if (it == object.end() || it->is_null()) fail(path, "is missing");
    return *it;
}

std::string requireString(const json& object, const std::string& key, const std::string& path) {
    const json& value = require(object, key, path);
    if (!value.is_string()) fail(path, "must be a string");
    return value.get<std::string>();
}

std::string optionalString(const json& object, const std::string& key, const std::string& path) {
    auto it = object.find(key);
    if (it == object.end() || it->is_null()) return {};
    if (!it->is_string()) fail(path, "must be a string");
    return it->get<std::string>();
}

double requireNumber(const json& object, const std::string& key, const std::string& path) {
    const json& value = require(object, key, path);
    if (!value.is_number()) fail(path, "must be a number");
    return value.get<double>();
}

std::optional<double> optionalNumber(const json& object, const std::string& key,
                                     const std::string& path) {
    auto it = object.find(key);
    if (it == object.end() || it->is_null()) return std::nullopt;
    if (!it->is_number()) fail(path, "must be a number");
    return it->get<double>();
}

const json& requireObject(const json& object, const std::string& key, const std::string& path) {
    const json& value = require(object, key, path);
    if (!value.is_object()) fail(path, "must be an object");
    return value;
}

std::array<float, 3> requireTriple(const json& object, const std::string& key,
                                   const std::string& path) {
    const json& value = require(object, key, path);
    if (!value.is_array() || value.size() != 3) fail(path, "must be a list of 3 numbers");
    std::array<float, 3> out{};
    for (size_t i = 0; i < 3; ++i) {
        if (!value[i].is_number()) fail(path, "must be a list of 3 numbers");
        out[i] = value[i].get<float>();
    }
    return out;
}

InputSpec parseInput(const json& root) {
    const json& in = requireObject(root, "input", "input");
    InputSpec spec;
    const double w = requireNumber(in, "width", "input.width");
    const double h = requireNumber(in, "height", "input.height");
    if (w < 8 || h < 8 || w > 8192 || h > 8192 || w != static_cast<int>(w) ||
        h != static_cast<int>(h))
        fail("input.width/height", "must be whole numbers between 8 and 8192");
    spec.width = static_cast<int>(w);
    spec.height = static_cast<int>(h);
    const std::string resize = optionalString(in, "resize", "input.resize");
    if (resize == "keep_aspect") spec.resize = InputSpec::Resize::KeepAspect;
    else if (resize == "native") spec.resize = InputSpec::Resize::Native;
    else if (!resize.empty() && resize != "fixed")
        fail("input.resize", "must be \"fixed\", \"keep_aspect\" or \"native\"");
    if (auto m = optionalNumber(in, "multiple_of", "input.multiple_of")) {
        if (*m < 1 || *m > 256 || *m != static_cast<int>(*m))
            fail("input.multiple_of", "must be a whole number between 1 and 256");
        spec.multipleOf = static_cast<int>(*m);
    }
    spec.mean = requireTriple(in, "mean", "input.mean");
    spec.std = requireTriple(in, "std", "input.std");
    for (float s : spec.std)
        if (!(s > 0.f)) fail("input.std", "must hold positive numbers");
    return spec;
}

DepthSpec parseDepth(const json& root) {
    const json& d = requireObject(root, "depth", "depth");
    DepthSpec spec;
    spec.unit = optionalString(d, "unit", "depth.unit");
    if (spec.unit.empty()) spec.unit = "m";
    spec.min = static_cast<float>(requireNumber(d, "min", "depth.min"));
    spec.max = static_cast<float>(requireNumber(d, "max", "depth.max"));
    if (!(spec.min >= 0.f && spec.max > spec.min)) fail("depth.min/max", "must satisfy 0 ≤ min < max");
    spec.loss = optionalString(d, "loss", "depth.loss");
    if (spec.loss.empty()) spec.loss = "gaussian";
    if (spec.loss != "gaussian" && spec.loss != "laplace")
        fail("depth.loss", "must be \"gaussian\" or \"laplace\"");
    const std::string kind = optionalString(d, "kind", "depth.kind");
    if (kind == "inverse") spec.kind = DepthSpec::Kind::Inverse;
    else if (kind == "disparity") spec.kind = DepthSpec::Kind::Disparity;
    else if (!kind.empty() && kind != "metric")
        fail("depth.kind", "must be \"metric\", \"inverse\" or \"disparity\"");
    const std::optional<double> scale = optionalNumber(d, "scale", "depth.scale");
    if (spec.kind == DepthSpec::Kind::Disparity && !scale)
        fail("depth.scale", "is needed for disparity: baseline × focal length (m·px), depth = scale / disparity");
    if (scale && !(*scale > 0 && std::isfinite(*scale))) fail("depth.scale", "must be a positive number");
    if (scale) spec.scale = static_cast<float>(*scale);
    return spec;
}

std::vector<ClassInfo> parseClasses(const json& root) {
    const json& list = require(root, "classes", "classes");
    if (!list.is_array() || list.empty()) fail("classes", "must be a non-empty list");
    if (list.size() > 255) fail("classes", "may hold at most 255 classes");
    std::vector<ClassInfo> classes;
    for (size_t i = 0; i < list.size(); ++i) {
        const std::string path = "classes[" + std::to_string(i) + "]";
        if (!list[i].is_object()) fail(path, "must be an object");
        ClassInfo info;
        info.name = requireString(list[i], "name", path + ".name");
        const auto rgb = requireTriple(list[i], "color", path + ".color");
        const bool fractions = std::all_of(rgb.begin(), rgb.end(), [](float v) { return v >= 0.f && v <= 1.f; }) &&
                               std::any_of(rgb.begin(), rgb.end(), [](float v) { return v != std::floor(v); });
        if (fractions)  // 0–1 floats would silently become black
            fail(path + ".color", "must hold three whole numbers 0–255 (colours as 0–1 fractions? multiply by 255)");
        for (int c = 0; c < 3; ++c) {
            if (rgb[c] < 0.f || rgb[c] > 255.f || rgb[c] != std::floor(rgb[c]))
                fail(path + ".color", "must hold three whole numbers 0–255");
            info.color[c] = static_cast<int>(rgb[c]);
        }
        classes.push_back(info);
    }
    return classes;
}

// "label_map": {"dataset": "cityscapes", "ids": {"7": "road", "26": "car"}}; a value names a
// class of the card (or is its index).
LabelMap parseLabelMap(const json& root, const std::vector<ClassInfo>& classes) {
    LabelMap map;
    auto it = root.find("label_map");
    if (it == root.end()) return map;
    if (!it->is_object()) fail("label_map", "must be an object {\"dataset\": …, \"ids\": {\"id\": \"class\"}}");
    map.dataset = optionalString(*it, "dataset", "label_map.dataset");
    const json& ids = requireObject(*it, "ids", "label_map.ids");
    if (ids.empty() || ids.size() > 255) fail("label_map.ids", "must map 1–255 data-set ids to classes");
    for (const auto& [key, value] : ids.items()) {
        const std::string path = "label_map.ids." + key;
        char* end = nullptr;
        const long id = std::strtol(key.c_str(), &end, 10);
        if (key.empty() || *end != '\0' || id < 0 || id > 254) fail(path, "the key must be a label id 0–254");
        int index = -1;
        if (value.is_string()) {
            for (size_t k = 0; k < classes.size(); ++k)
                if (classes[k].name == value.get<std::string>()) index = static_cast<int>(k);
            if (index < 0) fail(path, "names no class of this card (\"" + value.get<std::string>() + "\")");
        } else if (value.is_number_integer() && value.get<long long>() >= 0 &&
                   value.get<long long>() < static_cast<long long>(classes.size())) {
            index = value.get<int>();
        } else {
            fail(path, "must be a class name of this card or its index");
        }
        map.ids[static_cast<int>(id)] = index;
    }
    return map;
}

}  // namespace

std::string modelNameAndVersion(const ModelCard& card) {
    return card.version.empty() ? card.name : card.name + " (version " + card.version + ")";
}

std::string trainedRatesText(const ModelCard& card) {
    if (!card.hasDropout) return "none (deterministic model)";
    std::ostringstream out;
    out << std::setprecision(3);  // learned rates carry float noise no reader needs
    if (card.dropoutRates.empty()) {
        out << card.trainDropout;
        return out.str();
    }
    for (size_t i = 0; i < card.dropoutRates.size(); ++i) {
        const DropoutSite& site = card.dropoutRates[i];
        out << (i ? ", " : "");
        if (site.p) out << *site.p;
        else out << "computed";
        out << " (" << site.where << ")";
    }
    return out.str();
}

std::string depthKindName(const DepthSpec& spec) {
    switch (spec.kind) {
    case DepthSpec::Kind::Inverse: return "inverse depth";
    case DepthSpec::Kind::Disparity: return "disparity";
    case DepthSpec::Kind::Metric: break;
    }
    return {};
}

std::pair<int, int> modelInputSize(const InputSpec& spec, int imageWidth, int imageHeight) {
    if (spec.resize == InputSpec::Resize::Fixed || imageWidth <= 0 || imageHeight <= 0)
        return {spec.width, spec.height};
    double w = imageWidth, h = imageHeight;
    if (spec.resize == InputSpec::Resize::KeepAspect) {
        const double scale = std::min(double(spec.width) / w, double(spec.height) / h);
        w *= scale;
        h *= scale;
    }
    // Nearest multiple, at least one multiple (a 1-pixel-high image still runs).
    auto round = [&](double v) { return std::max(spec.multipleOf, static_cast<int>(std::lround(v / spec.multipleOf)) * spec.multipleOf); };
    return {round(w), round(h)};
}

namespace {

// "dropout": {"train_p": 0.5, "scaling": "proportional", "rates": [{"where": …, "p": 0.1}, …]};
// absent for a deterministic model.
void parseDropout(const json& root, ModelCard* card) {
    auto it = root.find("dropout");
    if (it == root.end() || it->is_null()) {
        card->hasDropout = false;
        return;
    }
    if (!it->is_object()) fail("dropout", "must be an object");
    const json& dropout = *it;
    const double trainP = requireNumber(dropout, "train_p", "dropout.train_p");
    if (!(trainP >= 0.0 && trainP < 1.0)) fail("dropout.train_p", "must lie in [0, 1)");
    card->trainDropout = trainP;
    const std::string scaling = optionalString(dropout, "scaling", "dropout.scaling");
    if (scaling == "proportional") card->dropoutScaling = DropoutScaling::Proportional;
    else if (!scaling.empty() && scaling != "uniform")
        fail("dropout.scaling", "must be \"uniform\" or \"proportional\"");
    auto rates = dropout.find("rates");
    if (rates == dropout.end() || rates->is_null()) return;
    if (!rates->is_array() || rates->size() > 4096) fail("dropout.rates", "must be a list of at most 4096 layers");
    for (size_t i = 0; i < rates->size(); ++i) {
        const json& r = (*rates)[i];
        const std::string path = "dropout.rates[" + std::to_string(i) + "]";
        if (!r.is_object()) fail(path, "must be an object {\"where\": …, \"p\": …}");
        DropoutSite site;
        site.where = requireString(r, "where", path + ".where");
        const json& p = require(r, "p", path + ".p");
        if (p.is_number()) {
            const double v = p.get<double>();
            if (!(v >= 0.0 && v < 1.0)) fail(path + ".p", "must lie in [0, 1)");
            site.p = v;
        } else if (p != "computed") {
            fail(path + ".p", "must be a rate in [0, 1) or \"computed\"");
        }
        card->dropoutRates.push_back(site);
    }
}

ModelCard parse(const json& root) {
    if (!root.is_object()) throw CardError{"the card must be a JSON object"};
    ModelCard card;
    card.name = requireString(root, "name", "name");
    card.version = optionalString(root, "version", "version");
    card.description = optionalString(root, "description", "description");

    const json& tasks = require(root, "tasks", "tasks");
    if (!tasks.is_array()) fail("tasks", "must be a list");
    for (const json& t : tasks) {
        if (t == "depth") card.depth = true;
        else if (t == "segmentation") card.segmentation = true;
        else fail("tasks", "may only hold \"depth\" and \"segmentation\"");
    }
    if (!card.depth && !card.segmentation) fail("tasks", "must name at least one task");

    card.input = parseInput(root);
    if (card.depth) card.depthSpec = parseDepth(root);
    if (card.segmentation) {
        card.classes = parseClasses(root);
        card.labelMap = parseLabelMap(root, card.classes);
    }

    parseDropout(root, &card);

    if (auto it = root.find("task_uncertainty"); it != root.end() && it->is_object()) {
        if (auto v = optionalNumber(*it, "depth_log_var", "task_uncertainty.depth_log_var"))
            card.depthLogVar = static_cast<float>(*v);
        if (auto v = optionalNumber(*it, "seg_log_var", "task_uncertainty.seg_log_var"))
            card.segLogVar = static_cast<float>(*v);
    }
    if (auto it = root.find("architecture"); it != root.end() && it->is_object()) {
        if (optionalString(*it, "type", "architecture.type") == "uvis-native") {
            NativeArchitecture arch;
            const double w = requireNumber(*it, "width", "architecture.width");
            if (w < 4 || w > 256 || w != static_cast<int>(w))
                fail("architecture.width", "must be a whole number between 4 and 256");
            arch.width = static_cast<int>(w);
            if (auto e = it->find("encoder_dropout"); e != it->end()) {
                if (!e->is_boolean()) fail("architecture.encoder_dropout", "must be true or false");
                arch.encoderDropout = e->get<bool>();
            }
            card.native = arch;
        }
    }
    card.weightsSha256 = optionalString(root, "weights_sha256", "weights_sha256");
    if (!card.weightsSha256.empty() &&
        (card.weightsSha256.size() != 64 ||
         card.weightsSha256.find_first_not_of("0123456789abcdef") != std::string::npos))
        fail("weights_sha256", "must be 64 lower-case hex digits");
    card.json = jsonText(root);
    return card;
}

}  // namespace

CardResult parseModelCard(const std::string& text, const std::string& source) {
    CardResult result;
    // A card is a few kilobytes: tighter limits than for other files.
    const JsonRead read = parseJson(text, source + ": the model card", JsonLimits{1u << 20, 32});
    if (!read.ok()) {
        result.error = read.error;
        return result;
    }
    try {
        result.card = parse(read.value);
    } catch (const CardError& e) {
        result.error = source + ": model card " + e.message;
    } catch (const json::exception& e) {
        result.error = source + ": model card is malformed (" + e.what() + ")";
    }
    return result;
}

std::string modelCardToJson(const ModelCard& card) {
    json root = card.json.empty() ? json::object() : parseJson(card.json, "a model card").value;
    root["name"] = card.name;
    root["version"] = card.version;
    root["description"] = card.description;
    json tasks = json::array();
    if (card.depth) tasks.push_back("depth");
    if (card.segmentation) tasks.push_back("segmentation");
    root["tasks"] = tasks;
    root["input"]["width"] = card.input.width;
    root["input"]["height"] = card.input.height;
    root["input"]["mean"] = card.input.mean;
    root["input"]["std"] = card.input.std;
    if (card.input.resize != InputSpec::Resize::Fixed)
        root["input"]["resize"] = card.input.resize == InputSpec::Resize::Native ? "native" : "keep_aspect";
    if (card.input.multipleOf > 1) root["input"]["multiple_of"] = card.input.multipleOf;
    if (card.depth) {
        root["depth"]["unit"] = card.depthSpec.unit;
        root["depth"]["min"] = card.depthSpec.min;
        root["depth"]["max"] = card.depthSpec.max;
        root["depth"]["loss"] = card.depthSpec.loss;
        if (card.depthSpec.kind != DepthSpec::Kind::Metric) {
            root["depth"]["kind"] = card.depthSpec.kind == DepthSpec::Kind::Inverse ? "inverse" : "disparity";
            root["depth"]["scale"] = card.depthSpec.scale;
        }
    }
    if (card.segmentation) {
        json classes = json::array();
        for (const auto& c : card.classes) classes.push_back({{"name", c.name}, {"color", c.color}});
        root["classes"] = classes;
    }
    if (card.hasDropout) {
        root["dropout"]["train_p"] = card.trainDropout;
        // Written only when set, as below: older cards keep their bytes.
        if (card.dropoutScaling == DropoutScaling::Proportional) root["dropout"]["scaling"] = "proportional";
        if (!card.dropoutRates.empty()) {
            json rates = json::array();
            for (const DropoutSite& site : card.dropoutRates)
                rates.push_back({{"where", site.where}, {"p", site.p ? json(*site.p) : json("computed")}});
            root["dropout"]["rates"] = rates;
        }
    } else {
        root.erase("dropout");
    }
    if (card.depthLogVar) root["task_uncertainty"]["depth_log_var"] = *card.depthLogVar;
    if (card.segLogVar) root["task_uncertainty"]["seg_log_var"] = *card.segLogVar;
    if (card.native) {
        root["architecture"] = {{"type", "uvis-native"}, {"width", card.native->width}};
        // Written only when set: the cards of models trained before keep their bytes (and hashes).
        if (card.native->encoderDropout) root["architecture"]["encoder_dropout"] = true;
    }
    if (card.weightsSha256.empty()) root.erase("weights_sha256");
    else root["weights_sha256"] = card.weightsSha256;
    return jsonText(root, 2);
}

}  // namespace uvis
