// Training end to end on a tiny rendered data set, evaluation, and the bundled demo model.

#include <QtTest>

#include <opencv2/videoio.hpp>

#include <filesystem>

#include "core/engine/uncertainty_engine.h"
#include "core/model/model_loader.h"
#include "core/synth/street_scene.h"
#include "core/training/dataset_render.h"
#include "core/training/ensemble_training.h"
#include "core/training/evaluation.h"
#include "core/training/seed_statistics.h"
#include "core/training/trainer.h"

using namespace uvis;

namespace {

// A short run of a narrow network on the small rendered set: seconds.
TrainOptions shortRun(const std::string& data, const std::string& out, int steps, std::uint64_t seed) {
    TrainOptions o;
    o.dataDir = data;
    o.steps = steps;
    o.batchSize = 4;
    o.width = 8;
    o.learningRate = 5e-3;
    o.outPath = out;
    o.seed = seed;
    return o;
}

}  // namespace

class TestTraining : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void seedStatisticsAndOrderings();
    void renderedDatasetHasManifestAndFiles();
    void sequenceIsAVideoWithTruthPerFrame();
    void shortTrainingLowersTheLoss();
    void checkpointAndCardRecordTheRun();
    void evaluationScoresTheTestSet();
    void badDataIsReported();
    void bundledModelLoadsAndItsCardValidates();
    void ensembleTrainingWritesMembersAndACard();
    void concreteDropoutLearnsRatesIntoTheCard();

private:
    QTemporaryDir dir_;
    std::string data_, model_;
    std::vector<double> losses_;
};

void TestTraining::initTestCase() {
    data_ = dir_.filePath("data").toStdString();
    model_ = dir_.filePath("m.uvis").toStdString();
    StillDatasetOptions o;
    o.dir = data_;
    o.count = 12;
    o.width = 64;
    o.height = 48;
    o.seed = 9;
    QCOMPARE(renderStillDataset(o), std::string());
}

void TestTraining::renderedDatasetHasManifestAndFiles() {
    ManifestResult m = readDatasetManifest(data_);
    QVERIFY2(m.error.empty(), m.error.c_str());
    QCOMPARE(int(m.manifest.items.size()), 12);
    QCOMPARE(m.manifest.width, 64);
    QCOMPARE(int(m.manifest.classes.size()), 8);
    for (const auto& item : m.manifest.items) {
        QVERIFY(std::filesystem::exists(itemRgbPath(data_, item)));
        QVERIFY(std::filesystem::exists(itemDepthPath(data_, item)));
        QVERIFY(std::filesystem::exists(itemLabelsPath(data_, item)));
    }
}

void TestTraining::sequenceIsAVideoWithTruthPerFrame() {
    SequenceOptions o;
    o.dir = dir_.filePath("seq").toStdString();
    o.seconds = 1.0;
    o.fps = 6;
    o.width = 64;
    o.height = 48;
    QCOMPARE(renderSequence(o), std::string());
    cv::VideoCapture video(o.dir + "/sequence.avi");
    QVERIFY(video.isOpened());
    int frames = 0;
    cv::Mat frame;
    while (video.read(frame)) {
        QCOMPARE(frame.cols, 64);
        QCOMPARE(frame.rows, 48);
        ++frames;
    }
    QCOMPARE(frames, 6);
    ManifestResult m = readDatasetManifest(o.dir);
    QVERIFY2(m.error.empty(), m.error.c_str());
    QCOMPARE(m.manifest.fps, 6.0);
    QCOMPARE(int(m.manifest.items.size()), 6);
    QVERIFY(std::abs(m.manifest.items[3].time - 0.5) < 1e-6);
    QVERIFY(std::filesystem::exists(itemDepthPath(o.dir, m.manifest.items[5])));
    QVERIFY(!std::filesystem::exists(o.dir + "/sequence.part.avi"));
}

void TestTraining::shortTrainingLowersTheLoss() {
    TrainOptions o = shortRun(data_, model_, 60, 3);
    o.checkpointEvery = 30;
    TrainResult r = trainModel(o, [&](const TrainProgress& p) {
        losses_.push_back(p.depthLoss + p.segLoss);
        return true;
    });
    QVERIFY2(r.ok(), r.error.c_str());
    QCOMPARE(r.last.step, 60);
    QCOMPARE(int(losses_.size()), 6);
    QVERIFY2(losses_.back() < 0.8 * losses_.front(),
             qPrintable(QString("%1 → %2").arg(losses_.front()).arg(losses_.back())));
}

void TestTraining::checkpointAndCardRecordTheRun() {
    QVERIFY(std::filesystem::exists(model_));
    QVERIFY(!std::filesystem::exists(model_ + ".checkpoint"));  // removed after a finished run
    LoadedModel m = loadNativeModel(model_);
    QVERIFY2(m, m.error.c_str());
    const ModelCard& card = modelCard(*m.model);
    QCOMPARE(card.input.width, 64);
    QCOMPARE(card.trainDropout, 0.2);
    QVERIFY(card.depthLogVar.has_value() && card.segLogVar.has_value());
    QCOMPARE(card.classes[3].name, std::string("road"));
    QVERIFY(QString::fromStdString(card.json).contains("\"steps\":60"));
}

void TestTraining::evaluationScoresTheTestSet() {
    LoadedModel m = loadNativeModel(model_);
    QVERIFY(m);
    EvalOptions o;
    o.samples = 4;
    o.limit = 4;
    int calls = 0;
    EvalResult r = evaluateModel(m.model, data_, o, [&](int, int) { ++calls; });
    QVERIFY2(r.ok(), r.error.c_str());
    QCOMPARE(r.metrics.images, 4);
    QCOMPARE(calls, 4);
    QVERIFY(r.metrics.rmse > 0 && std::isfinite(r.metrics.rmse));
    QVERIFY(r.metrics.miou > 0 && r.metrics.miou <= 1);
    QVERIFY(r.metrics.pixelAccuracy >= r.metrics.miou - 1e-9 || r.metrics.pixelAccuracy > 0);
    QVERIFY(r.metrics.meanEpistemicVar > 0);
    QCOMPARE(int(r.metrics.classIoU.size()), 8);
}

void TestTraining::badDataIsReported() {
    TrainOptions o;
    o.dataDir = dir_.filePath("nothing").toStdString();
    TrainResult r = trainModel(o);
    QVERIFY(!r.ok());
    QVERIFY2(QString::fromStdString(r.error).contains("no data set manifest"), r.error.c_str());
    // The demo model must never see domain B: a domain mismatch is refused.
    o.dataDir = data_;
    o.domain = "B";
    r = trainModel(o);
    QVERIFY(!r.ok());
    QVERIFY2(QString::fromStdString(r.error).contains("of domain A, training asked for domain B"), r.error.c_str());
    o.domain.clear();
    // A data set whose image is corrupt names that image.
    const std::string broken = dir_.filePath("broken").toStdString();
    StillDatasetOptions d;
    d.dir = broken;
    d.count = 2;
    d.width = 32;
    d.height = 32;
    QCOMPARE(renderStillDataset(d), std::string());
    std::filesystem::resize_file(broken + "/A_000001_rgb.png", 40);
    o.dataDir = broken;
    r = trainModel(o);
    QVERIFY(!r.ok());
    QVERIFY2(QString::fromStdString(r.error).contains("A_000001_rgb.png"), r.error.c_str());
}

void TestTraining::bundledModelLoadsAndItsCardValidates() {
    const std::string path = UVIS_RESOURCES "/models/uvis-street-demo.uvis";
    LoadedModel m = loadNativeModel(path);
    QVERIFY2(m, m.error.c_str());
    const ModelCard& card = modelCard(*m.model);
    QVERIFY(card.depth && card.segmentation);
    QVERIFY(card.input.width >= 256 && card.input.height >= 192);
    QCOMPARE(int(card.classes.size()), 8);
    QCOMPARE(card.classes[0].name, synth::streetClasses()[0].name);
    QVERIFY(card.trainDropout > 0);
    QVERIFY(card.depthLogVar && card.segLogVar);
    QVERIFY(QString::fromStdString(card.json).contains("\"seg_miou\""));  // metrics recorded
    // And it runs.
    UncertaintyEngine engine(m.model);
    ImageTensor input{3, card.input.height, card.input.width,
                      std::vector<float>(3 * card.input.height * card.input.width, 0.f)};
    SamplingSettings s;
    s.samples = 2;
    s.dropout = card.trainDropout;
    SamplingResult r = engine.run(input, s);
    QVERIFY2(r.ok(), r.error.c_str());
}

// Mean ± sample standard deviation, and an ordering holds only where the mean of the
// paired per-seed gaps exceeds twice their standard deviation.
void TestTraining::seedStatisticsAndOrderings() {
    const MeanStd s = meanStd({1.0, 2.0, 4.0});
    QCOMPARE(s.n, 3);
    QVERIFY(std::abs(s.mean - 7.0 / 3) < 1e-12);
    QVERIFY(std::abs(s.std - std::sqrt(((1 - 7.0 / 3) * (1 - 7.0 / 3) + (2 - 7.0 / 3) * (2 - 7.0 / 3) +
                                        (4 - 7.0 / 3) * (4 - 7.0 / 3)) / 2)) < 1e-12);
    QCOMPARE(meanStd({5.0}).std, 0.0);
    // Gaps 1.0, 1.1, 0.9: mean 1.0, std 0.1 → holds.
    QVERIFY(pairedOrdering({2.0, 3.1, 4.9}, {1.0, 2.0, 4.0}).verdict == OrderingVerdict::Holds);
    // The same gaps reversed.
    QVERIFY(pairedOrdering({1.0, 2.0, 4.0}, {2.0, 3.1, 4.9}).verdict == OrderingVerdict::Reversed);
    // Gaps 1, −0.5, 0.8: mean 0.43, std 0.79 → not resolved, although two of three seeds agree.
    const Ordering mixed = pairedOrdering({2.0, 1.5, 4.8}, {1.0, 2.0, 4.0});
    QVERIFY(mixed.verdict == OrderingVerdict::NotResolved);
    QCOMPARE(verdictText(mixed.verdict), std::string("not resolved"));
    // One seed, or garbage, is never resolved.
    QVERIFY(pairedOrdering({9.0}, {1.0}).verdict == OrderingVerdict::NotResolved);
    QVERIFY(pairedOrdering({2.0, std::nan("")}, {1.0, 1.0}).verdict == OrderingVerdict::NotResolved);
}

void TestTraining::ensembleTrainingWritesMembersAndACard() {
    QTemporaryDir dir;
    TrainOptions o;
    o.dataDir = data_;
    o.steps = 4;
    o.batchSize = 2;
    o.width = 8;
    o.seed = 5;
    o.checkpointEvery = 0;
    o.outPath = dir.filePath("street.uvis").toStdString();
    o.name = "street";
    std::vector<int> seen;
    EnsembleTrainResult r = trainEnsemble(o, 3, [&](int k, const TrainProgress&) {
        if (seen.empty() || seen.back() != k) seen.push_back(k);
        return true;
    });
    QVERIFY2(r.ok(), r.error.c_str());
    QCOMPARE(seen, (std::vector<int>{0, 1, 2}));
    QCOMPARE(r.members, (std::vector<std::string>{o.outPath, dir.filePath("street-m2.uvis").toStdString(),
                                                  dir.filePath("street-m3.uvis").toStdString()}));
    QCOMPARE(r.card, dir.filePath("street.ensemble.json").toStdString());
    LoadedModel ensemble = loadModel(r.card);
    QVERIFY2(ensemble, ensemble.error.c_str());
    QCOMPARE(ensembleSize(*ensemble.model), 3);
    QCOMPARE(modelCard(*ensemble.model).name, std::string("street-ensemble3"));
    // Member k trained with seed 5 + k: the cards say so, and the weights differ.
    for (int k = 0; k < 3; ++k) {
        LoadedModel m = loadNativeModel(r.members[k]);
        QVERIFY(m);
        QVERIFY(QString::fromStdString(modelCard(*m.model).json).contains(QString("\"seed\":%1").arg(5 + k)));
    }
    QVERIFY(modelCard(*loadNativeModel(r.members[0]).model).weightsSha256 !=
            modelCard(*loadNativeModel(r.members[1]).model).weightsSha256);
    // Run again: every member is kept, nothing retrained.
    seen.clear();
    EnsembleTrainResult again = trainEnsemble(o, 3, [&](int k, const TrainProgress&) {
        seen.push_back(k);
        return true;
    });
    QVERIFY(again.ok());
    QVERIFY(seen.empty());
    QCOMPARE(again.kept, (std::vector<bool>{true, true, true}));
    QVERIFY(!trainEnsemble(o, 1).ok());
}

void TestTraining::concreteDropoutLearnsRatesIntoTheCard() {
    TrainOptions o = shortRun(data_, dir_.filePath("concrete.uvis").toStdString(), 40, 4);
    o.concreteDropout = true;
    o.trainDropout = 0.2;
    std::vector<double> first;
    TrainResult r = trainModel(o, [&](const TrainProgress& p) {
        if (first.empty()) first = p.dropoutRates;
        return true;
    });
    QVERIFY2(r.ok(), r.error.c_str());
    QCOMPARE(int(first.size()), 2);  // the bottleneck and the skip
    QCOMPARE(int(r.last.dropoutRates.size()), 2);
    LoadedModel m = loadNativeModel(o.outPath);
    QVERIFY2(m, m.error.c_str());
    const ModelCard& card = modelCard(*m.model);
    QVERIFY(card.dropoutScaling == DropoutScaling::Proportional);
    QCOMPARE(int(card.dropoutRates.size()), 2);
    for (size_t i = 0; i < 2; ++i) {
        const double learned = *card.dropoutRates[i].p;
        QVERIFY2(learned > 0 && learned < 1, qPrintable(QString::number(learned)));
        QVERIFY(std::abs(learned - r.last.dropoutRates[i]) < 1e-6);  // the card holds the last rates
        QVERIFY2(std::abs(learned - 0.2) > 1e-4, "the rate did not move from where it started");
    }
    QCOMPARE(card.trainDropout, std::max(*card.dropoutRates[0].p, *card.dropoutRates[1].p));
    QVERIFY(QString::fromStdString(card.json).contains("\"concrete_dropout\""));
    QVERIFY(QString::fromStdString(card.json).contains("\"examples\":12"));
    // The engine runs it, each site at its learned rate (p = train_p: as trained).
    UncertaintyEngine engine(m.model);
    SamplingSettings s;
    s.samples = 4;
    s.dropout = card.trainDropout;
    QVERIFY(engine.run(ImageTensor{3, 48, 64, std::vector<float>(3 * 48 * 64, 0.1f)}, s).ok());
}

QTEST_MAIN(TestTraining)
#include "tst_training.moc"
