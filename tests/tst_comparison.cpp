// Two configurations on one image (A/B): the difference views are B − A exactly, in a
// diverging colormap whose neutral middle is zero; side by side, A and B share one range per map,
// so that a colour means one value in both; the modes cycle as the keyboard switch does. The
// ComparisonSession: B starts from A's model, settings and image, follows A's model until the user
// opens another, runs its own method, and is scored against the image's ground truth.

#include <QtTest>

#include <cmath>

#include "core/imaging/comparison_views.h"
#include "core/services/sessions/comparison_session.h"
#include "core/services/sessions/samples_note.h"

using namespace uvis;

namespace {

const QString kModel = UVIS_RESOURCES "/models/uvis-street-demo.uvis";
const QString kSample = UVIS_RESOURCES "/samples/domainB/B_000000_rgb.png";  // with truth beside it
const QString kUserModel = UVIS_TEST_DATA "/models/encode_decode.pt";
constexpr int kWait = 300000;  // a bound for a busy machine and a sanitizer build, not a measure

ValidatorCommand appValidator() { return {UVIS_APP, {"--check-model"}}; }

FloatMap filled(int w, int h, float (*f)(int x, int y)) {
    FloatMap m{w, h, std::vector<float>(static_cast<size_t>(w) * h)};
    for (int y = 0; y < h; ++y)
        for (int x = 0; x < w; ++x) m.values[static_cast<size_t>(y) * w + x] = f(x, y);
    return m;
}

// Depth and segmentation maps of a 20×10 image: depth 10 m (+ `extra` × x / 19 in B), epistemic
// variance 1 (A) or 4 (B), classes 0 (A) and 1 in B's right quarter.
UncertaintyMaps maps(bool b) {
    UncertaintyMaps m;
    m.samplesDone = m.samplesRequested = 8;
    m.hasDepth = m.hasSegmentation = true;
    m.classCount = 2;
    m.depthMean = b ? filled(20, 10, [](int x, int) { return 10.f + 2.f * x / 19.f; })
                    : filled(20, 10, [](int, int) { return 10.f; });
    m.depthEpistemicVar = b ? filled(20, 10, [](int, int) { return 4.f; }) : filled(20, 10, [](int, int) { return 1.f; });
    m.depthAleatoricVar = filled(20, 10, [](int, int) { return 0.25f; });
    m.depthEpistemicLogVar = m.depthAleatoricLogVar = filled(20, 10, [](int, int) { return 0.01f; });
    m.segClass = ClassMap{20, 10, std::vector<std::uint8_t>(200, 0)};
    if (b)
        for (int y = 0; y < 10; ++y)
            for (int x = 15; x < 20; ++x) m.segClass.values[y * 20 + x] = 1;
    for (FloatMap* f : {&m.segConfidence, &m.segEntropy, &m.segExpectedEntropy, &m.segMutualInfo})
        *f = filled(20, 10, [](int, int) { return 0.5f; });
    return m;
}

ModelCard card() {
    ModelCard c;
    c.name = "fixture";
    c.classes = {ClassInfo{"road", {128, 64, 128}}, ClassInfo{"car", {0, 0, 142}}};
    return c;
}

std::array<std::uint8_t, 3> pixel(const RgbaImage& image, int x, int y) {
    const std::uint8_t* p = &image.pixels[(static_cast<size_t>(y) * image.width + x) * 4];
    return {p[0], p[1], p[2]};
}

RgbImage input() { return RgbImage{20, 10, std::vector<std::uint8_t>(600, 90)}; }

}  // namespace

class TestComparison : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void differenceIsBMinusAAroundANeutralZero();
    void differenceOfMapsOfOtherSizesAndNonFinitePixels();
    void classChangesShowBWhereItDiffers();
    void sideBySideSharesOneRangePerMap();
    void modesCycleAndParse();
    void eachSlotNamesTheSamplesItShows();
    void sessionFollowsAAndScoresB();
};

void TestComparison::differenceIsBMinusAAroundANeutralZero() {
    const UncertaintyMaps a = maps(false), b = maps(true);
    const ModelCard c = card();
    DisplayOptions o;  // depth task, epistemic σ
    const auto views = renderComparison(CompareMode::Difference, input(), {&a, &c, "A"}, {&b, &c, "B"}, o, nullptr);
    QCOMPARE(int(views.size()), kViewCount);
    QCOMPARE(views[0].title, std::string("Input"));
    const RenderedView& depth = views[1];
    QCOMPARE(depth.title, std::string("B − A: depth μ"));
    QCOMPARE(depth.colormap, Colormap::CoolWarm);
    // B − A runs from 0 to 2 m across: a range symmetric about zero, its 98th percentile of |d|.
    QVERIFY(depth.legend);
    QCOMPARE(depth.legend->range.low, -depth.legend->range.high);
    QVERIFY(depth.legend->range.high > 1.9f && depth.legend->range.high <= 2.f);
    // Zero is the neutral middle (grey); the largest difference the warm end.
    const auto middle = colormapColor(Colormap::CoolWarm, 0.5f);
    QCOMPARE(pixel(depth.image, 0, 5), middle);
    QVERIFY(middle[0] == middle[1] && middle[1] == middle[2]);
    QCOMPARE(pixel(depth.image, 19, 5), colormapColor(Colormap::CoolWarm, 1.f));
    QVERIFY(colormapColor(Colormap::CoolWarm, 0.f)[2] > colormapColor(Colormap::CoolWarm, 0.f)[0]);  // cool: blue
    // Epistemic σ: 2 − 1 = 1 m everywhere; a flat difference is still drawn in its sign's colour.
    const RenderedView& epistemic = views[4];
    QCOMPARE(epistemic.title, std::string("B − A: depth epistemic σ"));
    // The chosen measure is epistemic σ too: its title names its role, so no two titles read alike.
    QCOMPARE(views[5].title, std::string("B − A: epistemic σ, the chosen measure"));
    QCOMPARE(views[3].title, std::string("B − A: depth aleatoric σ"));
    const FloatMap d = differenceMap(measureMap(a, Measure::DepthEpistemicStd), measureMap(b, Measure::DepthEpistemicStd));
    for (float v : d.values) QCOMPARE(v, 1.f);
    QCOMPARE(epistemic.legend->range.high, 1.f);
    QCOMPARE(pixel(epistemic.image, 3, 3), colormapColor(Colormap::CoolWarm, 1.f));
    // Aleatoric σ is equal: all neutral, in a unit range rather than an empty one.
    QCOMPARE(views[3].legend->range.high, 1.f);
    QCOMPARE(pixel(views[3].image, 7, 2), middle);
    // Before both results exist the views say so.
    const auto waiting = renderComparison(CompareMode::Difference, input(), {&a, &c, "A"}, {nullptr, &c, "B"}, o, nullptr);
    QCOMPARE(waiting[4].message, std::string("waiting for both results"));
}

void TestComparison::differenceOfMapsOfOtherSizesAndNonFinitePixels() {
    FloatMap a = filled(4, 2, [](int, int) { return 1.f; });
    a.values[0] = std::nanf("");
    const FloatMap b = filled(8, 4, [](int, int) { return 3.f; });  // another model's input size
    const FloatMap d = differenceMap(a, b);
    QCOMPARE(d.width, 4);
    QCOMPARE(d.height, 2);
    QVERIFY(std::isnan(d.values[0]));
    for (size_t i = 1; i < d.values.size(); ++i) QCOMPARE(d.values[i], 2.f);
    const ValueRange r = symmetricRange(d);
    QCOMPARE(r.low, -2.f);
    QCOMPARE(r.high, 2.f);
}

void TestComparison::classChangesShowBWhereItDiffers() {
    const UncertaintyMaps a = maps(false), b = maps(true);
    const ModelCard c = card();
    const auto views = renderComparison(CompareMode::Difference, input(), {&a, &c, "A"}, {&b, &c, "B"}, DisplayOptions{}, nullptr);
    const RenderedView& seg = views[2];
    QCOMPARE(seg.title, std::string("Segmentation: B differs from A at 25.0 % of pixels"));
    QCOMPARE(pixel(seg.image, 17, 4), (std::array<std::uint8_t, 3>{0, 0, 142}));  // B's car
    const auto same = pixel(seg.image, 3, 4);  // both road: greyed
    QVERIFY(same[0] == same[1] && same[1] == same[2]);
}

// A view never claims another run's samples: the input picture has none, B's views B's, and a
// difference both; A ran 16 samples, B 3.
void TestComparison::eachSlotNamesTheSamplesItShows() {
    AnalysedFrame a, b;
    QCOMPARE(slotSamplesNote(CompareMode::Off, 1, a, b), std::string());  // before the first samples
    UncertaintyMaps ma = maps(false), mb = maps(true);
    ma.samplesDone = ma.samplesRequested = 16;
    mb.samplesDone = mb.samplesRequested = 3;
    a.maps = std::make_shared<const UncertaintyMaps>(ma);
    b.maps = std::make_shared<const UncertaintyMaps>(mb);
    QCOMPARE(slotSamplesNote(CompareMode::Off, 0, a, b), std::string());
    QCOMPARE(slotSamplesNote(CompareMode::Off, 4, a, b), std::string("16 / 16 samples"));
    QCOMPARE(slotSamplesNote(CompareMode::A, 0, a, b), std::string());
    QCOMPARE(slotSamplesNote(CompareMode::B, 2, a, b), std::string("3 / 3 samples"));
    QCOMPARE(slotSamplesNote(CompareMode::Both, 0, a, b), std::string("16 / 16 samples"));  // A's prediction
    QCOMPARE(slotSamplesNote(CompareMode::Both, 3, a, b), std::string("3 / 3 samples"));
    QCOMPARE(slotSamplesNote(CompareMode::Difference, 0, a, b), std::string());
    QCOMPARE(slotSamplesNote(CompareMode::Difference, 5, a, b), std::string("A 16 / 16 · B 3 / 3 samples"));
    a.frameIndex = 7;
    QCOMPARE(slotSamplesNote(CompareMode::Off, 1, a, b), std::string("16 / 16 samples · frame 7"));
    QCOMPARE(slotSamplesNote(CompareMode::Difference, 1, a, b), std::string("A 16 / 16 · B 3 / 3 samples · frame 7"));
    // A video frame sampled across frames says which samples are its own.
    UncertaintyMaps carried = ma;
    carried.samplesDone = carried.samplesRequested = 2;
    carried.carriedSamples = 14;
    a.maps = std::make_shared<const UncertaintyMaps>(carried);
    QCOMPARE(slotSamplesNote(CompareMode::Off, 1, a, b), std::string("2 fresh + 14 carried samples · frame 7"));
}

void TestComparison::sideBySideSharesOneRangePerMap() {
    const UncertaintyMaps a = maps(false), b = maps(true);
    const ModelCard c = card();
    DisplayOptions o;
    const auto views = renderComparison(CompareMode::Both, input(), {&a, &c, "A"}, {&b, &c, "B"}, o, nullptr);
    // Row one A's depth, aleatoric, epistemic; row two B's.
    QCOMPARE(views[0].title, std::string("A · Depth μ"));
    QCOMPARE(views[3].title, std::string("B · Depth μ"));
    QVERIFY(QString::fromStdString(views[2].title).startsWith("A · Epistemic"));
    QVERIFY(QString::fromStdString(views[5].title).startsWith("B · Epistemic"));
    for (int col = 0; col < 3; ++col) {
        QVERIFY(views[col].legend && views[col + 3].legend);
        QCOMPARE(views[col].legend->range.low, views[col + 3].legend->range.low);
        QCOMPARE(views[col].legend->range.high, views[col + 3].legend->range.high);
    }
    // One range over both: A's σ = 1 m and B's σ = 2 m at its ends, so A is dark and B bright.
    QCOMPARE(views[2].legend->range.low, 1.f);
    QCOMPARE(views[2].legend->range.high, 2.f);
    QCOMPARE(pixel(views[2].image, 5, 5), colormapColor(o.colormap, 0.f));
    QCOMPARE(pixel(views[5].image, 5, 5), colormapColor(o.colormap, 1.f));
    // A typed range applies to both; the segmentation task puts the classes first.
    o.rangeMode = RangeMode::Manual;
    o.manualRange = {0.f, 4.f};
    o.task = UncertaintyTask::Segmentation;
    o.measure = Measure::SegMutualInfo;
    const auto seg = renderComparison(CompareMode::Both, input(), {&a, &c, "A"}, {&b, &c, "B"}, o, nullptr);
    QCOMPARE(seg[0].title, std::string("A · Segmentation"));
    QCOMPARE(seg[5].legend->range.high, 4.f);
    // A alone is exactly renderViews; B alone names B.
    const auto onlyB = renderComparison(CompareMode::B, input(), {&a, &c, "A"}, {&b, &c, "B"}, DisplayOptions{}, nullptr);
    QCOMPARE(onlyB[1].title, std::string("B · Depth μ"));
    QCOMPARE(onlyB[1].image.pixels, renderViews(input(), &b, c, DisplayOptions{}, nullptr)[1].image.pixels);
    const auto off = renderComparison(CompareMode::Off, input(), {&a, &c, "A"}, {&b, &c, "B"}, DisplayOptions{}, nullptr);
    QCOMPARE(off[4].title, renderViews(input(), &a, c, DisplayOptions{}, nullptr)[4].title);
}

void TestComparison::modesCycleAndParse() {
    CompareMode m = CompareMode::A;
    QList<CompareMode> seen;
    for (int i = 0; i < 4; ++i) seen << (m = nextCompareMode(m));
    QCOMPARE(seen, (QList<CompareMode>{CompareMode::B, CompareMode::Both, CompareMode::Difference, CompareMode::A}));
    QCOMPARE(nextCompareMode(CompareMode::Off), CompareMode::Off);
    QVERIFY(parseCompareMode("difference", &m));
    QCOMPARE(m, CompareMode::Difference);
    QVERIFY(!parseCompareMode("sideways", &m));
    QCOMPARE(compareModeName(CompareMode::Difference), std::string("B − A"));
}

void TestComparison::sessionFollowsAAndScoresB() {
    Workspace w(appValidator(), kModel);
    ComparisonSession compare(w, appValidator());
    SamplingSettings s;
    s.samples = 4;
    s.dropout = 0.2;
    w.analysis().setSettings(s);
    w.openModel(kModel);
    w.openFile(kSample);
    QVERIFY(QTest::qWaitFor([&] { return w.analysis().latest().final && w.evaluation().hasMetrics(); }, kWait));
    QVERIFY(!compare.b().hasModel());  // nothing runs until asked

    // The keyboard's switch from off: side by side; B starts as A on the image on screen.
    compare.cycleMode();
    QCOMPARE(compare.mode(), CompareMode::Both);
    QVERIFY(QTest::qWaitFor([&] { return compare.b().latest().final; }, kWait));
    QCOMPARE(compare.b().modelPath(), kModel);
    QCOMPARE(compare.b().settings().samples, 4);
    QCOMPARE(compare.b().latest().image().width, w.displayed().width);
    // Same configuration, same seed: the same maps as A.
    QCOMPARE(compare.b().latest().maps->depthMean.values, w.analysis().latest().maps->depthMean.values);
    // B's metrics, against the same truth as A's.
    QVERIFY(QTest::qWaitFor([&] { return compare.hasMetricsB(); }, kWait));
    QCOMPARE(compare.metricsB().depth->rmse, w.evaluation().metrics().depth->rmse);

    // B changes its method; A stays as it was.
    SamplingSettings tta = compare.b().settings();
    tta.method = UncertaintyMethod::Tta;
    compare.b().setSettings(tta);
    QVERIFY(QTest::qWaitFor([&] {
        const AnalysedFrame& f = compare.b().latest();
        return f.final && f.settings.method == UncertaintyMethod::Tta && compare.hasMetricsB();
    }, kWait));
    QCOMPARE(w.analysis().settings().method, UncertaintyMethod::McDropout);
    QVERIFY(compare.metricsB().depth->rmse != w.evaluation().metrics().depth->rmse);
    QVERIFY(ComparisonSession::describe(compare.b()).contains("tta, T 4, p 0.00"));

    // A opens another model: B follows it (checked in a child process, as A's is).
    w.openModel(kUserModel);
    QVERIFY(QTest::qWaitFor([&] { return compare.b().hasModel() && compare.b().modelPath() == kUserModel; }, kWait));
    // B's own model stops the following; "A's model" restores it.
    compare.openModelB(kModel);
    QVERIFY(QTest::qWaitFor([&] { return compare.b().modelPath() == kModel; }, kWait));
    QVERIFY(!compare.followsModelA());
    compare.followModelA();
    QVERIFY(QTest::qWaitFor([&] { return compare.b().modelPath() == kUserModel; }, kWait));

    // Off stops B and clears its metrics.
    compare.setMode(CompareMode::Off);
    QVERIFY(!compare.active() && !compare.hasMetricsB() && !compare.runningB());
}

QTEST_MAIN(TestComparison)
#include "tst_comparison.moc"
