// Temporal sampling for video against full MC on the bundled demo model: equal weights give the
// engine's statistics, a still scene carries samples without bias, a moving one carries them to
// where their scene points went, a cut starts afresh, k = T (or 0) is full MC exactly, and a
// sequence gives the same numbers every time.

#include <QtTest>

#include <cmath>

#include <opencv2/imgproc.hpp>

#include "core/engine/internal/sampling_run.h"
#include "core/engine/internal/weighted_stats.h"
#include "core/engine/preprocess.h"
#include "core/io/decode.h"
#include "core/io/image_io.h"
#include "core/model/model_loader.h"
#include "core/temporal/frame_motion.h"
#include "core/temporal/temporal_sampler.h"
#include "sampling_settings_for.h"

using namespace uvis;

namespace {

const std::string kModel = std::string(UVIS_RESOURCES) + "/models/uvis-street-demo.uvis";

RgbImage sample(const std::string& name) {
    RgbImageResult r = readRgbImage(std::string(UVIS_RESOURCES) + "/samples/" + name);
    if (!r.error.empty()) qFatal("%s", r.error.c_str());
    return r.image;
}

// `image` moved `dx` pixels right (the camera panning left), edges repeated.
RgbImage shifted(const RgbImage& image, double dx) {
    cv::Mat rgb(image.height, image.width, CV_8UC3, const_cast<uint8_t*>(image.pixels.data()));
    cv::Mat moved, bgr;
    const cv::Mat m = (cv::Mat_<double>(2, 3) << 1, 0, dx, 0, 1, 0);
    cv::warpAffine(rgb, moved, m, rgb.size(), cv::INTER_LINEAR, cv::BORDER_REPLICATE);
    cv::cvtColor(moved, bgr, cv::COLOR_RGB2BGR);
    return rgbFromBgr(bgr);
}

SamplingSettings settings(int T, int fresh, std::uint64_t seed = 5) {
    SamplingSettings s = test::settingsFor(T, 0.2, seed);
    s.temporalFresh = fresh;
    return s;
}

double mean(const FloatMap& m) {
    double sum = 0;
    for (float v : m.values) sum += v;
    return sum / m.values.size();
}

double pearson(const FloatMap& a, const FloatMap& b) {
    const double ma = mean(a), mb = mean(b);
    double ab = 0, aa = 0, bb = 0;
    for (size_t i = 0; i < a.values.size(); ++i) {
        ab += (a.values[i] - ma) * (b.values[i] - mb);
        aa += (a.values[i] - ma) * (a.values[i] - ma);
        bb += (b.values[i] - mb) * (b.values[i] - mb);
    }
    return ab / std::sqrt(aa * bb);
}

double maxRelativeDiff(const FloatMap& a, const FloatMap& b) {
    double worst = 0;
    for (size_t i = 0; i < a.values.size(); ++i)
        worst = std::max(worst, std::abs(a.values[i] - b.values[i]) / (std::abs(b.values[i]) + 1e-4));
    return worst;
}

double maxAbsDiff(const FloatMap& a, const FloatMap& b) {
    double worst = 0;
    for (size_t i = 0; i < a.values.size(); ++i) worst = std::max(worst, double(std::abs(a.values[i] - b.values[i])));
    return worst;
}

GreyFrame grey(const RgbImage& image) {
    GreyFrame frame{image.width, image.height, std::vector<std::uint8_t>(size_t(image.width) * image.height)};
    cv::Mat rgb(image.height, image.width, CV_8UC3, const_cast<uint8_t*>(image.pixels.data()));
    cv::Mat out(image.height, image.width, CV_8U, frame.pixels.data());
    cv::cvtColor(rgb, out, cv::COLOR_RGB2GRAY);
    return frame;
}

}  // namespace

class TemporalTest : public QObject {
    Q_OBJECT
    std::shared_ptr<Model> model_;
    std::unique_ptr<UncertaintyEngine> engine_;

    ImageTensor input(const RgbImage& image) { return toModelInput(image, engine_->card().input); }

private Q_SLOTS:
    void initTestCase() {
        LoadedModel loaded = loadModel(kModel);
        QVERIFY2(loaded, loaded.error.c_str());
        model_ = loaded.model;
        engine_ = std::make_unique<UncertaintyEngine>(model_);
    }

    // The weighted statistics with every weight 1 are SPEC §2's, as the streaming engine has them.
    void equalWeightsGiveTheEnginesMaps() {
        std::vector<PassChunk> chunks;
        const ImageTensor image = input(sample("domainA/A_000000_rgb.png"));
        SamplingResult r = runSampling(*model_, imageTensor(image), settings(8, 0), {},
                                       [&](const PassChunk& c) { chunks.push_back(c); });
        QVERIFY2(r.ok(), r.error.c_str());
        c10::InferenceMode mode;
        WeightedSamples all;
        std::vector<torch::Tensor> d, s, p, v;
        for (const PassChunk& c : chunks) {
            d.push_back(c.depthMean);
            s.push_back(c.depthLogVar);
            p.push_back(c.segProbabilities);
            if (c.segLogVar.defined()) v.push_back(c.segLogVar);
        }
        all.depthMean = torch::cat(d);
        all.depthLogVar = torch::cat(s);
        all.segProbabilities = torch::cat(p);
        if (!v.empty()) all.segLogVar = torch::cat(v);
        all.weights = torch::ones({8, image.height, image.width});
        const UncertaintyMaps w = weightedMaps(all, Calibration{});
        QVERIFY(maxRelativeDiff(w.depthMean, r.maps.depthMean) < 1e-5);
        QVERIFY(maxRelativeDiff(w.depthEpistemicVar, r.maps.depthEpistemicVar) < 1e-3);
        QVERIFY(maxRelativeDiff(w.depthEpistemicLogVar, r.maps.depthEpistemicLogVar) < 1e-3);
        QVERIFY(maxRelativeDiff(w.depthAleatoricVar, r.maps.depthAleatoricVar) < 1e-5);
        QVERIFY(maxAbsDiff(w.segExpectedEntropy, r.maps.segExpectedEntropy) < 1e-5);
        QVERIFY(maxAbsDiff(w.segEntropy, r.maps.segEntropy) < 1e-5);
        QVERIFY(maxAbsDiff(w.segMutualInfo, r.maps.segMutualInfo) < 1e-5);
        QCOMPARE(w.segClass.values, r.maps.segClass.values);
        // Weights scale out: twice every weight is the same statistics.
        all.weights = all.weights * 2;
        QVERIFY(maxRelativeDiff(weightedMaps(all, Calibration{}).depthEpistemicVar, w.depthEpistemicVar) < 1e-9);
    }

    // k = T and k = 0 are full MC, bit for bit.
    void freshTIsFullMc() {
        const ImageTensor image = input(sample("domainA/A_000001_rgb.png"));
        const SamplingResult full = engine_->run(image, settings(8, 0));
        for (int k : {0, 8, 12}) {
            TemporalSampler temporal(*engine_, estimateMotion);
            for (int frame = 0; frame < 2; ++frame) {
                const SamplingResult r = temporal.runFrame(image, settings(8, k), frame);
                QVERIFY2(r.ok(), r.error.c_str());
                QCOMPARE(r.maps.carriedSamples, 0);
                QCOMPARE(r.maps.samplesDone, 8);
                QCOMPARE(r.maps.depthEpistemicVar.values, full.maps.depthEpistemicVar.values);
                QCOMPARE(r.maps.segMutualInfo.values, full.maps.segMutualInfo.values);
            }
        }
    }

    // A still scene: k fresh + carried samples estimate what T fresh ones do, within sampling error.
    void stillSceneCarriesWithoutBias() {
        const ImageTensor image = input(sample("domainA/A_000002_rgb.png"));
        TemporalSampler temporal(*engine_, estimateMotion);
        SamplingResult r;
        for (int frame = 0; frame < 8; ++frame) {
            r = temporal.runFrame(image, settings(16, 2), frame);
            QVERIFY2(r.ok(), r.error.c_str());
            QCOMPARE(r.maps.samplesDone, frame == 0 ? 16 : 2);
            QCOMPARE(r.maps.carriedSamples, frame == 0 ? 0 : 14);
        }
        // Full MC with other masks, T = 16 with four seeds: a map's mean is dominated by the few
        // pixels whose passes disagree most, and its T = 16 estimates spread ±15 % between seeds.
        double reference = 0, miReference = 0;
        SamplingResult full;
        for (std::uint64_t seed : {101, 102, 103, 104}) {
            full = engine_->run(image, settings(16, 0, seed));
            reference += mean(full.maps.depthEpistemicLogVar) / 4;
            miReference += mean(full.maps.segMutualInfo) / 4;
        }
        const double epistemic = mean(r.maps.depthEpistemicLogVar), mi = mean(r.maps.segMutualInfo);
        qInfo("still scene: epistemic log var %.4g vs %.4g, MI %.4g vs %.4g", epistemic, reference, mi, miReference);
        QVERIFY(std::abs(epistemic / reference - 1) < 0.3);
        QVERIFY(std::abs(mi / miReference - 1) < 0.3);
        // The carried samples make the map follow full MC more closely than the frame's own k
        // samples would (a second full MC run, printed beside, follows it more closely still: the
        // carried samples weigh less, halving with age).
        const SamplingResult other = engine_->run(image, settings(16, 0, 105));
        const SamplingResult two = engine_->run(image, settings(2, 0, 106));
        const double agreement = pearson(r.maps.depthEpistemicLogVar, full.maps.depthEpistemicLogVar);
        const double between = pearson(other.maps.depthEpistemicLogVar, full.maps.depthEpistemicLogVar);
        const double alone = pearson(two.maps.depthEpistemicLogVar, full.maps.depthEpistemicLogVar);
        qInfo("still scene: epistemic maps r %.3f (two full MC runs: %.3f, k = 2 alone: %.3f)", agreement, between, alone);
        QVERIFY(agreement > alone);
        QVERIFY(maxRelativeDiff(r.maps.depthMean, full.maps.depthMean) < 0.2);
    }

    // A panning camera: the carried samples land where their scene points went, so the carried
    // frame's mean depth is the full MC one's (an unwarped history would smear every edge).
    void movingSceneFollowsTheFlow() {
        const RgbImage base = sample("domainA/A_000003_rgb.png");
        TemporalSampler temporal(*engine_, estimateMotion);
        SamplingResult r;
        const int frames = 6;
        for (int frame = 0; frame < frames; ++frame) {
            r = temporal.runFrame(input(shifted(base, 3.0 * frame)), settings(16, 2), frame);
            QVERIFY2(r.ok(), r.error.c_str());
        }
        QVERIFY(r.maps.carriedSamples > 0);
        const ImageTensor last = input(shifted(base, 3.0 * (frames - 1)));
        const SamplingResult full = engine_->run(last, settings(16, 0, 77));
        const SamplingResult stale = engine_->run(input(base), settings(16, 0, 77));
        const double followed = pearson(r.maps.depthMean, full.maps.depthMean);
        const double unwarped = pearson(stale.maps.depthMean, full.maps.depthMean);
        qInfo("panning: depth r %.4f carried, %.4f for the first frame's maps", followed, unwarped);
        QVERIFY(followed > 0.98);
        QVERIFY(followed > unwarped);
        QVERIFY(pearson(r.maps.segConfidence, full.maps.segConfidence) > 0.8);
    }

    // Another scene: the flow cannot follow it, and the frame starts afresh with all T.
    void cutStartsAfresh() {
        const RgbImage a = sample("domainA/A_000000_rgb.png"), b = sample("domainB/B_000001_rgb.png");
        QVERIFY(!estimateMotion(grey(a), grey(shifted(a, 2))).cut);
        const FrameMotion cut = estimateMotion(grey(a), grey(b));
        qInfo("cut: followed %.3f, residual %.1f", cut.followedShare, cut.residual);
        QVERIFY(cut.cut);
        TemporalSampler temporal(*engine_, estimateMotion);
        QCOMPARE(temporal.runFrame(input(a), settings(16, 4), 0).maps.carriedSamples, 0);
        QCOMPARE(temporal.runFrame(input(a), settings(16, 4), 1).maps.carriedSamples, 12);
        const SamplingResult r = temporal.runFrame(input(b), settings(16, 4), 2);
        QCOMPARE(r.maps.carriedSamples, 0);
        QCOMPARE(r.maps.samplesDone, 16);
        // Other settings start afresh too.
        QCOMPARE(temporal.runFrame(input(b), settings(12, 4), 3).maps.carriedSamples, 0);
    }

    // The same sequence twice gives the same numbers; each frame's fresh masks are its own.
    void reproducible() {
        const RgbImage base = sample("domainA/A_000000_rgb.png");
        std::vector<float> first;
        for (int run = 0; run < 2; ++run) {
            TemporalSampler temporal(*engine_, estimateMotion);
            SamplingResult r;
            for (int frame = 0; frame < 3; ++frame) r = temporal.runFrame(input(shifted(base, frame)), settings(8, 2), frame);
            if (run == 0) first = r.maps.depthEpistemicVar.values;
            else QCOMPARE(r.maps.depthEpistemicVar.values, first);
        }
        QVERIFY(frameSeed(5, 1) != frameSeed(5, 2));
        QVERIFY(frameSeed(5, 1) != frameSeed(6, 1));
        QCOMPARE(carriedWeight(0), 1.0);
        QVERIFY(carriedWeight(2) < carriedWeight(1));
    }
};

QTEST_GUILESS_MAIN(TemporalTest)
#include "tst_temporal.moc"
