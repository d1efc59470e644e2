#include "core/export/result_export.h"

#include "core/export/summary_fields.h"

#include <QCryptographicHash>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <cmath>
#include <filesystem>

#include "core/imaging/colormap.h"
#include "core/imaging/map_views.h"
#include "core/imaging/resample.h"
#include "core/types/json_document.h"
#include "core/runtime/version.h"
#include "core/io/atomic_file.h"
#include "core/io/image_io.h"
#include "core/io/npy.h"

namespace uvis {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;

// Colour pictures: what each written picture shows, with its colormap.
struct Picture {
    std::string file;
    FloatMap map;
    Colormap colormap;
};

std::vector<Picture> pictures(const UncertaintyMaps& m) {
    std::vector<Picture> out;
    if (m.hasDepth) {
        out.push_back({"depth.png", m.depthMean, Colormap::Magma});
        if (!m.depthAleatoricVar.empty())
            out.push_back({"depth_aleatoric_std.png", measureMap(m, Measure::DepthAleatoricStd), Colormap::Inferno});
        out.push_back({"depth_epistemic_std.png", measureMap(m, Measure::DepthEpistemicStd), Colormap::Inferno});
    }
    if (m.hasSegmentation) {
        out.push_back({"seg_confidence.png", m.segConfidence, Colormap::Viridis});
        out.push_back({"seg_entropy.png", m.segEntropy, Colormap::Viridis});
        out.push_back({"seg_expected_entropy.png", m.segExpectedEntropy, Colormap::Viridis});
        out.push_back({"seg_mutual_info.png", m.segMutualInfo, Colormap::Viridis});
    }
    return out;
}

std::string writeFolder(const std::string& dir, const ExportOptions& o, const RgbImage& input,
                        const ModelCard& card, const RunInfo& info, int width, int height) {
    const UncertaintyMaps& maps = info.result->maps;
    if (o.rawMaps)
        for (const NamedMap& n : namedMaps(maps)) {
            const std::string path = (fs::path(dir) / (n.name + ".npy")).string();
            const std::string e = n.values ? writeNpy(path, resizeBilinear(*n.values, width, height))
                                           : writeNpy(path, resizeNearest(*n.classes, width, height));
            if (!e.empty()) return e;
        }
    if (o.pictures) {
        for (const Picture& p : pictures(maps)) {
            const FloatMap sized = resizeBilinear(p.map, width, height);
            const RgbaImage rgba = colorize(sized, p.colormap, robustRange(sized));
            if (std::string e = writeRgbaPng((fs::path(dir) / p.file).string(), width, height, rgba.pixels.data());
                !e.empty())
                return e;
        }
        if (maps.hasSegmentation) {
            const RgbaImage rgba = colorizeClasses(resizeNearest(maps.segClass, width, height), card.classes);
            if (std::string e = writeRgbaPng((fs::path(dir) / "segmentation.png").string(), width, height,
                                             rgba.pixels.data());
                !e.empty())
                return e;
        }
        if (std::string e = writeRgbPng((fs::path(dir) / "overlay_epistemic.png").string(),
                                        epistemicOverlay(input, maps));
            !e.empty())
            return e;
    }
    if (info.metrics && info.metrics->depth)
        if (std::string e = writeFileAtomically((fs::path(dir) / "sparsification.csv").string(),
                                                sparsificationCsv(*info.metrics->depth));
            !e.empty())
            return e;
    if (info.metrics && info.metrics->segmentation)
        if (std::string e = writeFileAtomically((fs::path(dir) / "reliability.csv").string(),
                                                reliabilityCsv(*info.metrics->segmentation));
            !e.empty())
            return e;
    return writeFileAtomically((fs::path(dir) / "summary.json").string(), summaryJson(info, card, o) + "\n");
}

}  // namespace

std::string mapUnit(const std::string& name) {
    static const std::pair<const char*, const char*> units[] = {
        {"depth_mean", "m"},
        {"depth_aleatoric_var", "m²"},
        {"depth_epistemic_var", "m²"},
        // Scale-free (SPEC §5): variances of log depth, √ = relative σ.
        {"depth_epistemic_logvar", "(log m)²"},
        {"depth_aleatoric_logvar", "(log m)²"},
        {"seg_class", "class"},
        {"seg_confidence", "probability"},
        {"seg_entropy", "nats"},
        {"seg_expected_entropy", "nats"},
        {"seg_mutual_info", "nats"},
        {"seg_logit_var", "logit²"}};
    for (const auto& [n, unit] : units)
        if (name == n) return unit;
    return {};
}

std::vector<NamedMap> namedMaps(const UncertaintyMaps& m) {
    std::vector<NamedMap> out;
    auto add = [&](const char* name, const FloatMap* values, const ClassMap* classes = nullptr) {
        out.push_back({name, mapUnit(name), values, classes});
    };
    if (m.hasDepth) {
        add("depth_mean", &m.depthMean);
        if (!m.depthAleatoricVar.empty()) add("depth_aleatoric_var", &m.depthAleatoricVar);
        add("depth_epistemic_var", &m.depthEpistemicVar);
        add("depth_epistemic_logvar", &m.depthEpistemicLogVar);
        if (!m.depthAleatoricLogVar.empty()) add("depth_aleatoric_logvar", &m.depthAleatoricLogVar);
    }
    if (m.hasSegmentation) {
        add("seg_class", nullptr, &m.segClass);
        add("seg_confidence", &m.segConfidence);
        add("seg_entropy", &m.segEntropy);
        add("seg_expected_entropy", &m.segExpectedEntropy);
        add("seg_mutual_info", &m.segMutualInfo);
        if (!m.segLogitVar.empty()) add("seg_logit_var", &m.segLogitVar);
    }
    return out;
}

MapStatistics statistics(const FloatMap& map) {
    MapStatistics s;
    std::vector<float> v;
    v.reserve(map.values.size());
    double sum = 0;
    for (float x : map.values)
        if (std::isfinite(x)) {
            v.push_back(x);
            sum += x;
        } else {
            ++s.nonFinite;
        }
    if (v.empty()) return s;
    s.mean = sum / v.size();
    auto at = [&](double q) {
        const size_t k = static_cast<size_t>(q * (v.size() - 1) + 0.5);
        std::nth_element(v.begin(), v.begin() + k, v.end());
        return static_cast<double>(v[k]);
    };
    s.median = at(0.5);
    s.p95 = at(0.95);
    return s;
}

std::string cardSha256(const ModelCard& card) {
    return QCryptographicHash::hash(QByteArray::fromStdString(card.json), QCryptographicHash::Sha256)
        .toHex()
        .toStdString();
}

// The size the model ran at: the card's, or this image's for keep_aspect and native models.
json modelSizeOf(const UncertaintyMaps& m, const ModelCard& card) {
    const FloatMap& any = m.hasDepth ? m.depthMean : m.segConfidence;
    if (any.empty()) return {card.input.width, card.input.height};
    return {any.width, any.height};
}

std::string summaryJson(const RunInfo& info, const ModelCard& card, const ExportOptions& o) {
    const SamplingResult& r = *info.result;
    json maps = json::object();
    json warnings = r.warnings;
    auto number = [](double v) { return std::isfinite(v) ? json(v) : json(nullptr); };
    for (const NamedMap& n : namedMaps(r.maps)) {
        json entry{{"file", n.name + ".npy"}, {"unit", n.unit}};
        if (n.values) {
            const MapStatistics s = statistics(*n.values);
            entry["mean"] = number(s.mean);
            entry["median"] = number(s.median);
            entry["p95"] = number(s.p95);
            if (s.nonFinite > 0) {
                // Never hidden: counted here and said in the warnings.
                entry["non_finite_pixels"] = s.nonFinite;
                warnings.push_back(n.name + ": " + std::to_string(s.nonFinite) +
                                   " pixels are NaN or infinite; the statistics are over the finite ones");
            }
        }
        maps[n.name] = entry;
    }
    // Said, not left to be guessed from a missing file (SPEC §4: depth_logvar is optional).
    if (r.maps.hasDepth && r.maps.depthAleatoricVar.empty())
        maps["depth_aleatoric_var"] = {{"not_predicted", "this model has no depth_logvar output"}};
    for (const std::string& w : info.truthWarnings) warnings.push_back(w);
    json doc{{"uvis_version", versionString()},
             {"input", info.input},
             {"model", {{"name", card.name}, {"version", card.version}, {"path", info.modelPath},
                        {"card_sha256", cardSha256(card)}}},
             {"method", methodName(info.settings.method)},
             {"calibration", calibrationSummary(info.settings.calibration)},
             {"samples", info.settings.samples},
             {"samples_done", r.maps.samplesDone},
             {"passes_per_call", r.passesPerCall},
             {"dropout", info.settings.dropout},
             {"trained_dropout", trainedDropoutJson(card, info.settings.dropout)},
             {"seed", info.settings.seed},
             {"noise_samples", info.settings.noiseSamples},
             {"precision", precisionName(info.settings.precision)},
             {"device", r.device},
             {"model_size", modelSizeOf(r.maps, card)},
             {"map_size", {o.width, o.height}},
             {"timings_ms", {{"encode", r.encodeMs}, {"per_sample", r.msPerSample}, {"total", r.totalMs}}},
             {"statistics_at", "model size"},
             {"maps", maps},
             {"warnings", warnings}};
    if (!o.sizeNote.empty()) doc["map_size_note"] = o.sizeNote;
    if (const std::string from = depthKindName(card.depthSpec); card.depth && !from.empty())
        doc["depth_converted_from"] = from + " (scale " + std::to_string(card.depthSpec.scale) + "): depth maps in metres";
    doc["input_warnings"] = info.inputWarnings;
    if (info.metrics) {
        doc["metrics"] = parseJson(metricsJson(*info.metrics), "the metrics").value;
        doc["ground_truth"] = {{"depth", info.depthTruthPath}, {"labels", info.labelTruthPath}};
        if (!info.labelMapping.empty()) doc["ground_truth"]["label_mapping"] = info.labelMapping;
    }
    return jsonText(doc, 2);
}

std::string exportResult(const ExportOptions& o, const RgbImage& input, const ModelCard& card, const RunInfo& info) {
    ExportOptions sized = o;
    sized.width = o.width > 0 ? o.width : input.width;
    sized.height = o.height > 0 ? o.height : input.height;
    PartialFolder folder;
    if (std::string e = folder.open(o.dir, o.overwrite); !e.empty()) return e;
    if (std::string e = writeFolder(folder.path(), sized, input, card, info, sized.width, sized.height); !e.empty())
        return e;
    if (o.extraFiles)
        if (std::string e = o.extraFiles(folder.path()); !e.empty()) return e;
    return folder.commit();
}

RgbImage epistemicOverlay(const RgbImage& input, const UncertaintyMaps& maps, float opacity) {
    const FloatMap source = measureMap(maps, maps.hasDepth ? Measure::DepthEpistemicStd : Measure::SegMutualInfo);
    return dropAlpha(blendOver(input, source, Colormap::Inferno, robustRange(source), opacity, std::nullopt));
}

}  // namespace uvis
