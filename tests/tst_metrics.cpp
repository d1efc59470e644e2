// Metrics against hand-computed examples, and the ground-truth loaders.

#include <QtTest>

#include <opencv2/imgcodecs.hpp>

#include <cmath>
#include <cstdlib>
#include <random>

#include "core/io/ground_truth.h"
#include "core/io/npy.h"
#include "core/metrics/metrics.h"

using namespace uvis;

namespace {

FloatMap row(std::vector<float> v) { return FloatMap{static_cast<int>(v.size()), 1, std::move(v)}; }
ClassMap classes(std::vector<std::uint8_t> v) { return ClassMap{static_cast<int>(v.size()), 1, std::move(v)}; }

bool near(double a, double b, double tolerance = 1e-5) { return std::abs(a - b) <= tolerance; }
#define QNEAR(a, b) QVERIFY2(near((a), (b)), qPrintable(QString("%1 vs %2").arg(a, 0, 'g', 9).arg(b, 0, 'g', 9)))

// Two classes, one row: the hand-computed segmentation example.
struct SegExample {
    ClassMap truth = classes({0, 0, 1, 0, 1, 1, 255});
    ClassMap predicted = classes({0, 0, 1, 1, 1, 0, 0});
    std::vector<float> confidence{0.9f, 0.9f, 0.9f, 0.9f, 0.6f, 0.6f, 0.7f};
    std::vector<float> probabilities() const {  // [K=2, 1, 7]
        std::vector<float> p(14);
        for (int i = 0; i < 7; ++i) {
            const int k = predicted.values[i];
            p[k * 7 + i] = confidence[i];
            p[(1 - k) * 7 + i] = 1 - confidence[i];
        }
        return p;
    }
    FloatMap uncertainty() const {
        FloatMap u = row(confidence);
        for (float& v : u.values) v = 1 - v;
        return u;
    }
};

}  // namespace

class TestMetrics : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void depthByHand();
    void perfectDepthHasZeroAuseAndFullCoverage();
    void sparsificationByHand();
    void randomUncertaintyLeavesTheCurveFlat();
    void segmentationByHand();
    void perfectClassifierHasZeroEce();
    void alwaysConfidentHalfRightHasEceOneHalf();
    void aurocOrdersAndTies_data();
    void aurocOrdersAndTies();
    void evaluateMapsResizesToTheTruth();
    void metricsJsonHasTheIssueKeys();

    void depthTruthFormats();
    void depthTruthRejectsBadFiles();
    void labelTruthIndexPaletteAndNpy();
    void sizeMismatchIsNamed();
    void truthIsFoundBesideTheImage();
};

void TestMetrics::depthByHand() {
    // truth 1, 2, 4 and an invalid 0; errors 0.5, 0, −1; σ² = 1.
    const auto m = depthMetrics(row({1.5f, 2.f, 3.f, 9.f}), row({1, 1, 1, 1}), row({1, 1, 1, 1}), row({1, 2, 4, 0}));
    QVERIFY(m);
    QCOMPARE(m->validPixels, size_t(3));
    QNEAR(m->rmse, std::sqrt(1.25 / 3));
    QNEAR(m->absRel, 0.25);
    QNEAR(m->delta1, 1.0 / 3);
    QNEAR(m->nll, 0.5 * std::log(2 * M_PI) + (0.125 + 0.5) / 3);
    QNEAR(m->coverage50, 2.0 / 3);  // |e| ≤ 0.674σ: 0.5 and 0
    QNEAR(m->coverage68, 2.0 / 3);  // |e| ≤ 0.994σ: not 1
    QNEAR(m->coverage95, 1.0);
}

void TestMetrics::perfectDepthHasZeroAuseAndFullCoverage() {
    std::vector<float> truth(500), noise(500);
    std::mt19937 rng(1);
    for (size_t i = 0; i < truth.size(); ++i) {
        truth[i] = 1 + 50 * std::uniform_real_distribution<float>()(rng);
        noise[i] = std::uniform_real_distribution<float>()(rng);
    }
    const auto m = depthMetrics(row(truth), row(std::vector<float>(500, 0.25f)), row(noise), row(truth));
    QVERIFY(m);
    QNEAR(m->rmse, 0.0);
    QNEAR(m->rmseCurve.ause, 0.0);
    QNEAR(m->absRelCurve.ause, 0.0);
    QNEAR(m->delta1, 1.0);
    QNEAR(m->coverage95, 1.0);
    QCOMPARE(m->rmseCurve.fraction.size(), size_t(51));
}

void TestMetrics::sparsificationByHand() {
    // Errors 4, 1, 0, 9 removed in the order 0, 1, 2, 3 (uncertainty 4 > 3 > 2 > 1), four steps.
    const SparsificationCurve c = sparsification({4, 1, 0, 9}, {4, 3, 2, 1}, /*rootOfMean=*/false, /*steps=*/4);
    const std::vector<double> model{3.5, 10.0 / 3, 4.5, 9, 0}, oracle{3.5, 5.0 / 3, 0.5, 0, 0};
    for (int i = 0; i < 5; ++i) {
        QNEAR(c.model[i], model[i]);
        QNEAR(c.oracle[i], oracle[i]);
    }
    const double areaModel = 0.25 * ((3.5 + 10.0 / 3) / 2 + (10.0 / 3 + 4.5) / 2 + (4.5 + 9) / 2 + 9.0 / 2);
    const double areaOracle = 0.25 * ((3.5 + 5.0 / 3) / 2 + (5.0 / 3 + 0.5) / 2 + 0.5 / 2);
    QNEAR(c.ause, areaModel - areaOracle);
    QNEAR(c.aurg, 3.5 - areaModel);
    // Ranked like the error itself, the model is the oracle.
    const SparsificationCurve best = sparsification({4, 1, 0, 9}, {4, 1, 0, 9}, false, 4);
    QNEAR(best.ause, 0.0);
    QVERIFY(best.aurg > 0);
}

void TestMetrics::randomUncertaintyLeavesTheCurveFlat() {
    std::mt19937 rng(7);
    std::vector<double> error(100000);
    std::vector<float> uncertainty(error.size());
    for (size_t i = 0; i < error.size(); ++i) {
        error[i] = std::exponential_distribution<double>(1.0)(rng);
        uncertainty[i] = std::uniform_real_distribution<float>()(rng);  // unrelated to the error
    }
    const SparsificationCurve c = sparsification(error, uncertainty, /*rootOfMean=*/false);
    for (int t = 0; t < 45; ++t) QVERIFY2(std::abs(c.model[t] / c.model[0] - 1) < 0.05, qPrintable(QString::number(t)));
    QVERIFY(std::abs(c.aurg) < 0.03 * c.model[0]);  // no gain over a random order
    QVERIFY(c.ause > 0.5 * c.model[0]);              // far from the oracle
}

void TestMetrics::segmentationByHand() {
    const SegExample e;
    const auto s = segmentationMetrics(e.predicted, e.probabilities(), 2, e.uncertainty(), e.truth);
    QVERIFY(s);
    QCOMPARE(s->validPixels, size_t(6));  // the 255 pixel is ignored
    QNEAR(s->pixelAccuracy, 4.0 / 6);
    QNEAR(s->classIou[0], 0.5);
    QNEAR(s->classIou[1], 0.5);
    QNEAR(s->miou, 0.5);
    // bins: confidence 0.9 (4 pixels, 3 right), 0.6 (2 pixels, 1 right)
    QNEAR(s->ece, 4.0 / 6 * 0.15 + 2.0 / 6 * 0.1);
    QCOMPARE(s->reliability.size(), size_t(15));
    QCOMPARE(s->reliability[13].count, size_t(4));
    QNEAR(s->reliability[13].accuracy, 0.75);
    QNEAR(s->nll, (-3 * std::log(0.9) - std::log(0.1) - std::log(0.6) - std::log(0.4)) / 6);
    QNEAR(s->brier, (3 * 0.02 + 1.62 + 0.32 + 0.72) / 6);
    // wrong pixels score 0.1 and 0.4; right ones 0.1, 0.1, 0.1, 0.4: (1.5 + 3.5) / 8
    QNEAR(s->aurocError, 0.625);
}

void TestMetrics::perfectClassifierHasZeroEce() {
    SegExample e;
    e.predicted = e.truth;
    e.predicted.values[6] = 0;
    std::fill(e.confidence.begin(), e.confidence.end(), 1.f);
    const auto s = segmentationMetrics(e.predicted, e.probabilities(), 2, e.uncertainty(), e.truth);
    QVERIFY(s);
    QNEAR(s->ece, 0.0);
    QNEAR(s->pixelAccuracy, 1.0);
    QNEAR(s->miou, 1.0);
    QNEAR(s->brier, 0.0);
    QVERIFY(s->nll < 1e-6);
}

void TestMetrics::alwaysConfidentHalfRightHasEceOneHalf() {
    const ClassMap truth = classes({0, 1, 0, 1, 2, 2});
    const ClassMap predicted = classes({0, 0, 0, 0, 2, 0});  // right on 0, 2, 4: half
    std::vector<float> p(3 * 6, 0.f);
    for (int i = 0; i < 6; ++i) p[predicted.values[i] * 6 + i] = 1.f;
    const auto s = segmentationMetrics(predicted, p, 3, row(std::vector<float>(6, 0.f)), truth);
    QVERIFY(s);
    QNEAR(s->pixelAccuracy, 0.5);
    QNEAR(s->ece, 0.5);
    QNEAR(s->aurocError, 0.5);  // a constant uncertainty tells nothing
}

void TestMetrics::aurocOrdersAndTies_data() {
    QTest::addColumn<std::vector<float>>("scores");
    QTest::addColumn<std::vector<bool>>("positive");
    QTest::addColumn<double>("expected");
    QTest::newRow("perfect") << std::vector<float>{0.1f, 0.2f, 0.8f, 0.9f} << std::vector<bool>{false, false, true, true} << 1.0;
    QTest::newRow("reversed") << std::vector<float>{0.9f, 0.8f, 0.2f, 0.1f} << std::vector<bool>{false, false, true, true} << 0.0;
    QTest::newRow("all tied") << std::vector<float>{1, 1, 1, 1} << std::vector<bool>{false, true, false, true} << 0.5;
    QTest::newRow("one of four pairs wrong")
        << std::vector<float>{0.1f, 0.5f, 0.4f, 0.9f} << std::vector<bool>{false, false, true, true} << 0.75;
}

void TestMetrics::aurocOrdersAndTies() {
    QFETCH(std::vector<float>, scores);
    QFETCH(std::vector<bool>, positive);
    QFETCH(double, expected);
    QNEAR(auroc(scores, positive), expected);
    QNEAR(oodAuroc({0.1f, 0.2f}, {0.3f, 0.4f}), 1.0);
}

void TestMetrics::evaluateMapsResizesToTheTruth() {
    UncertaintyMaps maps;
    maps.samplesDone = maps.samplesRequested = 4;
    maps.hasDepth = true;
    maps.depthMean = FloatMap{2, 2, {5, 5, 5, 5}};
    maps.depthAleatoricVar = FloatMap{2, 2, {1, 1, 1, 1}};
    maps.depthEpistemicVar = FloatMap{2, 2, {3, 3, 3, 3}};
    const FloatMap truth{4, 4, std::vector<float>(16, 5.f)};
    const MetricsReport r = evaluateMaps(maps, &truth, nullptr);
    QVERIFY(r.depth);
    QCOMPARE(r.depth->validPixels, size_t(16));
    QNEAR(r.depth->rmse, 0.0);
    QNEAR(r.depth->nll, 0.5 * std::log(2 * M_PI * 4.0));  // σ² = aleatoric + epistemic
    QVERIFY(!r.segmentation);
}

void TestMetrics::metricsJsonHasTheIssueKeys() {
    MetricsReport r;
    r.depth = depthMetrics(row({1.5f, 2.f}), row({1, 1}), row({1, 2}), row({1, 2}));
    const SegExample e;
    r.segmentation = segmentationMetrics(e.predicted, e.probabilities(), 2, e.uncertainty(), e.truth);
    const QJsonObject doc = QJsonDocument::fromJson(QByteArray::fromStdString(metricsJson(r))).object();
    for (const char* key : {"rmse", "abs_rel", "delta1", "nll", "ause_rmse", "ause_abs_rel", "coverage_68", "coverage_95"})
        QVERIFY2(doc["depth"].toObject().contains(key), key);
    for (const char* key : {"miou", "pixel_accuracy", "ece", "nll", "brier", "auroc_error"})
        QVERIFY2(doc["segmentation"].toObject().contains(key), key);
    QCOMPARE(QString::fromStdString(sparsificationCsv(*r.depth)).count(QChar(10)), 52);
    QCOMPARE(QString::fromStdString(reliabilityCsv(*r.segmentation)).count(QChar(10)), 16);
}

void TestMetrics::depthTruthFormats() {
    QTemporaryDir dir;
    // 16-bit PNG in millimetres.
    cv::Mat mm(2, 3, CV_16U);
    for (int i = 0; i < 6; ++i) mm.at<std::uint16_t>(i / 3, i % 3) = static_cast<std::uint16_t>(1000 * i);
    const std::string png = dir.filePath("d_depth.png").toStdString();
    QVERIFY(cv::imwrite(png, mm));
    DepthTruth t = readDepthTruth(png);
    QVERIFY2(t.error.empty(), t.error.c_str());
    QCOMPARE(t.map.width, 3);
    QCOMPARE(t.map.values[0], 0.f);  // invalid
    QCOMPARE(t.map.values[5], 5.f);
    // float .npy in metres, uint16 .npy in millimetres.
    const std::string npy = dir.filePath("d_depth.npy").toStdString();
    QVERIFY(writeNpy(npy, FloatMap{2, 1, {1.5f, NAN}}).empty());
    t = readDepthTruth(npy);
    QVERIFY(t.error.empty());
    QCOMPARE(t.map.values[0], 1.5f);
    QCOMPARE(t.map.values[1], 0.f);  // not finite: invalid
    // EXR, metres in the first channel.
    setenv("OPENCV_IO_ENABLE_OPENEXR", "1", 1);
    cv::Mat metres(2, 2, CV_32F, cv::Scalar(7.25f));
    const std::string exr = dir.filePath("d_depth.exr").toStdString();
    QVERIFY(cv::imwrite(exr, metres));
    t = readDepthTruth(exr);
    QVERIFY2(t.error.empty(), t.error.c_str());
    QCOMPARE(t.map.values[3], 7.25f);
}

void TestMetrics::depthTruthRejectsBadFiles() {
    QTemporaryDir dir;
    const std::string eight = dir.filePath("eight.png").toStdString();
    QVERIFY(cv::imwrite(eight, cv::Mat(2, 2, CV_8U, cv::Scalar(3))));
    DepthTruth t = readDepthTruth(eight);
    QVERIFY(QString::fromStdString(t.error).contains("16-bit"));
    QVERIFY(QString::fromStdString(t.error).contains("eight.png"));
    const QString corrupt = dir.filePath("corrupt_depth.png");
    QFile f(corrupt);
    QVERIFY(f.open(QIODevice::WriteOnly));
    f.write("\x89PNG\r\n\x1a\ngarbage");
    f.close();
    t = readDepthTruth(corrupt.toStdString());
    QVERIFY(QString::fromStdString(t.error).contains("corrupt_depth.png"));
    QVERIFY(QString::fromStdString(readDepthTruth(dir.filePath("x.txt").toStdString()).error).contains(".npy"));
}

void TestMetrics::labelTruthIndexPaletteAndNpy() {
    QTemporaryDir dir;
    const std::vector<ClassInfo> palette{{"sky", {128, 128, 128}}, {"road", {128, 64, 128}}};
    const std::string index = dir.filePath("i_labels.png").toStdString();
    QVERIFY(cv::imwrite(index, cv::Mat(1, 2, CV_8U, cv::Scalar(1))));
    LabelTruth t = readLabelTruth(index, palette);
    QVERIFY(t.error.empty());
    QCOMPARE(int(t.map.values[1]), 1);
    cv::Mat colours(1, 3, CV_8UC3);
    colours.at<cv::Vec3b>(0, 0) = {128, 64, 128};  // BGR of road
    colours.at<cv::Vec3b>(0, 1) = {128, 128, 128};
    colours.at<cv::Vec3b>(0, 2) = {1, 2, 3};  // no class
    const std::string colour = dir.filePath("c_labels.png").toStdString();
    QVERIFY(cv::imwrite(colour, colours));
    t = readLabelTruth(colour, palette);
    QVERIFY(t.error.empty());
    QCOMPARE(int(t.map.values[0]), 1);
    QCOMPARE(int(t.map.values[1]), 0);
    QCOMPARE(int(t.map.values[2]), 255);
    const std::string npy = dir.filePath("n_labels.npy").toStdString();
    QVERIFY(writeNpy(npy, ClassMap{2, 1, {3, 255}}).empty());
    t = readLabelTruth(npy, palette);
    QVERIFY(t.error.empty());
    QCOMPARE(int(t.map.values[0]), 3);
}

void TestMetrics::sizeMismatchIsNamed() {
    const QString message = QString::fromStdString(checkTruthSize("gt.png", 100, 50, 256, 192));
    QVERIFY(message.contains("gt.png") && message.contains("100×50") && message.contains("256×192"));
    QVERIFY(checkTruthSize("gt.png", 256, 192, 256, 192).empty());
}

void TestMetrics::truthIsFoundBesideTheImage() {
    const TruthPaths p = findTruthFor(UVIS_RESOURCES "/samples/domainA/A_000001_rgb.png");
    QVERIFY(QString::fromStdString(p.depth).endsWith("A_000001_depth.npy"));
    QVERIFY(QString::fromStdString(p.labels).endsWith("A_000001_labels.png"));
    QVERIFY(findTruthFor(UVIS_RESOURCES "/samples/video/sequence.avi").depth.empty());
}

QTEST_MAIN(TestMetrics)
#include "tst_metrics.moc"
