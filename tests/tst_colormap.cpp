// Colormaps, robust ranges, legends and resampling to the display size.

#include <QtTest>

#include <cmath>

#include "core/imaging/colormap.h"
#include "core/imaging/legend.h"
#include "core/imaging/resample.h"

using namespace uvis;

class TestColormap : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void endpointsMatchTheReferenceColormaps_data();
    void endpointsMatchTheReferenceColormaps();
    void robustRangeIgnoresOutliersAndNaN();
    void flatMapGetsANonEmptyRange();
    void colorizeClampsAndMarksNaNTransparent();
    void classesUseTheCardPalette();
    void legendTicksAreNiceNumbersWithUnits_data();
    void legendTicksAreNiceNumbersWithUnits();
    void resamplingKeepsClassIds();
    void parsesColormapNames();
};

void TestColormap::endpointsMatchTheReferenceColormaps_data() {
    QTest::addColumn<int>("map");
    QTest::addColumn<float>("t");
    QTest::addColumn<int>("r");
    QTest::addColumn<int>("g");
    QTest::addColumn<int>("b");
    // matplotlib's viridis/magma/inferno and Google's turbo.
    QTest::newRow("viridis 0") << int(Colormap::Viridis) << 0.f << 68 << 1 << 84;
    QTest::newRow("viridis 1") << int(Colormap::Viridis) << 1.f << 253 << 231 << 37;
    QTest::newRow("magma 0") << int(Colormap::Magma) << 0.f << 0 << 0 << 4;
    QTest::newRow("magma 1") << int(Colormap::Magma) << 1.f << 252 << 253 << 191;
    QTest::newRow("inferno 1") << int(Colormap::Inferno) << 1.f << 252 << 255 << 164;
    QTest::newRow("turbo 0") << int(Colormap::Turbo) << 0.f << 48 << 18 << 59;
}

void TestColormap::endpointsMatchTheReferenceColormaps() {
    QFETCH(int, map);
    QFETCH(float, t);
    QFETCH(int, r);
    QFETCH(int, g);
    QFETCH(int, b);
    const auto c = colormapColor(static_cast<Colormap>(map), t);
    QVERIFY2(std::abs(c[0] - r) <= 3 && std::abs(c[1] - g) <= 3 && std::abs(c[2] - b) <= 3,
             qPrintable(QString("%1 %2 %3").arg(c[0]).arg(c[1]).arg(c[2])));
}

void TestColormap::robustRangeIgnoresOutliersAndNaN() {
    FloatMap m{101, 1, {}};
    for (int i = 0; i <= 100; ++i) m.values.push_back(float(i));
    m.values[50] = 1e9f;  // one wild pixel
    m.values[51] = std::nanf("");
    const ValueRange r = robustRange(m);
    QVERIFY2(std::abs(r.low - 2.f) <= 1.f, qPrintable(QString::number(r.low)));
    QVERIFY2(std::abs(r.high - 98.f) <= 1.5f, qPrintable(QString::number(r.high)));
}

void TestColormap::flatMapGetsANonEmptyRange() {
    const ValueRange zero = robustRange(FloatMap{2, 2, {0.f, 0.f, 0.f, 0.f}});
    QVERIFY(zero.high > zero.low);
    QVERIFY(zero.low >= 0.f);  // uncertainties are never negative: do not invent negative ticks
    const ValueRange five = robustRange(FloatMap{1, 2, {5.f, 5.f}});
    QVERIFY(five.low < 5.f && five.high > 5.f);
}

void TestColormap::colorizeClampsAndMarksNaNTransparent() {
    FloatMap m{4, 1, {-10.f, 0.f, 1.f, std::nanf("")}};
    RgbaImage img = colorize(m, Colormap::Viridis, {0.f, 1.f});
    QCOMPARE(img.width, 4);
    const auto low = colormapColor(Colormap::Viridis, 0.f), high = colormapColor(Colormap::Viridis, 1.f);
    QCOMPARE(img.pixels[0], low[0]);  // clamped to the bottom of the range
    QCOMPARE(img.pixels[4 + 1], low[1]);
    QCOMPARE(img.pixels[8 + 2], high[2]);
    QCOMPARE(img.pixels[3], std::uint8_t(255));
    QCOMPARE(img.pixels[15], std::uint8_t(0));  // NaN: transparent
}

void TestColormap::classesUseTheCardPalette() {
    std::vector<ClassInfo> classes{{"sky", {70, 130, 180}}, {"road", {128, 64, 128}}};
    RgbaImage img = colorizeClasses(ClassMap{3, 1, {1, 0, 7}}, classes);
    QCOMPARE(img.pixels[0], std::uint8_t(128));
    QCOMPARE(img.pixels[6], std::uint8_t(180));
    QCOMPARE(img.pixels[11], std::uint8_t(0));  // id 7 has no class: transparent
}

void TestColormap::legendTicksAreNiceNumbersWithUnits_data() {
    QTest::addColumn<float>("low");
    QTest::addColumn<float>("high");
    QTest::addColumn<QString>("unit");
    QTest::addColumn<QStringList>("labels");
    QTest::newRow("metres 0–1") << 0.f << 1.f << "m" << QStringList{"0.00 m", "0.25 m", "0.50 m", "0.75 m", "1.00 m"};
    QTest::newRow("nats") << 0.013f << 0.087f << "nats" << QStringList{"0.02 nats", "0.04 nats", "0.06 nats", "0.08 nats"};
    QTest::newRow("depth 2–80") << 2.f << 80.f << "m" << QStringList{"20 m", "40 m", "60 m", "80 m"};
    QTest::newRow("negative") << -1.f << 1.f << "" << QStringList{"-1.0", "-0.5", "0.0", "0.5", "1.0"};
}

void TestColormap::legendTicksAreNiceNumbersWithUnits() {
    QFETCH(float, low);
    QFETCH(float, high);
    QFETCH(QString, unit);
    QFETCH(QStringList, labels);
    const Legend legend = makeLegend({low, high}, unit.toStdString());
    QStringList got;
    for (const auto& t : legend.ticks) {
        got << QString::fromStdString(t.label);
        QVERIFY(t.position >= -1e-6f && t.position <= 1.f + 1e-6f);
        QVERIFY(std::abs(t.position - (t.value - low) / (high - low)) < 1e-5f);
    }
    QCOMPARE(got, labels);
}

void TestColormap::resamplingKeepsClassIds() {
    const FloatMap up = resizeBilinear(FloatMap{2, 1, {0.f, 1.f}}, 4, 1);
    QCOMPARE(up.width, 4);
    QVERIFY(std::abs(up.values[0] - 0.f) < 1e-6f && std::abs(up.values[1] - 0.25f) < 1e-6f);
    QVERIFY(std::abs(up.values[2] - 0.75f) < 1e-6f && std::abs(up.values[3] - 1.f) < 1e-6f);
    const ClassMap classes = resizeNearest(ClassMap{2, 2, {1, 3, 5, 7}}, 5, 3);
    QCOMPARE(classes.values.size(), size_t(15));
    for (auto v : classes.values) QVERIFY(v == 1 || v == 3 || v == 5 || v == 7);  // never blended
}

void TestColormap::parsesColormapNames() {
    Colormap m;
    QVERIFY(parseColormap("Magma", &m));
    QCOMPARE(m, Colormap::Magma);
    QVERIFY(!parseColormap("jet", &m));
    QCOMPARE(colormapName(Colormap::Turbo), std::string("turbo"));
}

QTEST_MAIN(TestColormap)
#include "tst_colormap.moc"
