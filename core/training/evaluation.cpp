#include "core/training/evaluation.h"
#include "core/types/json_document.h"

#include <nlohmann/json.hpp>

#include <cmath>
#include <limits>

#include "core/io/image_io.h"
#include "core/io/npy.h"
#include "core/engine/uncertainty_engine.h"
#include "core/model/model_loader.h"
#include "core/engine/preprocess.h"
#include "core/training/dataset_manifest.h"

namespace uvis {

EvalResult evaluateModel(std::shared_ptr<Model> model, const std::string& dataDir, const EvalOptions& o,
                         const std::function<void(int, int)>& progress) {
    EvalResult result;
    ManifestResult manifest = readDatasetManifest(dataDir);
    if (!manifest.error.empty()) return {{}, manifest.error};
    const ModelCard& card = modelCard(*model);
    const DatasetManifest& m = manifest.manifest;
    if (m.width != card.input.width || m.height != card.input.height)
        return {{}, dataDir + ": images are " + std::to_string(m.width) + "×" + std::to_string(m.height) +
                        ", the model takes " + std::to_string(card.input.width) + "×" +
                        std::to_string(card.input.height)};
    UncertaintyEngine engine(model);
    SamplingSettings settings;
    settings.method = o.method;
    settings.samples = o.samples;
    settings.dropout = o.dropout >= 0 ? o.dropout : defaultDropout(o.method, card.trainDropout);
    settings.seed = o.seed;
    settings.device = o.device;

    const int K = static_cast<int>(card.classes.size());
    std::vector<double> confusion(static_cast<size_t>(K) * K, 0.0);  // [truth][predicted]
    double sqErr = 0, absRel = 0, aleatoric = 0, epistemic = 0, mi = 0, ee = 0;
    double epistemicLog = 0, aleatoricLog = 0, epistemicRel = 0, aleatoricRel = 0;
    long long depthPixels = 0, allPixels = 0;
    const int total = o.limit > 0 ? std::min<int>(o.limit, static_cast<int>(m.items.size()))
                                  : static_cast<int>(m.items.size());
    for (int n = 0; n < total; ++n) {
        const DatasetItem& item = m.items[static_cast<size_t>(n)];
        RgbImageResult image = readRgbImage(itemRgbPath(dataDir, item));
        if (!image.error.empty()) return {{}, image.error};
        SamplingResult run = engine.run(toModelInput(image.image, card.input), settings);
        if (!run.ok()) return {{}, itemRgbPath(dataDir, item) + ": " + run.error};
        const UncertaintyMaps& maps = run.maps;
        if (card.depth) {
            NpyFloatResult gt = readNpyFloat(itemDepthPath(dataDir, item));
            if (!gt.error.empty()) return {{}, gt.error};
            for (size_t i = 0; i < gt.map.values.size(); ++i) {
                const double y = gt.map.values[i];
                if (!(y > 0 && y < 80.0)) continue;  // sky and invalid pixels
                const double e = maps.depthMean.values[i] - y;
                sqErr += e * e;
                absRel += std::abs(e) / y;
                if (!maps.depthAleatoricVar.empty()) aleatoric += maps.depthAleatoricVar.values[i];
                epistemicLog += maps.depthEpistemicLogVar.values[i];
                epistemicRel += std::sqrt(maps.depthEpistemicLogVar.values[i]);
                if (!maps.depthAleatoricLogVar.empty()) {
                    aleatoricLog += maps.depthAleatoricLogVar.values[i];
                    aleatoricRel += std::sqrt(maps.depthAleatoricLogVar.values[i]);
                }
                epistemic += maps.depthEpistemicVar.values[i];
                ++depthPixels;
            }
        }
        if (card.segmentation) {
            ClassMapResult gt = readClassPng(itemLabelsPath(dataDir, item));
            if (!gt.error.empty()) return {{}, gt.error};
            for (size_t i = 0; i < gt.map.values.size(); ++i) {
                mi += maps.segMutualInfo.values[i];
                ee += maps.segExpectedEntropy.values[i];
                ++allPixels;
                const int y = gt.map.values[i];
                if (y >= K) continue;  // 255: ignore
                confusion[static_cast<size_t>(y) * K + maps.segClass.values[i]] += 1;
            }
        }
        if (progress) progress(n + 1, total);
    }
    EvalMetrics& r = result.metrics;
    r.images = total;
    if (depthPixels > 0) {
        r.rmse = std::sqrt(sqErr / depthPixels);
        r.absRel = absRel / depthPixels;
        r.meanAleatoricVar = aleatoric / depthPixels;
        r.meanEpistemicVar = epistemic / depthPixels;
        r.meanEpistemicLogVar = epistemicLog / depthPixels;
        r.meanAleatoricLogVar = aleatoricLog / depthPixels;
        r.meanEpistemicRelStd = epistemicRel / depthPixels;
        r.meanAleatoricRelStd = aleatoricRel / depthPixels;
    }
    if (allPixels > 0) {
        r.meanMutualInfo = mi / allPixels;
        r.meanExpectedEntropy = ee / allPixels;
        double correct = 0, counted = 0, iouSum = 0;
        int present = 0;
        for (int k = 0; k < K; ++k) {
            double tp = confusion[static_cast<size_t>(k) * K + k], fn = 0, fp = 0;
            for (int j = 0; j < K; ++j)
                if (j != k) {
                    fn += confusion[static_cast<size_t>(k) * K + j];
                    fp += confusion[static_cast<size_t>(j) * K + k];
                }
            correct += tp;
            counted += tp + fn;
            const double uni = tp + fn + fp;
            r.classIoU.push_back(tp + fn > 0 ? tp / uni : std::numeric_limits<double>::quiet_NaN());
            if (tp + fn > 0) {
                iouSum += tp / uni;
                ++present;
            }
        }
        r.pixelAccuracy = counted > 0 ? correct / counted : 0;
        r.miou = present > 0 ? iouSum / present : 0;
    }
    return result;
}

std::string metricsToJson(const EvalMetrics& m, const std::vector<std::string>& names) {
    nlohmann::json iou = nlohmann::json::object();
    for (size_t k = 0; k < m.classIoU.size(); ++k)
        iou[k < names.size() ? names[k] : std::to_string(k)] =
            std::isnan(m.classIoU[k]) ? nlohmann::json(nullptr) : nlohmann::json(m.classIoU[k]);
    nlohmann::json doc{{"images", m.images},
                       {"depth_rmse", m.rmse},
                       {"depth_abs_rel", m.absRel},
                       {"seg_miou", m.miou},
                       {"seg_pixel_accuracy", m.pixelAccuracy},
                       {"seg_class_iou", iou},
                       {"depth_aleatoric_var", m.meanAleatoricVar},
                       {"depth_epistemic_var", m.meanEpistemicVar},
                       {"depth_epistemic_logvar", m.meanEpistemicLogVar},
                       {"depth_aleatoric_logvar", m.meanAleatoricLogVar},
                       {"depth_epistemic_rel_std", m.meanEpistemicRelStd},
                       {"depth_aleatoric_rel_std", m.meanAleatoricRelStd},
                       {"seg_mutual_info", m.meanMutualInfo},
                       {"seg_expected_entropy", m.meanExpectedEntropy}};
    return jsonText(doc, 2);
}

}  // namespace uvis
