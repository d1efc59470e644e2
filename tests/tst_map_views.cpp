// The presentation layer of the application's views: which map each view shows, the σ
// conversions, the fixed range across a video, the threshold highlight and the overlay blend.

#include <QtTest>

#include <cmath>

#include "core/export/overlay_frames.h"
#include "core/imaging/error_views.h"
#include "core/imaging/map_views.h"
#include "core/imaging/screen_copy.h"
#include "core/engine/pixel_inspector.h"
#include "synthetic_maps.h"

using namespace uvis;

namespace {

const RenderedView& find(const std::vector<RenderedView>& views, ViewId id) {
    for (const RenderedView& v : views)
        if (v.id == id) return v;
    qFatal("view missing");
}

}  // namespace

class TestMapViews : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void viewsOfALargePhotoAreDrawnAtScreenSize();
    void aModelWithoutDepthShowsItsSegmentation();
    void errorViewsSayWhyTheyAreEmpty();
    void inspectorAddsTheTruthAtTheScenePoint();
    void aModelWithoutDepthVarianceSaysSo();
    void convertedDepthSaysFromWhat();
    void measureMapsConvertVariancesToSigma_data();
    void measureMapsConvertVariancesToSigma();
    void sixViewsWithUnits();
    void missingMapsSayWhy();
    void beforeAnyImageTheViewsSaySo();
    void fixedRangeHoldsAcrossFrames();
    void automaticRangeIsFixedOnVideoOnly();
    void partialResultsDoNotFixTheRange();
    void manualRangeAppliesToUncertaintyOnly();
    void thresholdHighlightsOnlyPixelsAbove();
    void overlayBlendsAtTheInputSize();
    void overlayVideoFramesCarryTheirLegend();
    void errorViewsSortPixelsFourWays();
};

void TestMapViews::measureMapsConvertVariancesToSigma_data() {
    QTest::addColumn<int>("measure");
    QTest::addColumn<float>("expected");  // at the last pixel
    const float last = 47.f / 48.f;
    QTest::newRow("epistemic σ = √var") << int(Measure::DepthEpistemicStd) << std::sqrt(9.f * last);
    QTest::newRow("aleatoric σ = √var") << int(Measure::DepthAleatoricStd) << std::sqrt(4.f * last);
    QTest::newRow("total σ = √(aleatoric + epistemic)") << int(Measure::DepthTotalStd) << std::sqrt(13.f * last);
    QTest::newRow("mutual information as is") << int(Measure::SegMutualInfo) << 0.2f * last;
    QTest::newRow("predictive entropy as is") << int(Measure::SegPredictiveEntropy) << 0.7f * last;
}

void TestMapViews::measureMapsConvertVariancesToSigma() {
    QFETCH(int, measure);
    QFETCH(float, expected);
    const FloatMap m = measureMap(depthAndSeg(1.f), static_cast<Measure>(measure));
    QCOMPARE(m.values.size(), size_t(48));
    QVERIFY(std::abs(m.values.back() - expected) < 1e-5f);
}

void TestMapViews::sixViewsWithUnits() {
    const UncertaintyMaps maps = depthAndSeg(1.f);
    DisplayOptions o;
    auto views = renderViews(grey(16, 12, 100), &maps, card(), o, nullptr);
    QCOMPARE(int(views.size()), kViewCount);
    QCOMPARE(find(views, ViewId::Depth).legend->unit, std::string("m"));
    QCOMPARE(find(views, ViewId::Epistemic).legend->unit, std::string("m"));
    QCOMPARE(find(views, ViewId::Segmentation).classes.size(), size_t(2));
    QVERIFY(find(views, ViewId::Epistemic).legend->ticks.back().label.find(" m") != std::string::npos);
    o.task = UncertaintyTask::Segmentation;
    o.measure = Measure::SegMutualInfo;
    views = renderViews(grey(16, 12, 100), &maps, card(), o, nullptr);
    QCOMPARE(find(views, ViewId::Aleatoric).legend->unit, std::string("nats"));
    QVERIFY(QString::fromStdString(find(views, ViewId::Aleatoric).title).contains("expected entropy"));
    QVERIFY(QString::fromStdString(find(views, ViewId::Epistemic).title).contains("mutual information"));
}

void TestMapViews::missingMapsSayWhy() {
    UncertaintyMaps maps = depthAndSeg(1.f);
    maps.hasDepth = false;
    const auto views = renderViews(grey(16, 12, 100), &maps, card(), DisplayOptions{}, nullptr);
    QVERIFY(find(views, ViewId::Depth).image.pixels.empty());
    QVERIFY(QString::fromStdString(find(views, ViewId::Depth).message).contains("no depth"));
    const auto waiting = renderViews(grey(16, 12, 100), nullptr, card(), DisplayOptions{}, nullptr);
    QVERIFY(QString::fromStdString(find(waiting, ViewId::Epistemic).message).contains("waiting"));
}

void TestMapViews::fixedRangeHoldsAcrossFrames() {
    DisplayOptions o;
    o.rangeMode = RangeMode::FixedAcrossVideo;
    RangeMemory memory;
    const UncertaintyMaps first = depthAndSeg(1.f), second = depthAndSeg(3.f);
    const auto a = renderViews(grey(8, 6, 0), &first, card(), o, &memory);
    const auto b = renderViews(grey(8, 6, 0), &second, card(), o, &memory);
    QCOMPARE(find(b, ViewId::Epistemic).legend->range.high, find(a, ViewId::Epistemic).legend->range.high);
    o.rangeMode = RangeMode::AutoPerFrame;
    const auto c = renderViews(grey(8, 6, 0), &second, card(), o, &memory);
    QVERIFY(find(c, ViewId::Epistemic).legend->range.high > find(a, ViewId::Epistemic).legend->range.high * 1.5f);
}

// The default: per frame on a still image, fixed across a video (a legend that does not jump).
void TestMapViews::automaticRangeIsFixedOnVideoOnly() {
    QVERIFY(DisplayOptions{}.rangeMode == RangeMode::Automatic);
    QVERIFY(resolvedRangeMode(RangeMode::Automatic, true) == RangeMode::FixedAcrossVideo);
    QVERIFY(resolvedRangeMode(RangeMode::Automatic, false) == RangeMode::AutoPerFrame);
    for (RangeMode chosen : {RangeMode::AutoPerFrame, RangeMode::FixedAcrossVideo, RangeMode::Manual})
        for (bool video : {false, true}) QVERIFY(resolvedRangeMode(chosen, video) == chosen);
    DisplayOptions o;
    o.rangeMode = resolvedRangeMode(o.rangeMode, true);
    RangeMemory memory;
    const UncertaintyMaps first = depthAndSeg(1.f), second = depthAndSeg(3.f);
    const auto a = renderViews(grey(8, 6, 0), &first, card(), o, &memory);
    const auto b = renderViews(grey(8, 6, 0), &second, card(), o, &memory);
    QCOMPARE(find(b, ViewId::Epistemic).legend->range.high, find(a, ViewId::Epistemic).legend->range.high);
}

void TestMapViews::partialResultsDoNotFixTheRange() {
    DisplayOptions o;
    o.rangeMode = RangeMode::FixedAcrossVideo;
    RangeMemory memory;
    const UncertaintyMaps partial = depthAndSeg(1.f, false);
    renderViews(grey(8, 6, 0), &partial, card(), o, &memory);
    QVERIFY(memory.ranges.empty());
}

void TestMapViews::manualRangeAppliesToUncertaintyOnly() {
    DisplayOptions o;
    o.rangeMode = RangeMode::Manual;
    o.manualRange = {0.5f, 2.5f};
    const UncertaintyMaps maps = depthAndSeg(1.f);
    const auto views = renderViews(grey(8, 6, 0), &maps, card(), o, nullptr);
    QCOMPARE(find(views, ViewId::Epistemic).legend->range.high, 2.5f);
    QCOMPARE(find(views, ViewId::Selected).legend->range.low, 0.5f);
    QVERIFY(find(views, ViewId::Depth).legend->range.high > 10.f);  // depth keeps metres of depth
}

void TestMapViews::thresholdHighlightsOnlyPixelsAbove() {
    DisplayOptions o;
    o.overlay = false;
    o.threshold = true;
    o.thresholdValue = 2.f;  // epistemic σ = 3·√(i/48): above 2 from i = 22 on
    const UncertaintyMaps maps = depthAndSeg(1.f);
    const RenderedView v = find(renderViews(grey(8, 6, 0), &maps, card(), o, nullptr), ViewId::Selected);
    int highlighted = 0;
    for (size_t i = 0; i < 48; ++i) {
        const bool cyan = v.image.pixels[i * 4] == 0 && v.image.pixels[i * 4 + 1] == 255 && v.image.pixels[i * 4 + 2] == 255;
        const bool above = 3.f * std::sqrt(static_cast<float>(i) / 48.f) > 2.f;
        QCOMPARE(cyan, above);
        highlighted += cyan;
    }
    QCOMPARE(highlighted, 48 - 22);
    QCOMPARE(*v.threshold, 2.f);
}

void TestMapViews::overlayBlendsAtTheInputSize() {
    FloatMap flat{4, 3, std::vector<float>(12, 1.f)};
    const RgbImage input = grey(8, 6, 200);
    const RgbaImage zero = blendOver(input, flat, Colormap::Viridis, {0.f, 2.f}, 0.f, std::nullopt);
    QCOMPARE(zero.width, 8);
    QCOMPARE(int(zero.pixels[0]), 200);  // opacity 0: the input
    const RgbaImage full = blendOver(input, flat, Colormap::Viridis, {0.f, 2.f}, 1.f, std::nullopt);
    const auto mid = colormapColor(Colormap::Viridis, 0.5f);
    for (int c = 0; c < 3; ++c) QVERIFY(std::abs(int(full.pixels[c]) - int(mid[c])) <= 2);  // opacity 1: the map
}

// Every frame of an overlay video says what its colours mean: a strip under the picture with the
// colour bar from the low end to the high end, in one range for the whole video.
void TestMapViews::overlayVideoFramesCarryTheirLegend() {
    OverlayFrames frames(defaultOverlayDisplay(card()));
    const UncertaintyMaps first = depthAndSeg(1.f), second = depthAndSeg(3.f);
    const RgbImage a = frames.picture(grey(80, 60, 0), first);
    QCOMPARE(a.width, 80);
    QCOMPARE(a.height, 60 + kLegendStripHeight);
    const ValueRange fixed = frames.ranges().ranges.at(ViewId::Selected);
    const RgbImage b = frames.picture(grey(80, 60, 0), second);
    QCOMPARE(b.height, a.height);  // one size for every frame of the video
    QCOMPARE(frames.ranges().ranges.at(ViewId::Selected).high, fixed.high);  // no jumping legend
    // The colour bar: the colormap's low end at the left, its high end at the right.
    auto at = [&](int x, int y) {
        const std::uint8_t* p = &b.pixels[(static_cast<size_t>(y) * b.width + x) * 3];
        return std::array<std::uint8_t, 3>{p[0], p[1], p[2]};
    };
    const Colormap colormap = defaultOverlayDisplay(card()).colormap;
    QCOMPARE(at(8, 60 + 8), colormapColor(colormap, 0.f));
    QCOMPARE(at(80 - 9, 60 + 8), colormapColor(colormap, 1.f));
    // Text in OpenCV's ASCII font: the units and Greek letters spelled out.
    QCOMPARE(asciiText("epistemic σ over the input (m²) −1"), std::string("epistemic sigma over the input (m^2) -1"));
    QCOMPARE(asciiText("é"), std::string());
}

// A segmentation-only model on data with depth truth, and truth whose ids are none of the model's
// classes: each error view says why it is empty instead of "no ground truth" or a blank picture.
void TestMapViews::errorViewsSayWhyTheyAreEmpty() {
    UncertaintyMaps maps;
    maps.samplesDone = maps.samplesRequested = 2;
    maps.hasSegmentation = true;
    maps.classCount = 3;
    maps.segClass = ClassMap{4, 1, {0, 1, 2, 0}};
    maps.segConfidence = maps.segEntropy = maps.segMutualInfo = FloatMap{4, 1, {0.5f, 0.5f, 0.5f, 0.5f}};
    const FloatMap depthTruth{4, 1, {10, 10, 10, 10}};
    const ClassMap otherIds{4, 1, {7, 26, 255, 33}};  // Cityscapes-like ids, no label_map
    DisplayOptions o;
    o.task = UncertaintyTask::Depth;
    o.measure = Measure::SegMutualInfo;
    const RenderedErrorViews e = renderErrorViews(maps, TruthMaps{&depthTruth, &otherIds}, o);
    QCOMPARE(e.views[0].message, std::string("this model does not predict depth"));
    QVERIFY2(e.views[1].message.find("no labelled pixel is one of this model's 3 classes") != std::string::npos,
             e.views[1].message.c_str());
    QCOMPARE(e.views[2].message, std::string("this model does not predict depth"));
}

void TestMapViews::errorViewsSortPixelsFourWays() {
    // Four pixels: right/certain, right/uncertain, wrong/uncertain, wrong/confident; one invalid.
    UncertaintyMaps maps;
    maps.samplesDone = maps.samplesRequested = 4;
    maps.hasDepth = true;
    maps.depthMean = FloatMap{5, 1, {10, 10, 20, 20, 10}};
    maps.depthAleatoricVar = FloatMap{5, 1, {0, 0, 0, 0, 0}};
    maps.depthEpistemicVar = FloatMap{5, 1, {0.01f, 4, 4, 0.01f, 4}};  // σ 0.1, 2, 2, 0.1, 2
    const FloatMap truth{5, 1, {10, 10, 10, 10, 0}};                   // 20 vs 10: off by 100 %
    DisplayOptions o;
    o.measure = Measure::DepthEpistemicStd;
    o.threshold = true;
    o.thresholdValue = 1.f;
    const RenderedErrorViews e = renderErrorViews(maps, TruthMaps{&truth, nullptr}, o);
    QCOMPARE(int(e.views.size()), kErrorViewCount);
    QCOMPARE(e.counts.rightCertain, size_t(1));
    QCOMPARE(e.counts.rightUncertain, size_t(1));
    QCOMPARE(e.counts.wrongUncertain, size_t(1));
    QCOMPARE(e.counts.wrongConfident, size_t(1));
    const auto& picture = e.views[2].image.pixels;
    QCOMPARE(int(picture[3 * 4]), int(FourWayColours::wrongConfident[0]));
    QCOMPARE(int(picture[4 * 4 + 3]), 0);  // invalid truth: transparent
    QCOMPARE(e.views[0].legend->unit, std::string("m"));
    QVERIFY(!e.views[1].message.empty());  // no labels: the view says so
}

// Before any image is open the views say so (they used to say "waiting for the first samples",
// also when a file could not be opened); with an image and no result yet, they wait.
void TestMapViews::beforeAnyImageTheViewsSaySo() {
    const std::vector<RenderedView> none = renderViews(RgbImage{}, nullptr, card(), DisplayOptions{}, nullptr);
    QCOMPARE(int(none.size()), kViewCount);
    for (const RenderedView& v : none) {
        QVERIFY(v.image.pixels.empty());
        QVERIFY2(v.message.find("no image open") == 0, v.message.c_str());
    }
    const std::vector<RenderedView> waiting = renderViews(grey(8, 6, 100), nullptr, card(), DisplayOptions{}, nullptr);
    QVERIFY(!waiting[0].image.pixels.empty());
    QCOMPARE(waiting[1].message, std::string("waiting for the first samples"));
}

// Truth at the image's size (16×12), maps at the model's (8×6): both read at one scene point.
void TestMapViews::inspectorAddsTheTruthAtTheScenePoint() {
    const UncertaintyMaps maps = depthAndSeg(1.f);
    FloatMap depth{16, 12, std::vector<float>(16 * 12, 5.f)};
    depth.values[static_cast<size_t>(9) * 16 + 6] = 0.f;  // invalid at scene point (0.4, 0.79)
    ClassMap labels{16, 12, std::vector<std::uint8_t>(16 * 12, 0)};
    labels.values[static_cast<size_t>(3) * 16 + 12] = 255;  // ignored at (0.79, 0.29)
    PixelReport r = inspectPixel(maps, card().classes, 2, 3);  // scene point (0.3, 0.55)
    addTruth(&r, maps, &depth, &labels, card().classes, 0.3, 0.55);
    QVERIFY(r.trueDepth && r.depthError);
    QCOMPARE(*r.trueDepth, 5.f);
    QCOMPARE(*r.depthError, *r.depthMean - 5.f);
    QCOMPARE(r.trueClass->name, std::string("sky"));
    QCOMPARE(*r.classCorrect, false);  // the maps say road everywhere
    PixelReport invalid = inspectPixel(maps, card().classes, 3, 4);
    addTruth(&invalid, maps, &depth, &labels, card().classes, 0.4, 0.79);
    QVERIFY(invalid.hasDepthTruth && !invalid.trueDepth);
    PixelReport ignored = inspectPixel(maps, card().classes, 6, 1);
    addTruth(&ignored, maps, &depth, &labels, card().classes, 0.79, 0.29);
    QVERIFY(ignored.hasLabelTruth && !ignored.trueClass && !ignored.classCorrect);
}

// No depth_logvar: the aleatoric view and the inspector say "not predicted by this model"; the
// predictive σ is the epistemic one alone.
void TestMapViews::aModelWithoutDepthVarianceSaysSo() {
    UncertaintyMaps maps = depthAndSeg(1.f);
    maps.depthAleatoricVar = FloatMap{};
    RangeMemory ranges;
    DisplayOptions o;
    o.task = UncertaintyTask::Depth;
    const auto views = renderViews(grey(8, 6, 90), &maps, card(), o, &ranges);
    const RenderedView& aleatoric = find(views, ViewId::Aleatoric);
    QVERIFY(aleatoric.image.pixels.empty());
    QVERIFY2(aleatoric.message.find("not predicted by this model") != std::string::npos, aleatoric.message.c_str());
    QVERIFY(!find(views, ViewId::Epistemic).image.pixels.empty());
    const FloatMap total = measureMap(maps, Measure::DepthTotalStd), epistemic = measureMap(maps, Measure::DepthEpistemicStd);
    QCOMPARE(total.values, epistemic.values);
    const PixelReport r = inspectPixel(maps, card().classes, 2, 3);
    QVERIFY(r.depthMean && !r.aleatoricStd && r.epistemicStd);
}

void TestMapViews::convertedDepthSaysFromWhat() {
    const UncertaintyMaps maps = depthAndSeg(1.f);
    ModelCard c = card();
    RangeMemory ranges;
    QCOMPARE(find(renderViews(grey(8, 6, 90), &maps, c, DisplayOptions{}, &ranges), ViewId::Depth).title,
             std::string("Depth μ"));
    c.depthSpec.kind = DepthSpec::Kind::Disparity;
    const RenderedView depth = find(renderViews(grey(8, 6, 90), &maps, c, DisplayOptions{}, &ranges), ViewId::Depth);
    QCOMPARE(depth.title, std::string("Depth μ (converted from disparity)"));
    QCOMPARE(depth.legend->unit, std::string("m"));
}

void TestMapViews::aModelWithoutDepthShowsItsSegmentation() {
    ModelCard segOnly = card();
    segOnly.depth = false;
    DisplayOptions o;
    o.colormap = Colormap::Viridis;
    const DisplayOptions shown = displayForModel(o, segOnly);
    QCOMPARE(int(shown.task), int(UncertaintyTask::Segmentation));
    QCOMPARE(int(shown.measure), int(Measure::SegMutualInfo));
    QCOMPARE(int(shown.colormap), int(Colormap::Viridis));  // the rest as the user set it
    QCOMPARE(int(displayForModel(o, card()).measure), int(o.measure));  // a depth model: unchanged
}

// A 4000×3000 photo: its screen copy is 2048×1536, area-averaged (a 2×2 checkerboard of black
// and white becomes grey), made once per image; an image that fits is shown as it is, uncopied.
void TestMapViews::viewsOfALargePhotoAreDrawnAtScreenSize() {
    auto photo = std::make_shared<RgbImage>();
    photo->width = 4000;
    photo->height = 3000;
    photo->pixels.resize(4000 * 3000 * 3);
    for (int y = 0; y < 3000; ++y)
        for (int x = 0; x < 4000; ++x)
            for (int c = 0; c < 3; ++c) photo->pixels[(static_cast<size_t>(y) * 4000 + x) * 3 + c] = (x + y) % 2 ? 255 : 0;
    ScreenCopy copies;
    const SharedImage shared = photo;
    const RgbImage& reduced = copies.of(shared);
    QCOMPARE(reduced.width, kScreenCopySide);
    QCOMPARE(reduced.height, 1536);
    QVERIFY(std::abs(int(reduced.pixels[3 * (768 * 2048 + 1024)]) - 128) <= 2);
    QCOMPARE(&copies.of(shared), &reduced);  // the same copy while the image stays
    // The views over the input take its size, none is larger, and all keep the scene's shape.
    const UncertaintyMaps maps = depthAndSeg(1.f);
    int overInput = 0;
    DisplayOptions overlay;
    overlay.overlay = true;
    for (const RenderedView& v : renderViews(reduced, &maps, card(), overlay, nullptr)) {
        if (v.image.pixels.empty()) continue;
        QVERIFY(v.image.width <= reduced.width);
        QCOMPARE(v.image.width * reduced.height, v.image.height * reduced.width);
        overInput += v.image.width == reduced.width;
    }
    QCOMPARE(overInput, 2);  // the input and the chosen measure over it
    const SharedImage small = std::make_shared<const RgbImage>(reduceToFit(*photo, 200));
    QCOMPARE(small->width, 200);
    QCOMPARE(small->height, 150);
    QCOMPARE(&copies.of(small), small.get());  // fits: no copy
    QVERIFY(copies.of(nullptr).pixels.empty());
}

QTEST_MAIN(TestMapViews)
#include "tst_map_views.moc"
