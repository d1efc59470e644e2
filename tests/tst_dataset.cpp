// Data sets as tables: shards, inputs in every layout, ground truth in real formats
// with label ids matched explicitly, and pooled metrics from sums — checked by hand.

#include <QTemporaryDir>
#include <QtTest>

#include <opencv2/imgcodecs.hpp>

#include <cmath>
#include <filesystem>
#include <fstream>
#include <map>

#include "core/dataset/dataset_inputs.h"
#include "core/dataset/dataset_table.h"
#include "core/export/result_export.h"
#include "core/dataset/shard.h"
#include "core/io/ground_truth.h"
#include "core/metrics/metrics.h"
#include "core/model/model_card.h"

using namespace uvis;
namespace fs = std::filesystem;

namespace {

void writeText(const fs::path& path, const std::string& text) {
    fs::create_directories(path.parent_path());
    std::ofstream(path) << text;
}

void writeRgb(const fs::path& path, int w = 8, int h = 6) {
    fs::create_directories(path.parent_path());
    cv::imwrite(path.string(), cv::Mat(h, w, CV_8UC3, cv::Scalar(10, 20, 30)));
}

// A 16-bit PNG whose pixels are `value` except the first (0: invalid).
void writeDepth16(const fs::path& path, std::uint16_t value, int w = 8, int h = 6) {
    fs::create_directories(path.parent_path());
    cv::Mat m(h, w, CV_16UC1, cv::Scalar(value));
    m.at<std::uint16_t>(0, 0) = 0;
    cv::imwrite(path.string(), m);
}

void writeLabels(const fs::path& path, const std::vector<std::uint8_t>& ids, int w = 4, int h = 1) {
    fs::create_directories(path.parent_path());
    cv::Mat m(h, w, CV_8UC1);
    for (int i = 0; i < w * h; ++i) m.data[i] = ids[i];
    cv::imwrite(path.string(), m);
}

ModelCard card(const std::string& labelMap = "") {
    const std::string text = R"({"name": "t", "tasks": ["depth", "segmentation"],
        "input": {"width": 64, "height": 48, "mean": [0,0,0], "std": [1,1,1]},
        "depth": {"min": 0, "max": 80}, "dropout": {"train_p": 0.1},
        "classes": [{"name": "sky", "color": [1,1,1]}, {"name": "road", "color": [2,2,2]}, {"name": "car", "color": [3,3,3]}])" +
                             labelMap + "}";
    CardResult r = parseModelCard(text, "test card");
    if (!r.card) qFatal("%s", r.error.c_str());
    return *r.card;
}

std::map<std::string, std::string>* fakeEnvMap() {
    static std::map<std::string, std::string> env;
    return &env;
}
const char* mapEnv(const char* name) {
    const auto it = fakeEnvMap()->find(name);
    return it == fakeEnvMap()->end() ? nullptr : it->second.c_str();
}

ImageRow rowWith(const std::string& name, DepthSums d, double ause, double uncertainty, double absRel) {
    ImageRow r;
    r.image = name;
    r.depthSums = d;
    r.auseRmse = ause;
    r.absRel = absRel;
    r.depthUncertainty = uncertainty;
    return r;
}

}  // namespace

class TestDataset : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void shardsPartitionStably();
    void shardFromSlurmAndKubernetes();
    void kittiDepthIsMetresTimes256();
    void nyuStyleMillimetres();
    void cityscapesLabelsThroughTheCardsLabelMap();
    void labelIdsAreMatchedByNameNotByAccident();
    void manifestsCsvAndJson();
    void foldersAreSearchedRecursivelyWithoutTruthFiles();
    void uvisResultFoldersInsideAreNotInputs();
    void pooledMetricsAreSumsNotAveragesOfAverages();
    void shardsMergeExactlyAndGapsAreReported();
    void tableRoundTripsThroughJson();
    void columnsWithoutValuesGoLast();
    void everyColumnHasItsUnit();
};

void TestDataset::shardsPartitionStably() {
    // FNV-1a 64 of the relative path (reference value computed independently).
    QCOMPARE(stablePathHash("frankfurt/x.png"), 12156307261422175158ull);
    QCOMPARE(stablePathHash("frankfurt\\x.png"), stablePathHash("frankfurt/x.png"));
    std::vector<int> perShard(3, 0);
    for (int i = 0; i < 900; ++i) {
        const std::string name = "seq" + std::to_string(i % 7) + "/img_" + std::to_string(i) + ".png";
        int owners = 0;
        for (int k = 0; k < 3; ++k)
            if (inShard(name, {k, 3})) {
                ++owners;
                ++perShard[k];
            }
        QCOMPARE(owners, 1);
    }
    for (int n : perShard) QVERIFY2(n > 240 && n < 360, qPrintable(QString::number(n)));
    QVERIFY(parseShard("2/3").error.empty());
    QCOMPARE(parseShard("2/3").shard.index, 2);
    for (const char* bad : {"3/3", "1/0", "-1/3", "a/3", "1", "1/3/4", "", "+1/3"})
        QVERIFY2(!parseShard(bad).error.empty(), bad);
}

void TestDataset::shardFromSlurmAndKubernetes() {
    auto& env = *fakeEnvMap();
    env = {{"SLURM_ARRAY_TASK_ID", "5"}, {"SLURM_ARRAY_TASK_MIN", "4"}, {"SLURM_ARRAY_TASK_COUNT", "3"}};
    ShardResult r = shardFromEnvironment(0, mapEnv);
    QVERIFY2(r.error.empty(), r.error.c_str());
    QCOMPARE(r.shard.index, 1);
    QCOMPARE(r.shard.count, 3);
    QVERIFY(!shardFromEnvironment(4, mapEnv).error.empty());  // --shard-count disagrees
    env = {{"JOB_COMPLETION_INDEX", "2"}};
    QVERIFY(QString::fromStdString(shardFromEnvironment(0, mapEnv).error).contains("--shard-count"));
    r = shardFromEnvironment(3, mapEnv);
    QCOMPARE(r.shard.index, 2);
    QVERIFY(!shardFromEnvironment(2, mapEnv).error.empty());  // index 2 of 2
    env.clear();
    QVERIFY(QString::fromStdString(shardFromEnvironment(0, mapEnv).error).contains("SLURM_ARRAY_TASK_ID"));
}

void TestDataset::kittiDepthIsMetresTimes256() {
    QTemporaryDir dir;
    const fs::path root(dir.path().toStdString());
    const fs::path drive = root / "2011_09_26" / "2011_09_26_drive_0002_sync";
    writeRgb(drive / "image_02" / "data" / "0000000005.png");
    writeDepth16(drive / "proj_depth" / "groundtruth" / "image_02" / "0000000005.png", 2560);  // 10 m × 256
    // The depth selection's layout too.
    writeRgb(root / "val_selection_cropped" / "image" / "2011_09_26_drive_0002_sync_image_0000000005_image_02.png");
    writeDepth16(root / "val_selection_cropped" / "groundtruth_depth" /
                     "2011_09_26_drive_0002_sync_groundtruth_depth_0000000005_image_02.png",
                 128);  // 0.5 m
    const DatasetInputs in = collectDatasetInputs({root.string()});
    QVERIFY(in.errors.empty());
    QCOMPARE(in.inputs.size(), size_t(2));  // the depth PNGs are truth, not inputs
    const ModelCard c = card();
    const std::map<std::string, float> expected{{"2011_09_26/2011_09_26_drive_0002_sync/image_02/data/0000000005.png", 10.f},
                                                {"val_selection_cropped/image/2011_09_26_drive_0002_sync_image_0000000005_image_02.png", 0.5f}};
    for (const DatasetInput& i : in.inputs) {
        QVERIFY2(expected.count(i.name), i.name.c_str());
        const GroundTruth g = loadGroundTruth(i.path, {}, true, 8, 6, c);
        QVERIFY(g.errors.empty());
        QCOMPARE(g.depth.values[0], 0.f);  // invalid stays invalid
        QCOMPARE(g.depth.values[1], expected.at(i.name));
        // The metrics by hand: a prediction 1.5 × the truth everywhere, σ² = 0 → RMSE 0.5 × truth,
        // abs-rel 0.5, over the 47 valid pixels.
        UncertaintyMaps maps;
        maps.hasDepth = true;
        maps.depthMean = FloatMap{8, 6, std::vector<float>(48, 1.5f * expected.at(i.name))};
        maps.depthEpistemicVar = FloatMap{8, 6, std::vector<float>(48, 0.f)};
        const MetricsReport m = evaluateMaps(maps, &g.depth, nullptr);
        QVERIFY(m.depth);
        QCOMPARE(m.depth->validPixels, size_t(47));
        QVERIFY(std::abs(m.depth->rmse - 0.5 * expected.at(i.name)) < 1e-6);
        QVERIFY(std::abs(m.depth->absRel - 0.5) < 1e-6);
    }
}

void TestDataset::nyuStyleMillimetres() {
    QTemporaryDir dir;
    const fs::path root(dir.path().toStdString());
    writeRgb(root / "rgb_00017.jpg");
    writeDepth16(root / "depth_00017.png", 2345);
    const TruthPaths p = findTruthFor((root / "rgb_00017.jpg").string());
    QCOMPARE(p.depth, (root / "depth_00017.png").string());
    const DepthTruth d = readDepthTruth(p.depth);
    QCOMPARE(d.map.values[1], 2.345f);
    QCOMPARE(collectDatasetInputs({root.string()}).inputs.size(), size_t(1));
}

void TestDataset::cityscapesLabelsThroughTheCardsLabelMap() {
    QTemporaryDir dir;
    const fs::path root(dir.path().toStdString());
    const fs::path image = root / "leftImg8bit" / "val" / "frankfurt" / "frankfurt_000000_000294_leftImg8bit.png";
    writeRgb(image, 4, 1);
    // labelIds: 7 road, 26 car, 23 sky, 0 unlabeled (not in the map), 255 stays ignored.
    writeLabels(root / "gtFine" / "val" / "frankfurt" / "frankfurt_000000_000294_gtFine_labelIds.png", {7, 26, 0, 23});
    const ModelCard c = card(R"(, "label_map": {"dataset": "cityscapes", "ids": {"7": "road", "26": "car", "23": 0}})");
    QCOMPARE(c.labelMap.ids.at(26), 2);
    const GroundTruth g = loadGroundTruth(image.string(), {}, true, 4, 1, c);
    QVERIFY(g.errors.empty());
    QCOMPARE(g.labels.values, (std::vector<std::uint8_t>{1, 2, kIgnoreLabel, 0}));
    // By hand: predicting road, road, road, sky is right on 2 of the 3 labelled pixels (the
    // unmapped one is ignored): accuracy 2/3; IoU road 1/2, car 0/1, sky 1/1.
    UncertaintyMaps maps;
    maps.hasSegmentation = true;
    maps.classCount = 3;
    maps.segClass = ClassMap{4, 1, {1, 1, 1, 0}};
    maps.segEntropy = FloatMap{4, 1, std::vector<float>(4, 0.1f)};
    maps.segMeanProbabilities = {0, 0, 0, 1, /* road */ 1, 1, 1, 0, /* car */ 0, 0, 0, 0};
    const MetricsReport m = evaluateMaps(maps, nullptr, &g.labels);
    QVERIFY(m.segmentation);
    QCOMPARE(m.segmentation->validPixels, size_t(3));
    QCOMPARE(m.segmentation->pixelAccuracy, 2.0 / 3);
    QCOMPARE(m.segmentation->miou, (0.5 + 0.0 + 1.0) / 3);
    QCOMPARE(m.segmentation->wrongConfident, 1.0 / 3);  // the car pixel, called road at p̄ = 1
    QVERIFY(QString::fromStdString(g.labelMapping).contains("label_map (cityscapes)"));
    QCOMPARE(g.warnings.size(), size_t(1));  // id 0: a quarter of the labelled pixels
    QVERIFY2(QString::fromStdString(g.warnings[0]).contains("25.0 %") &&
                 QString::fromStdString(g.warnings[0]).contains("(0;"),
             g.warnings[0].c_str());
    // A label_map naming no class of the card is refused with the field.
    CardResult bad = parseModelCard(R"({"name": "t", "tasks": ["segmentation"],
        "input": {"width": 64, "height": 48, "mean": [0,0,0], "std": [1,1,1]}, "dropout": {"train_p": 0.1},
        "classes": [{"name": "sky", "color": [1,1,1]}], "label_map": {"ids": {"7": "road"}}})", "c");
    QVERIFY(QString::fromStdString(bad.error).contains("label_map.ids.7"));
}

void TestDataset::labelIdsAreMatchedByNameNotByAccident() {
    // The README's 3-class model (sky, road, car) against the bundled 8-class labels: the data
    // set's manifest names its classes, so ids are matched by name — sky and road only.
    const std::string labels = UVIS_RESOURCES "/samples/domainA/A_000000_labels.png";
    const ModelCard c = card();
    const GroundTruth g = loadGroundTruth(UVIS_RESOURCES "/samples/domainA/A_000000_rgb.png", {}, true, 256, 192, c);
    QVERIFY(g.errors.empty());
    QCOMPARE(QString::fromStdString(g.labelMapping), QString("by class name (the data set's class list)"));
    const LabelTruth raw = readLabelTruth(labels, {});
    size_t sky = 0, road = 0, known = 0, labelled = 0;
    for (size_t i = 0; i < raw.map.values.size(); ++i) {
        const int id = raw.map.values[i];
        if (id == kIgnoreLabel) continue;
        ++labelled;
        sky += id == 0;
        road += id == 3;  // road is id 3 in the data set, class 1 of the model
        known += id == 0 || id == 3;
        QCOMPARE(int(g.labels.values[i]), id == 0 ? 0 : id == 3 ? 1 : int(kIgnoreLabel));
    }
    QVERIFY(sky > 0 && road > 0);
    QString all;
    for (const auto& w : g.warnings) all += QString::fromStdString(w) + "\n";
    QVERIFY2(all.contains("building, pole, sidewalk, vegetation, vehicle, pedestrian are not classes of the model"), qPrintable(all));
    QVERIFY2(all.contains("the model's classes car are not in the data set's class list"), qPrintable(all));
    char share[16];
    std::snprintf(share, sizeof share, "%.1f %%", 100.0 * (labelled - known) / labelled);
    QVERIFY2(all.contains(share), qPrintable(all + share));

    // Without any class list the ids are taken as indices — said, and ids ≥ 3 reported.
    QTemporaryDir dir;
    const fs::path image = fs::path(dir.path().toStdString()) / "x.png";
    writeRgb(image, 4, 1);
    writeLabels(fs::path(dir.path().toStdString()) / "x_labels.png", {0, 1, 5, 255});
    const GroundTruth plain = loadGroundTruth(image.string(), {}, true, 4, 1, c);
    QCOMPARE(plain.labels.values, (std::vector<std::uint8_t>{0, 1, kIgnoreLabel, kIgnoreLabel}));
    QCOMPARE(plain.warnings.size(), size_t(2));
    QVERIFY(QString::fromStdString(plain.warnings[0]).contains("taken as the model's class indices (0 sky, 1 road, 2 car)"));
    QVERIFY(QString::fromStdString(plain.warnings[1]).contains("33.3 % of the labelled pixels have ids the model does not know (5;"));
}

void TestDataset::manifestsCsvAndJson() {
    QTemporaryDir dir;
    const fs::path root(dir.path().toStdString());
    writeRgb(root / "img" / "a, b.png");  // a comma in the name: quoted in the CSV
    writeDepth16(root / "gt" / "a.png", 512);
    writeRgb(root / "img" / "c.png");
    writeText(root / "list.csv", "image,depth,labels,depth_scale\n\"img/a, b.png\",gt/a.png,,256\nimg/c.png,,,\n");
    DatasetInputs m = collectDatasetInputs({(root / "list.csv").string()});
    QVERIFY2(m.errors.empty(), m.errors.empty() ? "" : m.errors[0].c_str());
    QCOMPARE(m.inputs.size(), size_t(2));
    QCOMPARE(m.inputs[0].name, std::string("img/a, b.png"));
    QCOMPARE(m.inputs[0].truth.depth, (root / "gt" / "a.png").string());
    QCOMPARE(m.inputs[0].truth.depthScale, 256.0);
    QVERIFY(m.inputs[0].fromManifest);
    QCOMPARE(readDepthTruth(m.inputs[0].truth.depth, m.inputs[0].truth.depthScale).map.values[1], 2.f);
    QVERIFY(m.inputs[1].truth.depth.empty());

    writeText(root / "list.json", R"({"classes": ["road", "sky"], "images": [{"image": "img/c.png", "labels": "gt/c.png"}]})");
    m = collectDatasetInputs({(root / "list.json").string()});
    QCOMPARE(m.inputs.size(), size_t(1));
    QCOMPARE(m.inputs[0].truth.labelNames, (std::vector<std::string>{"road", "sky"}));
    QCOMPARE(m.inputs[0].truth.labels, (root / "gt" / "c.png").string());

    // Broken manifests are named with the problem.
    writeText(root / "nohead.csv", "file,depth\nimg/c.png,\n");
    m = collectDatasetInputs({(root / "nohead.csv").string()});
    QVERIFY(m.inputs.empty() && QString::fromStdString(m.errors.at(0)).contains("\"image\" column"));
    writeText(root / "scale.csv", "image,depth_scale\nimg/c.png,-3\n");
    m = collectDatasetInputs({(root / "scale.csv").string()});
    QVERIFY(QString::fromStdString(m.errors.at(0)).contains("line 2: depth_scale"));
    writeText(root / "bad.json", "{\"images\": 3}");
    m = collectDatasetInputs({(root / "bad.json").string()});
    QVERIFY(QString::fromStdString(m.errors.at(0)).contains("bad.json: not a manifest"));
    writeText(root / "empty.json", "{\"images\": []}");
    QVERIFY(QString::fromStdString(collectDatasetInputs({(root / "empty.json").string()}).errors.at(0)).contains("lists no images"));
}

void TestDataset::foldersAreSearchedRecursivelyWithoutTruthFiles() {
    const DatasetInputs in = collectDatasetInputs({UVIS_RESOURCES "/samples"});
    QVERIFY(in.errors.empty());
    std::vector<std::string> names;
    for (const auto& i : in.inputs) names.push_back(i.name);
    QCOMPARE(names.size(), size_t(9));  // 4 + 4 stills and the video; no _depth, _labels, manifest.json
    QCOMPARE(names.front(), std::string("domainA/A_000000_rgb.png"));
    QVERIFY(in.inputs.back().video);
    // One name twice (two folders with the same file names) is refused, not merged.
    QTemporaryDir a, b;
    writeRgb(fs::path(a.path().toStdString()) / "x.png");
    writeRgb(fs::path(b.path().toStdString()) / "x.png");
    const DatasetInputs twice = collectDatasetInputs({a.path().toStdString(), b.path().toStdString()});
    QVERIFY(QString::fromStdString(twice.errors.at(0)).contains("a second input named 'x.png'"));
}

void TestDataset::uvisResultFoldersInsideAreNotInputs() {
    // An export inside the data set (a folder with summary.json and its pictures) and uvis-cli's
    // per-image output: skipped, with everything below them; a plain sub-folder is searched.
    QTemporaryDir dir;
    const fs::path root = dir.path().toStdString();
    writeRgb(root / "a.png");
    writeRgb(root / "more" / "b.png");
    writeRgb(root / "a-uvis" / "depth.png");
    writeRgb(root / "a-uvis" / "view_input.png");
    writeText(root / "a-uvis" / "summary.json", "{}");
    writeRgb(root / "out" / "a" / "overlay.png");
    writeText(root / "out" / "a" / "summary.json", "{}");
    const DatasetInputs in = collectDatasetInputs({root.string()});
    std::vector<std::string> names;
    for (const auto& i : in.inputs) names.push_back(i.name);
    QCOMPARE(names, (std::vector<std::string>{"a.png", "more/b.png"}));
}

void TestDataset::pooledMetricsAreSumsNotAveragesOfAverages() {
    // Image 1: 1 pixel, squared error 100; image 2: 99 pixels, squared error 0 each.
    DepthSums a, b;
    a.pixels = 1;
    a.squaredError = 100;
    a.relativeError = 0.5;
    a.within95 = 0;
    b.pixels = 99;
    b.squaredError = 0;
    b.relativeError = 0.99;
    b.within95 = 99;
    DatasetTable t;
    t.add(rowWith("b.png", b, 0.2, 0.1, 0.01));
    t.add(rowWith("a.png", a, 0.4, 0.9, 0.5));
    QCOMPARE(t.rows.front().image, std::string("a.png"));
    const PooledMetrics p = pooledMetrics(t);
    QVERIFY(p.depth);
    QCOMPARE(p.depth->rmse, 1.0);                  // √(100 / 100), not the mean of 10 and 0
    QCOMPARE(p.depth->absRel, (0.5 + 0.99) / 100);
    QCOMPARE(p.depth->coverage95, 0.99);
    QCOMPARE(p.ause, 0.3);                         // AUSE: the mean of per-image AUSE
    QCOMPARE(p.aurocDepthImages, 1.0);             // the worse image is the more uncertain one
    // Segmentation: ECE over all pixels' bins, mIoU from the summed intersections and unions.
    SegmentationSums s1, s2;
    s1.pixels = 4;
    s1.correct = 3;
    s1.intersection = {3, 0};
    s1.unionCount = {4, 1};
    s1.binCount = {0, 4};
    s1.binConfidence = {0, 3.6};
    s1.binCorrect = {0, 3};
    s2 = s1;
    s2.correct = 4;
    s2.intersection = {2, 2};
    s2.unionCount = {2, 2};
    s2.binCorrect = {0, 4};
    ImageRow r1, r2;
    r1.image = "s1";
    r1.segSums = s1;
    r2.image = "s2";
    r2.segSums = s2;
    DatasetTable seg;
    seg.add(r1);
    seg.add(r2);
    const PooledMetrics q = pooledMetrics(seg);
    QCOMPARE(q.segmentation->pixelAccuracy, 7.0 / 8);
    QCOMPARE(q.segmentation->miou, (5.0 / 6 + 2.0 / 3) / 2);
    QCOMPARE(q.segmentation->ece, std::abs(7.0 / 8 - 0.9));
}

void TestDataset::shardsMergeExactlyAndGapsAreReported() {
    DatasetTable whole;
    whole.settings.cardSha256 = "ab";
    whole.settings.samples = 8;
    whole.inputsTotal = 30;
    std::vector<DatasetTable> shards(3);
    for (int k = 0; k < 3; ++k) {
        shards[k].settings = whole.settings;
        shards[k].shardIndex = k;
        shards[k].shardCount = 3;
        shards[k].inputsTotal = 30;
    }
    for (int i = 0; i < 30; ++i) {
        DepthSums d;
        d.pixels = 1000 + i;
        d.squaredError = 0.1 * i * i + 1.0 / 3;
        d.relativeError = std::sqrt(double(i));
        d.nll = std::log(1.0 + i);
        const ImageRow row = rowWith("img" + std::to_string(i), d, 0.01 * i, std::sin(i), std::cos(i));
        whole.add(row);
        for (int k = 0; k < 3; ++k)
            if (inShard(row.image, {k, 3})) shards[k].add(row);
    }
    TableResult m = mergeShards(shards, {"s0", "s1", "s2"});
    QVERIFY2(m.error.empty(), m.error.c_str());
    QCOMPARE(m.table.rows.size(), size_t(30));
    for (size_t i = 0; i < 30; ++i) QCOMPARE(m.table.rows[i].image, whole.rows[i].image);
    const PooledMetrics a = pooledMetrics(whole), b = pooledMetrics(m.table);
    QVERIFY(std::abs(a.depth->rmse - b.depth->rmse) < 1e-12);
    QVERIFY(std::abs(a.depth->nll - b.depth->nll) < 1e-12);
    QVERIFY(std::abs(a.ause - b.ause) < 1e-12);
    QCOMPARE(a.aurocDepthImages, b.aurocDepthImages);
    // A missing shard, a duplicated one, and a shard of another run.
    QVERIFY(QString::fromStdString(mergeShards({shards[0], shards[2]}, {"s0", "s2"}).error).contains("shard 1/3 is missing"));
    QVERIFY(QString::fromStdString(mergeShards({shards[0], shards[1], shards[1], shards[2]}, {"s0", "s1", "s1b", "s2"}).error)
                .contains("shard 1/3 is given twice: s1 and s1b"));
    DatasetTable other = shards[2];
    other.settings.samples = 16;
    QVERIFY(QString::fromStdString(mergeShards({shards[0], shards[1], other}, {"s0", "s1", "x"}).error)
                .contains("x was run with other settings than s0 (T 16 vs 8)"));
}

void TestDataset::tableRoundTripsThroughJson() {
    DatasetTable t;
    t.settings.modelName = "m";
    t.settings.cardSha256 = "ff";
    t.inputsTotal = 3;
    DepthSums d;
    d.pixels = 7;
    d.squaredError = 1.0 / 3;
    ImageRow r = rowWith("x/y.png", d, 0.125, 0.1, 0.2);
    r.maps.push_back({"depth_epistemic_var", 0.5, std::nan("")});
    r.warnings.push_back("w");
    t.add(r);
    t.failed.emplace_back("z.png", "broken");
    const TableResult back = parseDatasetJson(datasetJson(t), "t");
    QVERIFY2(back.error.empty(), back.error.c_str());
    QCOMPARE(datasetJson(back.table), datasetJson(t));
    QCOMPARE(datasetCsv(back.table), datasetCsv(t));
    QVERIFY(QString::fromStdString(datasetCsv(t)).contains("x/y.png,0,0,0.5,nan,"));
    QVERIFY(!parseDatasetJson("{}", "f.json").error.empty());
}

// The dock's columns: without ground truth the error columns (all "–") go after the maps, so
// the uncertainty columns are the ones in view; with truth the errors lead.
void TestDataset::columnsWithoutValuesGoLast() {
    ImageRow bare;
    bare.image = "a.png";
    bare.maps = {{"depth_epistemic_var", 0.5, 1.5}, {"seg_mutual_info", 0.1, 0.3}};
    bare.depthUncertainty = 0.2;
    const std::vector<std::string> noTruth = displayColumns({&bare, nullptr});
    QCOMPARE(QString::fromStdString(noTruth[0]), QString("image"));
    QCOMPARE(QString::fromStdString(noTruth[1]), QString("depth_epistemic_var_mean"));
    QCOMPARE(QString::fromStdString(noTruth[2]), QString("seg_mutual_info_mean"));
    auto at = [](const std::vector<std::string>& c, const char* name) {
        return std::find(c.begin(), c.end(), name) - c.begin();
    };
    QVERIFY(at(noTruth, "depth_uncertainty") < at(noTruth, "abs_rel"));
    QVERIFY(at(noTruth, "abs_rel") < static_cast<long>(noTruth.size()));
    QVERIFY(at(noTruth, "width") == static_cast<long>(noTruth.size()));  // not a column for people
    ImageRow truth = bare;
    truth.absRel = 0.12;
    truth.rmse = 3.4;
    const std::vector<std::string> withTruth = displayColumns({&bare, &truth});
    QCOMPARE(QString::fromStdString(withTruth[1]), QString("abs_rel"));
    QCOMPARE(QString::fromStdString(withTruth[2]), QString("rmse"));
    QCOMPARE(displayColumns({nullptr}).size(), size_t(1));  // nothing scored yet: the image alone
}

// Each column header can say its unit: the maps' units as their .npy files have them, metres for
// depth errors, nats for entropies and NLLs, none for ratios and shares.
void TestDataset::everyColumnHasItsUnit() {
    QCOMPARE(columnUnit("rmse"), std::string("m"));
    QCOMPARE(columnUnit("ause_rmse"), std::string("m"));
    QCOMPARE(columnUnit("depth_epistemic_var_mean"), std::string("m²"));
    QCOMPARE(columnUnit("depth_epistemic_logvar_p95"), std::string("(log m)²"));
    QCOMPARE(columnUnit("seg_mutual_info_mean"), std::string("nats"));
    QCOMPARE(columnUnit("seg_nll"), std::string("nats"));
    QCOMPARE(columnUnit("abs_rel"), std::string());
    QCOMPARE(columnUnit("miou"), std::string());
    QCOMPARE(columnUnit("image"), std::string());
    QCOMPARE(columnUnit("_mean"), std::string());
    UncertaintyMaps all;  // every map a model can have
    all.hasDepth = all.hasSegmentation = true;
    all.depthAleatoricVar = all.depthAleatoricLogVar = all.segLogitVar = FloatMap{1, 1, {0.f}};
    const std::vector<NamedMap> maps = namedMaps(all);
    QCOMPARE(maps.size(), size_t(11));
    for (const NamedMap& m : maps) {
        QVERIFY(!m.unit.empty());
        QCOMPARE(columnUnit(m.name + "_mean"), m.unit);
    }
}

QTEST_GUILESS_MAIN(TestDataset)
#include "tst_dataset.moc"
