// Post-hoc calibration (SPEC §2): the NLL fits recover a known miscalibration to 1 %,
// the engine applies τ to every pass's logits and c to the depth variances, the file round-trips
// and refuses nonsense, and `fitCalibration` on the bundled model recovers the τ and c that
// ground truth was drawn with, and its held-out check shows the repair.

#include <QtTest>

#include <opencv2/imgcodecs.hpp>

#include <cmath>
#include <filesystem>
#include <fstream>
#include <random>

#include "core/calibration/calibration.h"
#include "core/calibration/calibration_fit.h"
#include "core/io/npy.h"
#include "core/engine/uncertainty_engine.h"
#include "core/model/model_loader.h"
#include "core/engine/preprocess.h"
#include "core/io/image_io.h"
#include "core/services/batch/calibration_run.h"
#include "test_models.h"

using namespace uvis;
namespace fs = std::filesystem;

namespace {

std::vector<double> softmaxOf(const float* f, int K, double temperature) {
    double mx = -1e300, z = 0;
    for (int k = 0; k < K; ++k) mx = std::max(mx, f[k] / temperature);
    std::vector<double> p(K);
    for (int k = 0; k < K; ++k) z += p[k] = std::exp(f[k] / temperature - mx);
    for (double& v : p) v /= z;
    return p;
}

int drawClass(const std::vector<double>& p, std::mt19937_64& rng) {
    double u = std::uniform_real_distribution<double>(0, 1)(rng);
    for (size_t k = 0; k < p.size(); ++k)
        if ((u -= p[k]) <= 0) return static_cast<int>(k);
    return static_cast<int>(p.size()) - 1;
}

}  // namespace

class TestCalibration : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void aKnownTemperatureIsRecovered();
    void aKnownVarianceScaleIsRecovered();
    void theEngineAppliesTheCalibration();
    void probesHoldTheRawPasses();
    void theFileRoundTripsAndRefusesNonsense();
    void fittingTheBundledModelRecoversTheTruthsMiscalibration();
};

void TestCalibration::aKnownTemperatureIsRecovered() {
    // Labels drawn from softmax(f / 2.5) with T = 3 passes: the logits are 2.5× too confident.
    SegmentationProbes s;
    s.classes = 4;
    s.passes = 3;
    std::mt19937_64 rng(7);
    std::normal_distribution<float> logit(0.f, 3.f), jitter(0.f, 0.5f);
    for (int i = 0; i < 100000; ++i) {
        std::vector<float> base(4);
        for (float& v : base) v = logit(rng);
        std::vector<double> pMean(4, 0.0);
        for (int t = 0; t < 3; ++t) {
            std::vector<float> f(base);
            for (float& v : f) v += jitter(rng);
            const auto p = softmaxOf(f.data(), 4, 2.5);
            for (int k = 0; k < 4; ++k) pMean[k] += p[k] / 3;
            s.logits.insert(s.logits.end(), f.begin(), f.end());
        }
        s.labels.push_back(drawClass(pMean, rng));
    }
    const double tau = fitTemperature(s);
    QVERIFY2(std::abs(tau / 2.5 - 1) < 0.01, qPrintable(QString::number(tau)));
    QVERIFY(segmentationNll(s, tau) < segmentationNll(s, 1.0));
    QCOMPARE(fitTemperature(SegmentationProbes{}), 1.0);
}

void TestCalibration::aKnownVarianceScaleIsRecovered() {
    DepthProbes d;
    std::mt19937_64 rng(3);
    std::uniform_real_distribution<double> mean(2, 60), var(0.01, 4);
    std::normal_distribution<double> noise(0, 1);
    for (int i = 0; i < 200000; ++i) {
        d.mean.push_back(mean(rng));
        d.variance.push_back(var(rng));
        d.truth.push_back(d.mean.back() + std::sqrt(3.0 * d.variance.back()) * noise(rng));
    }
    const double c = fitVarianceScale(d);
    QVERIFY2(std::abs(c / 3.0 - 1) < 0.01, qPrintable(QString::number(c)));
    QCOMPARE(fitVarianceScale(DepthProbes{}), 1.0);
}

void TestCalibration::theEngineAppliesTheCalibration() {
    test::ConstantOutputs o;
    o.depthLogVar = 0.5f;
    o.logits = {2.f, 0.f, -1.f};
    UncertaintyEngine engine(test::makeConstantModel(16, 12, o));
    SamplingSettings s;
    s.samples = 4;
    s.calibration = {2.0, 3.0};
    const SamplingResult r = engine.run(test::blankImage(16, 12), s);
    QVERIFY2(r.ok(), r.error.c_str());
    QVERIFY(r.maps.calibrated());
    QCOMPARE(r.maps.temperature, 2.0);
    const auto p = softmaxOf(o.logits.data(), 3, 2.0);
    for (int i = 0; i < 16 * 12; ++i) {
        QVERIFY(std::abs(r.maps.depthAleatoricVar.values[i] - 3.0 * std::exp(0.5)) < 1e-5);
        QVERIFY(std::abs(r.maps.depthAleatoricLogVar.values[i] - 3.0 * std::exp(0.5) / 25.0) < 1e-6);
        QVERIFY(std::abs(r.maps.segConfidence.values[i] - p[0]) < 1e-6);
    }
    s.calibration = {0.0, 1.0};
    QVERIFY(engine.run(test::blankImage(16, 12), s).error.find("temperature") != std::string::npos);
}

void TestCalibration::probesHoldTheRawPasses() {
    auto rec = std::make_shared<test::Recording>();
    UncertaintyEngine engine(test::makeRecordingModel(test::makeNoisyModel(16, 12, 3), rec));
    SamplingSettings s;
    s.samples = 5;
    s.dropout = 0.3;
    s.probePixels = {0, 17, 191};
    s.calibration = {4.0, 1.0};  // probes are taken before the temperature
    const SamplingResult r = engine.run(test::blankImage(16, 12), s);
    QVERIFY2(r.ok(), r.error.c_str());
    QCOMPARE(r.probes.passes, 5);
    QCOMPARE(r.probes.classes, 3);
    const int plane = 16 * 12;
    for (int t = 0; t < 5; ++t)
        for (int j = 0; j < 3; ++j) {
            const int pixel = s.probePixels[j];
            QCOMPARE(r.probes.depthMean[t * 3 + j], rec->depthMean[t][pixel]);
            for (int k = 0; k < 3; ++k) QCOMPARE(r.probes.segLogits[(t * 3 + j) * 3 + k], rec->segLogits[t][k * plane + pixel]);
        }
    s.probePixels = {plane};
    QVERIFY(engine.run(test::blankImage(16, 12), s).error.find("outside") != std::string::npos);
}

void TestCalibration::theFileRoundTripsAndRefusesNonsense() {
    QCOMPARE(calibrationPath("/m/demo.uvis"), std::string("/m/demo.calibration.json"));
    QCOMPARE(calibrationPath("/m/street.ensemble.json"), std::string("/m/street.ensemble.calibration.json"));
    QTemporaryDir dir;
    QCOMPARE(calibrationPath(dir.path().toStdString() + "/"), dir.path().toStdString() + ".calibration.json");
    CalibrationFile file;
    CalibrationRecord r;
    r.calibration = {1.7, 2.4};
    r.method = "tta";
    r.samples = 8;
    r.before.ece = 0.3;
    r.after.ece = 0.05;
    file.methods["tta"] = r;
    const std::string path = dir.filePath("m.calibration.json").toStdString();
    std::ofstream(path) << calibrationJson(file);
    const CalibrationFile back = readCalibration(path);
    QVERIFY2(back.error.empty(), back.error.c_str());
    QCOMPARE(back.methods.at("tta").calibration.temperature, 1.7);
    QCOMPARE(back.methods.at("tta").calibration.depthVarianceScale, 2.4);
    QCOMPARE(back.methods.at("tta").after.ece, 0.05);
    QVERIFY(readCalibration(dir.filePath("absent.json").toStdString()).methods.empty());
    std::ofstream(path) << R"({"methods": {"mc": {"temperature": -1, "depth_variance_scale": 1}}})";
    const CalibrationFile bad = readCalibration(path);
    QVERIFY2(bad.error.find("'mc'") != std::string::npos && bad.methods.empty(), bad.error.c_str());
    std::ofstream(path) << R"({"methods": {"mc": {"temperature": 1e-300, "depth_variance_scale": 1}}})";
    QVERIFY(!readCalibration(path).error.empty());  // would overflow every softmax
    std::ofstream(path) << R"({"methods": {"mc": {"temperature": 1, "depth_variance_scale": 1e300}}})";
    QVERIFY(!readCalibration(path).error.empty());
    std::ofstream(path) << std::string(100000, '[') + std::string(100000, ']');
    QVERIFY(!readCalibration(path).error.empty());  // nested beyond the limit: refused, no crash
    std::ofstream(path) << "not json";
    QVERIFY(!readCalibration(path).error.empty());
}

void TestCalibration::fittingTheBundledModelRecoversTheTruthsMiscalibration() {
    // Ground truth drawn from the bundled model's own predictive distribution made wider: depth
    // y ~ N(μ̄, 2·v), labels ~ (1/T) Σ softmax(f_t / 1.6). The fit must find c = 2 and τ = 1.6
    // (to 1 %), and the held-out check must show the repair.
    LoadedModel model = loadModel(UVIS_RESOURCES "/models/uvis-street-demo.uvis");
    QVERIFY2(model, model.error.c_str());
    const ModelCard& card = modelCard(*model.model);
    UncertaintyEngine engine(model.model);
    SamplingSettings s;
    s.samples = 4;
    s.dropout = card.trainDropout;
    s.seed = 3;
    QTemporaryDir dir;
    QVERIFY(QFile::copy(UVIS_RESOURCES "/samples/domainA/manifest.json", dir.filePath("manifest.json")));
    std::mt19937_64 rng(11);
    std::normal_distribution<double> noise(0, 1);
    for (int i = 0; i < 8; ++i) {
        const QString source = QString(UVIS_RESOURCES "/samples/domainA/A_%1_rgb.png").arg(i % 4, 6, 10, QChar('0'));
        const QString stem = dir.filePath(QString("img%1").arg(i));
        QVERIFY(QFile::copy(source, stem + "_rgb.png"));
        const RgbImageResult image = readRgbImage(source.toStdString());
        const ImageTensor input = toModelInput(image.image, card.input);
        QCOMPARE(input.width, image.image.width);  // truth at the model's size is the image's
        SamplingSettings probe = s;
        for (int p = 0; p < input.width * input.height; ++p) probe.probePixels.push_back(p);
        const SamplingResult r = engine.run(input, probe);
        QVERIFY2(r.ok(), r.error.c_str());
        const FloatMap variance = depthPredictiveVariance(r.maps);
        FloatMap depth = r.maps.depthMean;
        cv::Mat labels(input.height, input.width, CV_8UC1);
        const int P = input.width * input.height, K = r.probes.classes, T = r.probes.passes;
        for (int p = 0; p < P; ++p) {
            depth.values[p] = static_cast<float>(r.maps.depthMean.values[p] + std::sqrt(2.0 * variance.values[p]) * noise(rng));
            if (depth.values[p] <= 0.f) depth.values[p] = 0.f;  // invalid: ignored (a rare tail)
            std::vector<double> pMean(K, 0.0);
            for (int t = 0; t < T; ++t) {
                const auto pt = softmaxOf(&r.probes.segLogits[(static_cast<size_t>(t) * P + p) * K], K, 1.6);
                for (int k = 0; k < K; ++k) pMean[k] += pt[k] / T;
            }
            labels.data[p] = static_cast<std::uint8_t>(drawClass(pMean, rng));
        }
        QCOMPARE(writeNpy((stem + "_depth.npy").toStdString(), depth), std::string());
        QVERIFY(cv::imwrite((stem + "_labels.png").toStdString(), labels));
    }
    CalibrationOptions o;
    o.data = dir.path().toStdString();
    o.settings = s;
    o.probesPerImage = 1 << 20;  // every pixel
    int calls = 0;
    const CalibrationRun run = fitCalibration(engine, card, o, [&](int, int) { return ++calls > 0; });
    QVERIFY2(run.ok(), run.error.c_str());
    QCOMPARE(calls, 4 + 2 * 4);
    QCOMPARE(run.record.fitImages, 4);
    QCOMPARE(run.record.checkImages, 4);
    const Calibration& c = run.record.calibration;
    QVERIFY2(std::abs(c.depthVarianceScale / 2.0 - 1) < 0.01, qPrintable(QString::number(c.depthVarianceScale)));
    QVERIFY2(std::abs(c.temperature / 1.6 - 1) < 0.01, qPrintable(QString::number(c.temperature)));
    const CalibrationQuality& before = run.record.before;
    const CalibrationQuality& after = run.record.after;
    QVERIFY2(std::abs(after.coverage95 - 0.95) < std::abs(before.coverage95 - 0.95),
             qPrintable(QString("%1 → %2").arg(before.coverage95).arg(after.coverage95)));
    QVERIFY2(after.ece < before.ece, qPrintable(QString("%1 → %2").arg(before.ece).arg(after.ece)));
    QVERIFY(after.segNll < before.segNll && after.depthNll < before.depthNll);
}

QTEST_MAIN(TestCalibration)
#include "tst_calibration.moc"
