#include "video_bench.h"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <iostream>
#include <stdexcept>

#include <opencv2/videoio.hpp>

#include "bench_report.h"
#include "core/engine/preprocess.h"
#include "core/io/decode.h"
#include "core/io/ground_truth.h"
#include "core/metrics/metrics.h"
#include "core/temporal/frame_motion.h"
#include "core/temporal/temporal_sampler.h"
#include "core/types/frame_numbers.h"

namespace uvis::bench {
namespace {

using nlohmann::json;

using Clock = std::chrono::steady_clock;

std::vector<RgbImage> readFrames(const std::string& path, int count) {
    cv::VideoCapture capture(path);
    if (!capture.isOpened()) throw std::runtime_error(path + ": not a video OpenCV can open");
    std::vector<RgbImage> frames;
    cv::Mat bgr;
    while (static_cast<int>(frames.size()) < count && capture.read(bgr)) frames.push_back(rgbFromBgr(bgr));
    if (frames.empty()) throw std::runtime_error(path + ": no frame could be decoded");
    return frames;
}

double pearson(const FloatMap& a, const FloatMap& b) {
    if (a.values.size() != b.values.size() || a.values.empty()) return std::nan("");
    double ma = 0, mb = 0;
    for (size_t i = 0; i < a.values.size(); ++i) ma += a.values[i], mb += b.values[i];
    ma /= a.values.size();
    mb /= b.values.size();
    double ab = 0, aa = 0, bb = 0;
    for (size_t i = 0; i < a.values.size(); ++i) {
        ab += (a.values[i] - ma) * (b.values[i] - mb);
        aa += (a.values[i] - ma) * (a.values[i] - ma);
        bb += (b.values[i] - mb) * (b.values[i] - mb);
    }
    return aa > 0 && bb > 0 ? ab / std::sqrt(aa * bb) : std::nan("");
}

// One method over the frames: its maps' summaries per frame.
struct FrameRow {
    int passes = 0;
    double ms = 0;
    double ause = std::nan(""), ece = std::nan("");
    UncertaintyMaps maps;
};

double meanOf(const std::vector<double>& v) {
    double s = 0;
    for (double x : v) s += x;
    return v.empty() ? std::nan("") : s / v.size();
}

}  // namespace

json benchVideo(UncertaintyEngine& engine, const VideoBenchOptions& o) {
    const std::vector<RgbImage> frames = readFrames(o.video, o.frames);
    const ModelCard& card = engine.card();
    std::vector<GroundTruth> truth(frames.size());
    if (!o.truthDir.empty())
        for (size_t f = 0; f < frames.size(); ++f) {
            const std::string name = o.truthDir + "/" + frameFileId(static_cast<int>(f)) + "_rgb.png";
            truth[f] = loadGroundTruth(name, {}, true, frames[f].width, frames[f].height, card);
            if (!truth[f].errors.empty()) throw std::runtime_error(truth[f].errors.front());
        }
    // Full MC at T (the reference), full MC at T with other masks (how closely two full MC runs
    // agree: the ceiling), then for each k temporal sampling and plain MC with T = k (what the same
    // passes give without carrying anything). Only the reference uses the seed's masks, so no
    // other row shares samples with it.
    struct Method {
        int samples, fresh;
        bool reference;
        std::string name() const {
            return fresh > 0 ? "temporal, k = " + std::to_string(fresh)
                             : "MC, T = " + std::to_string(samples) + (reference ? " (reference)" : "");
        }
    };
    std::vector<Method> methods{{o.samples, 0, true}, {o.samples, 0, false}};
    for (int k : o.fresh) {
        methods.push_back({o.samples, k, false});
        methods.push_back({k, 0, false});
    }

    // Every method on every frame; the full-MC maps stay for the correlations.
    std::vector<std::vector<FrameRow>> rows(methods.size());
    for (size_t m = 0; m < methods.size(); ++m) {
        SamplingSettings s;
        s.samples = methods[m].samples;
        s.dropout = card.trainDropout > 0 ? card.trainDropout : 0.2;
        s.seed = methods[m].reference ? o.seed : o.seed + 1;
        s.temporalFresh = methods[m].fresh;
        TemporalSampler temporal(engine, estimateMotion);
        for (size_t f = 0; f < frames.size(); ++f) {
            const ImageTensor input = toModelInput(frames[f], card.input);
            const auto start = Clock::now();
            SamplingResult r = temporal.runFrame(input, s, static_cast<int>(f));
            FrameRow row;
            row.ms = std::chrono::duration<double, std::milli>(Clock::now() - start).count();
            if (!r.ok()) throw std::runtime_error(o.video + ": frame " + std::to_string(f) + ": " + r.error);
            row.passes = r.maps.samplesDone * std::max(1, card.members);
            if (truth[f].any()) {
                const MetricsReport report = evaluateMaps(r.maps, truth[f].depth.empty() ? nullptr : &truth[f].depth,
                                                          truth[f].labels.empty() ? nullptr : &truth[f].labels);
                if (report.depth) row.ause = report.depth->rmseCurve.ause;
                if (report.segmentation) row.ece = report.segmentation->ece;
            }
            row.maps = std::move(r.maps);
            rows[m].push_back(std::move(row));
        }
    }

    Table table({"method", "passes/frame", "ms/frame", "r epistemic", "r MI", "worst r (frame)", "AUSE", "ECE"});
    json out = json::array();
    for (size_t m = 0; m < methods.size(); ++m) {
        std::vector<double> passes, ms, rE, rM, ause, ece;
        double worst = 2;
        int worstFrame = -1;
        for (size_t f = 0; f < frames.size(); ++f) {
            const FrameRow& row = rows[m][f];
            const UncertaintyMaps& full = rows[0][f].maps;
            passes.push_back(row.passes);
            if (f > 0) ms.push_back(row.ms);  // the first frame warms the caches
            const double e = pearson(row.maps.depthEpistemicLogVar, full.depthEpistemicLogVar);
            const double i = pearson(row.maps.segMutualInfo, full.segMutualInfo);
            if (!std::isnan(e)) rE.push_back(e);
            if (!std::isnan(i)) rM.push_back(i);
            const double low = std::min(std::isnan(e) ? 2.0 : e, std::isnan(i) ? 2.0 : i);
            if (low < worst) worst = low, worstFrame = static_cast<int>(f);
            if (!std::isnan(row.ause)) ause.push_back(row.ause);
            if (!std::isnan(row.ece)) ece.push_back(row.ece);
        }
        const std::string name = methods[m].name();
        const bool reference = m == 0;
        table.add({name, fixed(meanOf(passes), 2), fixed(meanOf(ms), 1), reference ? "1" : fixed(meanOf(rE), 3),
                   reference ? "1" : fixed(meanOf(rM), 3),
                   reference ? "-" : fixed(worst, 3) + " (" + std::to_string(worstFrame) + ")",
                   ause.empty() ? "-" : fixed(meanOf(ause), 4), ece.empty() ? "-" : fixed(meanOf(ece), 4)});
        out.push_back({{"method", methods[m].fresh > 0 ? "temporal" : "full"},
                       {"samples", methods[m].samples},
                       {"fresh", methods[m].fresh > 0 ? methods[m].fresh : methods[m].samples},
                       {"passes_per_frame", meanOf(passes)},
                       {"ms_per_frame", meanOf(ms)},
                       {"r_epistemic", reference ? 1.0 : meanOf(rE)},
                       {"r_mutual_info", reference ? 1.0 : meanOf(rM)},
                       {"worst_r", reference ? 1.0 : worst},
                       {"worst_frame", reference ? -1 : worstFrame},
                       {"ause", ause.empty() ? json(nullptr) : json(meanOf(ause))},
                       {"ece", ece.empty() ? json(nullptr) : json(meanOf(ece))}});
    }
    std::cout << "Temporal sampling on " << o.video << ": " << frames.size() << " frames, T = " << o.samples
              << (o.truthDir.empty() ? "" : ", ground truth from " + o.truthDir)
              << " (r: Pearson correlation of each frame's map with full MC's, averaged over frames)\n"
              << table.str() << "\n";
    // The goal: ≥ 5× fewer passes with r ≥ 0.8 and AUSE/ECE at most 10 % worse.
    const json& full = out[0];
    for (size_t m = 1; m < out.size(); ++m) {
        json& row = out[m];
        if (row["method"] != "temporal") continue;
        const double saving = full["passes_per_frame"].get<double>() / row["passes_per_frame"].get<double>();
        bool holds = saving >= 5 && row["r_epistemic"].get<double>() >= 0.8 && row["r_mutual_info"].get<double>() >= 0.8;
        for (const char* metric : {"ause", "ece"})
            if (!row[metric].is_null() && !full[metric].is_null())
                holds = holds && row[metric].get<double>() <= 1.1 * full[metric].get<double>();
        row["fewer_passes"] = saving;
        row["goal_met"] = holds;
        std::cout << "k = " << row["fresh"] << ": " << fixed(saving, 1) << "× fewer passes — goal "
                  << (holds ? "met" : "not met") << "\n";
    }
    return out;
}

}  // namespace uvis::bench
