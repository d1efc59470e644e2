// The MC engine against SPEC §2: the numbers, the streaming, reproducibility, cancellation and
// the errors. Fixture models (support/test_models.h) have outputs whose statistics are known.

#include <QtTest>

#include <cmath>

#include "core/engine/uncertainty_engine.h"
#include "core/model/model_loader.h"
#include "core/engine/pixel_inspector.h"
#include "core/engine/preprocess.h"
#include "test_models.h"

using namespace uvis;

namespace {

constexpr int kW = 16, kH = 12;

SamplingSettings settingsFor(int samples, double p, std::uint64_t seed = 1, int chunk = 0) {
    SamplingSettings s;
    s.samples = samples;
    s.dropout = p;
    s.seed = seed;
    s.chunkSize = chunk;
    return s;
}

double meanOf(const FloatMap& map) {
    double sum = 0;
    for (float v : map.values) sum += v;
    return map.values.empty() ? 0.0 : sum / map.values.size();
}

// Two-pass reference statistics over stored samples, in double.
struct Reference {
    std::vector<double> depthMean, aleatoric, epistemic, entropy, expected, mutualInfo, logitVar;
};

Reference twoPass(const test::Recording& rec, int pixels) {
    const size_t T = rec.depthMean.size();
    const int K = rec.classes;
    Reference r;
    r.depthMean.assign(pixels, 0);
    r.aleatoric.assign(pixels, 0);
    r.epistemic.assign(pixels, 0);
    r.entropy.assign(pixels, 0);
    r.expected.assign(pixels, 0);
    r.mutualInfo.assign(pixels, 0);
    r.logitVar.assign(pixels, 0);
    for (int i = 0; i < pixels; ++i) {
        for (size_t t = 0; t < T; ++t) {
            r.depthMean[i] += rec.depthMean[t][i] / T;
            r.aleatoric[i] += std::exp(double(rec.depthLogVar[t][i])) / T;
        }
        for (size_t t = 0; t < T; ++t)
            r.epistemic[i] += std::pow(rec.depthMean[t][i] - r.depthMean[i], 2) / T;
        std::vector<double> pMean(K, 0);
        for (size_t t = 0; t < T; ++t) {
            double mx = -1e300, z = 0, h = 0, v = 0;
            for (int k = 0; k < K; ++k) mx = std::max(mx, double(rec.segLogits[t][k * pixels + i]));
            std::vector<double> p(K);
            for (int k = 0; k < K; ++k) z += p[k] = std::exp(rec.segLogits[t][k * pixels + i] - mx);
            for (int k = 0; k < K; ++k) {
                p[k] /= z;
                pMean[k] += p[k] / T;
                if (p[k] > 0) h -= p[k] * std::log(p[k]);
                v += std::exp(double(rec.segLogVar[t][k * pixels + i])) / K;
            }
            r.expected[i] += h / T;
            r.logitVar[i] += v / T;
        }
        for (int k = 0; k < K; ++k)
            if (pMean[k] > 0) r.entropy[i] -= pMean[k] * std::log(pMean[k]);
        r.mutualInfo[i] = std::max(0.0, r.entropy[i] - r.expected[i]);
    }
    return r;
}

double maxAbsDiff(const FloatMap& map, const std::vector<double>& ref) {
    double worst = 0;
    for (size_t i = 0; i < ref.size(); ++i) worst = std::max(worst, std::abs(map.values[i] - ref[i]));
    return worst;
}

}  // namespace

class TestMcEngine : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void constantModelHasNoEpistemicAndExactAleatoric_data();
    void constantModelHasNoEpistemicAndExactAleatoric();
    void smallOutputsAreUpsampledToTheInput();
    void dropoutOnConstantGivesBernoulliVariance();
    void zeroDropoutGivesExactlyZeroEpistemic();
    void mutualInformationIsBetweenZeroAndPredictiveEntropy();
    void streamingEqualsTwoPass_data();
    void streamingEqualsTwoPass();
    void sameSeedSameMapsOtherSeedOtherMaps();
    void chunkingDoesNotChangeTheSamples();
    void partialResultEqualsShorterRun();
    void cancellationStopsBetweenChunks();
    void progressReportsEveryChunk();
    void automaticChunkingReportsTheFirstPassAtOnce();
    void badSettingsAreReported_data();
    void badSettingsAreReported();
    void wrongInputShapeIsReported();
    void brokenModelOutputsAreReported_data();
    void brokenModelOutputsAreReported();
    void cudaRequestFallsBackWithAMessage();
    void singleTaskModelsFillOnlyTheirMaps();
    void logitNoiseSamplingFollowsEquation12();
    void inspectorShowsTheEngineNumbersForAPixel();
    void nativeSizeModelsRunAtTheImagesSize();
    void inverseDepthAndDisparityBecomeMetres();
    void scaleFreeDepthEstimatorsHaveKnownValues();
};

void TestMcEngine::constantModelHasNoEpistemicAndExactAleatoric_data() {
    QTest::addColumn<float>("logVar");
    QTest::addColumn<double>("p");
    QTest::newRow("s=0, p=0.5") << 0.f << 0.5;
    QTest::newRow("s=-1, p=0.2") << -1.f << 0.2;
    QTest::newRow("s=2.5, p=0.9") << 2.5f << 0.9;
}

void TestMcEngine::constantModelHasNoEpistemicAndExactAleatoric() {
    QFETCH(float, logVar);
    QFETCH(double, p);
    test::ConstantOutputs o;
    o.depthLogVar = logVar;
    UncertaintyEngine engine(test::makeConstantModel(kW, kH, o));
    SamplingResult r = engine.run(test::blankImage(kW, kH), settingsFor(24, p));
    QVERIFY2(r.ok(), r.error.c_str());
    const float expectedAleatoric = static_cast<float>(std::exp(static_cast<double>(logVar)));
    for (int i = 0; i < kW * kH; ++i) {
        QCOMPARE(r.maps.depthEpistemicVar.values[i], 0.f);
        QCOMPARE(r.maps.depthAleatoricVar.values[i], expectedAleatoric);
        QCOMPARE(r.maps.depthMean.values[i], o.depthMean);
        QCOMPARE(r.maps.segMutualInfo.values[i], 0.f);
        QCOMPARE(r.maps.segClass.values[i], std::uint8_t(0));
        QCOMPARE(r.maps.segLogitVar.values[i], static_cast<float>(std::exp(double(o.logitLogVar))));
    }
}

void TestMcEngine::smallOutputsAreUpsampledToTheInput() {
    test::ConstantOutputs o;
    o.outputDivisor = 4;
    UncertaintyEngine engine(test::makeConstantModel(kW, kH, o));
    SamplingResult r = engine.run(test::blankImage(kW, kH), settingsFor(2, 0.2));
    QVERIFY2(r.ok(), r.error.c_str());
    QCOMPARE(r.maps.depthMean.width, kW);
    QCOMPARE(r.maps.depthMean.height, kH);
    QCOMPARE(r.maps.segClass.width, kW);
    QCOMPARE(int(r.maps.segMeanProbabilities.size()), 3 * kW * kH);
    for (float v : r.maps.depthMean.values) QCOMPARE(v, o.depthMean);
}

void TestMcEngine::dropoutOnConstantGivesBernoulliVariance() {
    // μ_t = c·m/(1−p), m ~ Bernoulli(1−p): Var = c² p/(1−p). Averaged over 64×64 pixels and
    // T = 200 passes the estimate is within a few per cent.
    const float c = 3.f;
    const double p = 0.3;
    UncertaintyEngine engine(test::makeDropoutConstantModel(64, 64, c, {1.f, -1.f}));
    SamplingResult r = engine.run(test::blankImage(64, 64), settingsFor(200, p, 5, 50));
    QVERIFY2(r.ok(), r.error.c_str());
    const double expected = c * c * p / (1 - p);
    const double measured = meanOf(r.maps.depthEpistemicVar);
    QVERIFY2(std::abs(measured - expected) < 0.04 * expected,
             qPrintable(QString("epistemic %1, expected %2").arg(measured).arg(expected)));
    QVERIFY(std::abs(meanOf(r.maps.depthMean) - c) < 0.03 * c);
    QVERIFY(meanOf(r.maps.segMutualInfo) > 0.01);
}

void TestMcEngine::zeroDropoutGivesExactlyZeroEpistemic() {
    UncertaintyEngine engine(test::makeNoisyModel(kW, kH, 5));
    SamplingResult r = engine.run(test::blankImage(kW, kH), settingsFor(16, 0.0, 3, 4));
    QVERIFY2(r.ok(), r.error.c_str());
    for (int i = 0; i < kW * kH; ++i) {
        QCOMPARE(r.maps.depthEpistemicVar.values[i], 0.f);
        QCOMPARE(r.maps.segMutualInfo.values[i], 0.f);
        QCOMPARE(r.maps.segEntropy.values[i], r.maps.segExpectedEntropy.values[i]);
    }
}

void TestMcEngine::mutualInformationIsBetweenZeroAndPredictiveEntropy() {
    UncertaintyEngine engine(test::makeNoisyModel(kW, kH, 6));
    SamplingResult r = engine.run(test::blankImage(kW, kH), settingsFor(32, 0.8, 9));
    QVERIFY2(r.ok(), r.error.c_str());
    double total = 0;
    for (int i = 0; i < kW * kH; ++i) {
        const float mi = r.maps.segMutualInfo.values[i];
        QVERIFY(mi >= 0.f);
        QVERIFY(mi <= r.maps.segEntropy.values[i] + 1e-6f);
        QVERIFY(r.maps.segEntropy.values[i] <= std::log(6.f) + 1e-5f);
        QVERIFY(r.maps.segConfidence.values[i] >= 1.f / 6.f - 1e-6f);
        total += mi;
    }
    QVERIFY(total > 0);  // the noise really made the passes disagree
}

void TestMcEngine::streamingEqualsTwoPass_data() {
    QTest::addColumn<int>("samples");
    QTest::addColumn<int>("chunk");
    QTest::newRow("T=1") << 1 << 1;
    QTest::newRow("T=7 chunk 1") << 7 << 1;
    QTest::newRow("T=33 chunk 4") << 33 << 4;
    QTest::newRow("T=64 chunk 64") << 64 << 64;
}

void TestMcEngine::streamingEqualsTwoPass() {
    QFETCH(int, samples);
    QFETCH(int, chunk);
    auto rec = std::make_shared<test::Recording>();
    UncertaintyEngine engine(test::makeRecordingModel(test::makeNoisyModel(kW, kH, 4), rec));
    SamplingResult r = engine.run(test::blankImage(kW, kH), settingsFor(samples, 0.5, 21, chunk));
    QVERIFY2(r.ok(), r.error.c_str());
    QCOMPARE(int(rec->depthMean.size()), samples);
    const Reference ref = twoPass(*rec, kW * kH);
    QVERIFY(maxAbsDiff(r.maps.depthMean, ref.depthMean) < 1e-5);
    QVERIFY(maxAbsDiff(r.maps.depthAleatoricVar, ref.aleatoric) < 1e-5);
    QVERIFY(maxAbsDiff(r.maps.depthEpistemicVar, ref.epistemic) < 1e-5);
    QVERIFY(maxAbsDiff(r.maps.segEntropy, ref.entropy) < 1e-5);
    QVERIFY(maxAbsDiff(r.maps.segExpectedEntropy, ref.expected) < 1e-5);
    QVERIFY(maxAbsDiff(r.maps.segMutualInfo, ref.mutualInfo) < 1e-5);
    QVERIFY(maxAbsDiff(r.maps.segLogitVar, ref.logitVar) < 1e-5);
    // Depth around 10 m with ~1 cm spread: relative accuracy of the tiny variance too.
    if (samples > 1) {
        double worstRel = 0;
        for (size_t i = 0; i < ref.epistemic.size(); ++i)
            worstRel = std::max(worstRel, std::abs(r.maps.depthEpistemicVar.values[i] - ref.epistemic[i]) /
                                              ref.epistemic[i]);
        QVERIFY2(worstRel < 1e-4, qPrintable(QString::number(worstRel)));
    }
}

void TestMcEngine::sameSeedSameMapsOtherSeedOtherMaps() {
    auto model = test::makeNoisyModel(kW, kH, 4);
    UncertaintyEngine engine(model);
    auto a = engine.run(test::blankImage(kW, kH), settingsFor(8, 0.4, 100));
    auto b = engine.run(test::blankImage(kW, kH), settingsFor(8, 0.4, 100));
    auto c = engine.run(test::blankImage(kW, kH), settingsFor(8, 0.4, 101));
    QVERIFY(a.ok() && b.ok() && c.ok());
    QCOMPARE(a.maps.depthEpistemicVar.values, b.maps.depthEpistemicVar.values);
    QCOMPARE(a.maps.segMutualInfo.values, b.maps.segMutualInfo.values);
    QCOMPARE(a.maps.depthMean.values, b.maps.depthMean.values);
    QVERIFY(a.maps.depthEpistemicVar.values != c.maps.depthEpistemicVar.values);
    QVERIFY(a.maps.segMutualInfo.values != c.maps.segMutualInfo.values);
}

void TestMcEngine::chunkingDoesNotChangeTheSamples() {
    UncertaintyEngine engine(test::makeDropoutConstantModel(kW, kH, 2.f, {0.f, 1.f, 2.f}));
    auto one = engine.run(test::blankImage(kW, kH), settingsFor(12, 0.5, 4, 1));
    auto five = engine.run(test::blankImage(kW, kH), settingsFor(12, 0.5, 4, 5));
    QVERIFY(one.ok() && five.ok());
    for (int i = 0; i < kW * kH; ++i) {
        QVERIFY(std::abs(one.maps.depthEpistemicVar.values[i] - five.maps.depthEpistemicVar.values[i]) < 1e-5f);
        QVERIFY(std::abs(one.maps.segMutualInfo.values[i] - five.maps.segMutualInfo.values[i]) < 1e-5f);
    }
}

void TestMcEngine::partialResultEqualsShorterRun() {
    UncertaintyEngine engine(test::makeNoisyModel(kW, kH, 3));
    std::vector<UncertaintyMaps> partials;
    auto full = engine.run(test::blankImage(kW, kH), settingsFor(12, 0.5, 8, 4),
                           [&](const SamplingProgress& p) {
                               partials.push_back(p.snapshot());
                               return true;
                           });
    QVERIFY(full.ok());
    QCOMPARE(int(partials.size()), 3);
    for (int k = 1; k <= 2; ++k) {
        auto shorter = engine.run(test::blankImage(kW, kH), settingsFor(4 * k, 0.5, 8, 4));
        QCOMPARE(partials[k - 1].samplesDone, 4 * k);
        QCOMPARE(partials[k - 1].depthEpistemicVar.values, shorter.maps.depthEpistemicVar.values);
        QCOMPARE(partials[k - 1].segMutualInfo.values, shorter.maps.segMutualInfo.values);
        QCOMPARE(partials[k - 1].segClass.values, shorter.maps.segClass.values);
    }
    QCOMPARE(partials.back().depthMean.values, full.maps.depthMean.values);
}

void TestMcEngine::cancellationStopsBetweenChunks() {
    auto rec = std::make_shared<test::Recording>();
    UncertaintyEngine engine(test::makeRecordingModel(test::makeNoisyModel(kW, kH, 3), rec));
    int calls = 0;
    auto r = engine.run(test::blankImage(kW, kH), settingsFor(40, 0.5, 1, 4),
                        [&](const SamplingProgress&) { return ++calls < 2; });
    QVERIFY(r.ok());
    QVERIFY(r.cancelled);
    QCOMPARE(rec->decodeCalls, 2);  // no pass ran after the stop
    QCOMPARE(r.maps.samplesDone, 8);
    QCOMPARE(r.maps.samplesRequested, 40);
    QVERIFY(!r.maps.complete());
    QCOMPARE(r.maps.depthMean.width, kW);  // the result so far is a valid estimate
}

void TestMcEngine::progressReportsEveryChunk() {
    UncertaintyEngine engine(test::makeNoisyModel(kW, kH, 3));
    std::vector<int> done;
    auto r = engine.run(test::blankImage(kW, kH), settingsFor(10, 0.5, 1, 3), [&](const SamplingProgress& p) {
        done.push_back(p.samplesDone());
        return true;
    });
    QVERIFY(r.ok());
    QVERIFY(!r.cancelled);
    QCOMPARE(done, (std::vector<int>{3, 6, 9, 10}));
    QVERIFY(r.maps.complete());
}

void TestMcEngine::automaticChunkingReportsTheFirstPassAtOnce() {
    auto rec = std::make_shared<test::Recording>();
    UncertaintyEngine engine(test::makeRecordingModel(test::makeNoisyModel(kW, kH, 3), rec));
    std::vector<int> done;
    auto r = engine.run(test::blankImage(kW, kH), settingsFor(20, 0.5, 1, /*chunk=*/0),
                        [&](const SamplingProgress& p) {
                            done.push_back(p.samplesDone());
                            return true;
                        });
    QVERIFY(r.ok());
    const int c = defaultChunkSize(DeviceKind::Cpu);
    QCOMPARE(rec->passesPerCall.front(), 1);
    QCOMPARE(done.front(), 1);
    QCOMPARE(done.back(), 20);
    for (size_t i = 1; i + 1 < rec->passesPerCall.size(); ++i) QCOMPARE(rec->passesPerCall[i], c);
    // The samples do not depend on the chunking: the same maps as single passes.
    auto single = UncertaintyEngine(test::makeNoisyModel(kW, kH, 3))
                      .run(test::blankImage(kW, kH), settingsFor(20, 0.5, 1, 1));
    for (int i = 0; i < kW * kH; ++i)
        QVERIFY(std::abs(r.maps.segMutualInfo.values[i] - single.maps.segMutualInfo.values[i]) < 1e-5f);
}

void TestMcEngine::badSettingsAreReported_data() {
    QTest::addColumn<int>("samples");
    QTest::addColumn<double>("p");
    QTest::addColumn<QString>("words");
    QTest::newRow("T=0") << 0 << 0.2 << "at least 1";
    QTest::newRow("T<0") << -3 << 0.2 << "at least 1";
    QTest::newRow("p=1") << 8 << 1.0 << "[0, 1)";
    QTest::newRow("p<0") << 8 << -0.1 << "[0, 1)";
    QTest::newRow("p=NaN") << 8 << std::nan("") << "[0, 1)";
}

void TestMcEngine::badSettingsAreReported() {
    QFETCH(int, samples);
    QFETCH(double, p);
    QFETCH(QString, words);
    UncertaintyEngine engine(test::makeNoisyModel(kW, kH, 3));
    auto r = engine.run(test::blankImage(kW, kH), settingsFor(samples, p));
    QVERIFY(!r.ok());
    QVERIFY2(QString::fromStdString(r.error).contains(words), r.error.c_str());
    QVERIFY(r.maps.depthMean.empty());
}

void TestMcEngine::wrongInputShapeIsReported() {
    UncertaintyEngine engine(test::makeNoisyModel(kW, kH, 3));
    auto r = engine.run(test::blankImage(kW + 1, kH), settingsFor(4, 0.2));
    QVERIFY(!r.ok());
    QVERIFY2(QString::fromStdString(r.error).contains("expects 1×3×12×16"), r.error.c_str());
    ImageTensor broken = test::blankImage(kW, kH);
    broken.values.pop_back();
    r = engine.run(broken, settingsFor(4, 0.2));
    QVERIFY(!r.ok());
    QVERIFY2(QString::fromStdString(r.error).contains("malformed"), r.error.c_str());
}

void TestMcEngine::brokenModelOutputsAreReported_data() {
    QTest::addColumn<int>("fault");
    QTest::addColumn<QString>("words");
    QTest::newRow("missing output") << int(test::Fault::MissingOutput) << "no output 'depth_mean'";
    QTest::newRow("wrong shape") << int(test::Fault::WrongShape) << "'seg_logits' has shape 1×2×12×16";
    QTest::newRow("NaN") << int(test::Fault::NaN) << "'depth_mean' holds NaN";
}

void TestMcEngine::brokenModelOutputsAreReported() {
    QFETCH(int, fault);
    QFETCH(QString, words);
    UncertaintyEngine engine(test::makeFaultyModel(kW, kH, static_cast<test::Fault>(fault)));
    auto r = engine.run(test::blankImage(kW, kH), settingsFor(4, 0.2));
    QVERIFY(!r.ok());
    QVERIFY2(QString::fromStdString(r.error).contains(words), r.error.c_str());
    QVERIFY(!r.maps.hasDepth && !r.maps.hasSegmentation);  // never a partial result as valid
}

void TestMcEngine::cudaRequestFallsBackWithAMessage() {
    if (cudaAvailable()) QSKIP("this LibTorch has CUDA: nothing to fall back from");
    UncertaintyEngine engine(test::makeNoisyModel(kW, kH, 3));
    SamplingSettings s = settingsFor(4, 0.2);
    s.device = DeviceKind::Cuda;
    auto r = engine.run(test::blankImage(kW, kH), s);
    QVERIFY2(r.ok(), r.error.c_str());
    QCOMPARE(r.device, std::string("cpu"));
    QCOMPARE(int(r.warnings.size()), 1);
    QVERIFY(QString::fromStdString(r.warnings[0]).contains("CUDA"));
}

void TestMcEngine::singleTaskModelsFillOnlyTheirMaps() {
    test::ConstantOutputs depthOnly;
    depthOnly.segmentation = false;
    auto r = UncertaintyEngine(test::makeConstantModel(kW, kH, depthOnly)).run(test::blankImage(kW, kH), settingsFor(3, 0.2));
    QVERIFY2(r.ok(), r.error.c_str());
    QVERIFY(r.maps.hasDepth && !r.maps.hasSegmentation && r.maps.segClass.empty());
    test::ConstantOutputs segOnly;
    segOnly.depth = false;
    r = UncertaintyEngine(test::makeConstantModel(kW, kH, segOnly)).run(test::blankImage(kW, kH), settingsFor(3, 0.2));
    QVERIFY2(r.ok(), r.error.c_str());
    QVERIFY(!r.maps.hasDepth && r.maps.hasSegmentation && r.maps.depthMean.empty());
}

void TestMcEngine::logitNoiseSamplingFollowsEquation12() {
    // Constant logits (2, 0.5, −1) with logit variance σ² = e²: p_t = (1/N) Σ softmax(f + σ ε)
    // is flatter than softmax(f), so the entropies rise; without a variance nothing changes.
    test::ConstantOutputs o;
    o.logitLogVar = 2.f;
    UncertaintyEngine engine(test::makeConstantModel(kW, kH, o));
    SamplingSettings plain = settingsFor(4, 0.2, 3);
    SamplingSettings noisy = plain;
    noisy.noiseSamples = 64;
    const SamplingResult a = engine.run(test::blankImage(kW, kH), plain);
    const SamplingResult b = engine.run(test::blankImage(kW, kH), noisy);
    const SamplingResult c = engine.run(test::blankImage(kW, kH), noisy);
    QVERIFY(a.ok() && b.ok() && c.ok());
    const double pTop = 1.0 / (1.0 + std::exp(-1.5) + std::exp(-3.0));
    QVERIFY(std::abs(a.maps.segConfidence.values[0] - pTop) < 1e-6);  // softmax(f) exactly
    QVERIFY(meanOf(b.maps.segExpectedEntropy) > meanOf(a.maps.segExpectedEntropy) + 0.1);
    QVERIFY(meanOf(b.maps.segConfidence) < pTop - 0.05);
    QCOMPARE(b.maps.segEntropy.values, c.maps.segEntropy.values);  // the noise is seeded too
    // Constant passes: the same noise draws would give zero MI; different draws per pass give
    // a little, bounded by the predictive entropy.
    for (int i = 0; i < kW * kH; ++i) QVERIFY(b.maps.segMutualInfo.values[i] <= b.maps.segEntropy.values[i] + 1e-6f);
}

void TestMcEngine::inspectorShowsTheEngineNumbersForAPixel() {
    UncertaintyEngine engine(test::makeNoisyModel(kW, kH, 4));
    const SamplingResult r = engine.run(test::blankImage(kW, kH), settingsFor(16, 0.6, 2));
    QVERIFY(r.ok());
    const std::vector<ClassInfo> classes{{"sky", {}}, {"road", {}}, {"car", {}}, {"tree", {}}};
    const int x = 5, y = 7, i = y * kW + x;
    const PixelReport p = inspectPixel(r.maps, classes, x, y);
    QVERIFY(p.valid);
    QCOMPARE(*p.depthMean, r.maps.depthMean.values[i]);
    QCOMPARE(*p.epistemicStd, std::sqrt(r.maps.depthEpistemicVar.values[i]));
    QCOMPARE(*p.aleatoricStd, std::sqrt(r.maps.depthAleatoricVar.values[i]));
    QCOMPARE(p.predicted->index, int(r.maps.segClass.values[i]));
    QCOMPARE(p.predicted->name, classes[r.maps.segClass.values[i]].name);
    QCOMPARE(p.predicted->probability, r.maps.segConfidence.values[i]);
    QCOMPARE(int(p.top.size()), 3);
    QCOMPARE(p.top[0].index, p.predicted->index);  // the top class is the prediction
    QVERIFY(p.top[0].probability >= p.top[1].probability && p.top[1].probability >= p.top[2].probability);
    QCOMPARE(*p.mutualInfo, r.maps.segMutualInfo.values[i]);
    QCOMPARE(*p.entropy, r.maps.segEntropy.values[i]);
    QCOMPARE(*p.expectedEntropy, r.maps.segExpectedEntropy.values[i]);
    QVERIFY(p.logitVar.has_value());
    QVERIFY(!inspectPixel(r.maps, classes, kW, 0).valid);  // outside
    QVERIFY(!inspectPixel(r.maps, classes, -1, 3).valid);
}

// A card with "resize": "native" runs the model at the image's own size (rounded to the
// multiple): the maps have that size, and automatic chunks shrink with the pixel count.
void TestMcEngine::nativeSizeModelsRunAtTheImagesSize() {
    auto native = test::makeNativeModelWithCard(64, 48, [](ModelCard& card) {
        card.input.resize = InputSpec::Resize::Native;
        card.input.multipleOf = 16;
    });
    const ModelCard card = modelCard(*native);
    UncertaintyEngine engine(native);
    const RgbImage image{250, 130, std::vector<std::uint8_t>(250 * 130 * 3, 90)};
    const ImageTensor input = toModelInput(image, card.input);
    QCOMPARE(input.width, 256);
    QCOMPARE(input.height, 128);
    SamplingResult r = engine.run(input, settingsFor(4, 0.2));
    QVERIFY2(r.ok(), r.error.c_str());
    QCOMPARE(r.maps.depthMean.width, 256);
    QCOMPARE(r.maps.depthMean.height, 128);
    QCOMPARE(r.chunkSize, std::max(1, defaultChunkSize(DeviceKind::Cpu) * 64 * 48 / (256 * 128)));
    // A size that is not a multiple is refused, naming the rule.
    r = engine.run(test::blankImage(250, 130), settingsFor(2, 0.2));
    QVERIFY2(!r.ok() && QString::fromStdString(r.error).contains("multiples of 16"), r.error.c_str());
}

// SPEC §4 "depth.kind": a model that predicts inverse depth or disparity x with log variance s
// gives maps in metres: μ = scale / x, aleatoric variance exp(s) · scale² / x⁴ (delta method).
void TestMcEngine::inverseDepthAndDisparityBecomeMetres() {
    for (auto [kind, scale] : {std::pair{DepthSpec::Kind::Inverse, 1.f}, {DepthSpec::Kind::Disparity, 360.f}}) {
        test::ConstantOutputs o;
        o.depthMean = 0.25f;   // inverse depth 0.25 /m → 4 m; disparity 0.25 px at 360 m·px → 1440 m
        o.depthLogVar = -4.f;  // σ²_x = e^-4
        o.depthKind = kind;
        o.depthScale = scale;
        UncertaintyEngine engine(test::makeConstantModel(kW, kH, o));
        const SamplingResult r = engine.run(test::blankImage(kW, kH), settingsFor(4, 0.2));
        QVERIFY2(r.ok(), r.error.c_str());
        const float depth = scale / 0.25f;
        const double variance = std::exp(-4.0) * scale * scale / std::pow(0.25, 4);
        QVERIFY(std::abs(r.maps.depthMean.at(3, 4) - depth) < 1e-3f * depth);
        QVERIFY2(std::abs(r.maps.depthAleatoricVar.at(3, 4) - variance) < 1e-3 * variance,
                 qPrintable(QString::number(r.maps.depthAleatoricVar.at(3, 4))));
        QCOMPARE(r.maps.depthEpistemicVar.at(3, 4), 0.f);
    }
}

// SPEC §5 scale-free measures, against fixtures with known statistics: a constant
// depth c with log variance s has zero variance of log depth and aleatoric exp(s)/c²; dropout on a
// constant (μ_t = c·m_t/(1−p), m_t ∈ {0,1}) has log μ_t = log(c/(1−p)) where kept and log 1 mm
// (the clamp) where dropped, so its log variance is q(1−q)·(log(c/(1−p)) − log 0.001)² with q the
// kept share over passes — compared against the two-pass value from the recorded passes.
void TestMcEngine::scaleFreeDepthEstimatorsHaveKnownValues() {
    test::ConstantOutputs o;
    o.depthMean = 8.f;
    o.depthLogVar = 1.5f;
    UncertaintyEngine constant(test::makeConstantModel(kW, kH, o));
    SamplingResult r = constant.run(test::blankImage(kW, kH), settingsFor(6, 0.3));
    QVERIFY2(r.ok(), r.error.c_str());
    QCOMPARE(r.maps.depthEpistemicLogVar.at(2, 3), 0.f);
    QVERIFY(std::abs(r.maps.depthAleatoricLogVar.at(2, 3) - std::exp(1.5) / 64.0) < 1e-6);
    // Scale-free: the same model predicting 10× the depth has 100× the m² variance, the same log.
    o.depthMean = 80.f;
    o.depthLogVar = 1.5f + 2 * std::log(10.f);
    UncertaintyEngine far(test::makeConstantModel(kW, kH, o));
    const SamplingResult farResult = far.run(test::blankImage(kW, kH), settingsFor(6, 0.3));
    QVERIFY(std::abs(farResult.maps.depthAleatoricVar.at(2, 3) / r.maps.depthAleatoricVar.at(2, 3) - 100.0) < 1e-3);
    QVERIFY(std::abs(farResult.maps.depthAleatoricLogVar.at(2, 3) - r.maps.depthAleatoricLogVar.at(2, 3)) < 1e-6);

    auto recording = std::make_shared<test::Recording>();
    UncertaintyEngine dropout(test::makeRecordingModel(test::makeDropoutConstantModel(kW, kH, 5.f, {1.f, 0.f}), recording));
    const int T = 64;
    r = dropout.run(test::blankImage(kW, kH), settingsFor(T, 0.4, 3));
    QVERIFY2(r.ok(), r.error.c_str());
    for (int pixel : {0, 7, 100}) {
        std::vector<double> logs;
        for (const auto& pass : recording->depthMean)
            logs.push_back(std::log(std::max(1e-3, static_cast<double>(pass[static_cast<size_t>(pixel)]))));
        double mean = 0, var = 0;
        for (double v : logs) mean += v / logs.size();
        for (double v : logs) var += (v - mean) * (v - mean) / logs.size();
        QVERIFY2(std::abs(r.maps.depthEpistemicLogVar.values[static_cast<size_t>(pixel)] - var) < 1e-4 * (1 + var),
                 qPrintable(QString("%1 vs %2").arg(r.maps.depthEpistemicLogVar.values[static_cast<size_t>(pixel)]).arg(var)));
    }
}

QTEST_MAIN(TestMcEngine)
#include "tst_mc_engine.moc"
