// The street renderer: deterministic, sane ground truth, the two domains really differ.

#include <QtTest>

#include <cmath>
#include <set>

#include "core/synth/ray_caster.h"

using namespace uvis;
using namespace uvis::synth;

class TestSynth : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void sameSeedGivesIdenticalBytes();
    void otherSeedGivesAnotherScene();
    void groundTruthIsSane_data();
    void groundTruthIsSane();
    void scenesHoldEveryClass();
    void domainBLooksDifferent();
    void sequencesMove();
};

namespace {
RenderedFrame renderOne(std::uint64_t seed, Domain d = Domain::A, float time = 0.f) {
    RenderOptions o;
    o.width = 128;
    o.height = 96;
    o.time = time;
    return renderStreet(generateStreetScene(seed, d), o);
}
double meanBrightness(const RenderedFrame& f) {
    double s = 0;
    for (auto v : f.rgb) s += v;
    return s / f.rgb.size();
}
}  // namespace

void TestSynth::sameSeedGivesIdenticalBytes() {
    const RenderedFrame a = renderOne(42), b = renderOne(42);
    QCOMPARE(a.rgb, b.rgb);
    QCOMPARE(a.depth, b.depth);
    QCOMPARE(a.labels, b.labels);
}

void TestSynth::otherSeedGivesAnotherScene() {
    QVERIFY(renderOne(42).rgb != renderOne(43).rgb);
    QVERIFY(renderOne(42).labels != renderOne(43).labels);
}

void TestSynth::groundTruthIsSane_data() {
    QTest::addColumn<int>("seed");
    QTest::addColumn<int>("domain");
    for (int s = 1; s <= 4; ++s) {
        QTest::newRow(qPrintable(QString("A seed %1").arg(s))) << s << 0;
        QTest::newRow(qPrintable(QString("B seed %1").arg(s))) << s << 1;
    }
}

void TestSynth::groundTruthIsSane() {
    QFETCH(int, seed);
    QFETCH(int, domain);
    const RenderedFrame f = renderOne(static_cast<std::uint64_t>(seed), domain ? Domain::B : Domain::A);
    QCOMPARE(int(f.rgb.size()), 128 * 96 * 3);
    int skyPixels = 0, roadPixels = 0, roadAtCap = 0;
    for (size_t i = 0; i < f.depth.size(); ++i) {
        QVERIFY2(std::isfinite(f.depth[i]) && f.depth[i] > 0.f && f.depth[i] <= kSkyDepth,
                 qPrintable(QString::number(f.depth[i])));
        QVERIFY(f.labels[i] < ClassCount);
        if (f.labels[i] == Sky) {
            ++skyPixels;
            // Sky is far (label noise may move a boundary pixel by one: allow a near neighbour).
            const bool edge = i % 128 == 0 || i % 128 == 127;
            if (!edge && f.labels[i - 1] == Sky && f.labels[i + 1] == Sky) QCOMPARE(f.depth[i], kSkyDepth);
        }
        if (f.labels[i] == Road) {
            ++roadPixels;
            roadAtCap += f.depth[i] >= kSkyDepth;  // road beyond 80 m, at the horizon
        }
    }
    QVERIFY(skyPixels > 0);
    QVERIFY(roadPixels > 0);
    QVERIFY2(roadAtCap < roadPixels / 20, qPrintable(QString("%1 of %2").arg(roadAtCap).arg(roadPixels)));
    // The bottom row looks at the ground close by.
    QVERIFY(f.depth[static_cast<size_t>(95) * 128 + 64] < 15.f);
}

void TestSynth::scenesHoldEveryClass() {
    std::set<int> seen;
    for (std::uint64_t s = 1; s <= 12; ++s)
        for (auto l : renderOne(s).labels) seen.insert(l);
    QCOMPARE(int(seen.size()), int(ClassCount));
    QCOMPARE(int(streetClasses().size()), int(ClassCount));
}

void TestSynth::domainBLooksDifferent() {
    double a = 0, b = 0;
    for (std::uint64_t s = 1; s <= 6; ++s) {
        a += meanBrightness(renderOne(s, Domain::A));
        b += meanBrightness(renderOne(s, Domain::B));
    }
    QVERIFY2(b < 0.8 * a, qPrintable(QString("A %1, B %2").arg(a).arg(b)));  // dusk, night, fog
}

void TestSynth::sequencesMove() {
    StreetScene scene = generateStreetScene(5, Domain::A, 200.f);
    scene.camera.velocity = {0, 0, 8.f};
    RenderOptions o;
    o.width = 96;
    o.height = 64;
    const RenderedFrame f0 = renderStreet(scene, o);
    o.time = 0.5f;
    const RenderedFrame f1 = renderStreet(scene, o);
    QVERIFY(f0.depth != f1.depth);
}

QTEST_MAIN(TestSynth)
#include "tst_synth.moc"
