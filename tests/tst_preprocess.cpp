// Image → model input per the card: layout, scaling, normalisation and resizing.

#include <QtTest>

#include <cmath>

#include "core/engine/preprocess.h"

using namespace uvis;

class TestPreprocess : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void normalisesInChwOrder();
    void resizesToTheCardSize();
    void rejectsMalformedImages();
};

namespace {
InputSpec spec(int w, int h) {
    InputSpec s;
    s.width = w;
    s.height = h;
    s.mean = {0.5f, 0.25f, 0.f};
    s.std = {0.5f, 0.25f, 2.f};
    return s;
}
}  // namespace

void TestPreprocess::normalisesInChwOrder() {
    // 2×1 image: a red pixel, then a white one.
    RgbImage img{2, 1, {255, 0, 0, 255, 255, 255}};
    ImageTensor t = toModelInput(img, spec(2, 1));
    QCOMPARE(t.channels, 3);
    QCOMPARE(int(t.values.size()), 6);
    const std::vector<float> expected{(1 - 0.5f) / 0.5f, (1 - 0.5f) / 0.5f,   // R of both pixels
                                      (0 - 0.25f) / 0.25f, (1 - 0.25f) / 0.25f,  // G
                                      0.f, 1.f / 2.f};                          // B
    for (size_t i = 0; i < expected.size(); ++i)
        QVERIFY2(std::abs(t.values[i] - expected[i]) < 1e-6f, qPrintable(QString::number(i)));
}

void TestPreprocess::resizesToTheCardSize() {
    RgbImage img{40, 30, std::vector<std::uint8_t>(40 * 30 * 3, 0)};
    for (size_t i = 0; i < img.pixels.size(); i += 3) img.pixels[i] = 255;  // uniform red
    ImageTensor t = toModelInput(img, spec(16, 12));
    QCOMPARE(t.width, 16);
    QCOMPARE(t.height, 12);
    QCOMPARE(int(t.values.size()), 3 * 16 * 12);
    for (int i = 0; i < 16 * 12; ++i) {
        QVERIFY(std::abs(t.values[i] - 1.f) < 1e-5f);        // R: (1 − .5)/.5
        QVERIFY(std::abs(t.values[192 + i] + 1.f) < 1e-5f);  // G: (0 − .25)/.25
    }
    ImageTensor up = toModelInput(img, spec(80, 64));  // enlarging works too
    QCOMPARE(up.width, 80);
}

void TestPreprocess::rejectsMalformedImages() {
    QVERIFY(toModelInput(RgbImage{}, spec(4, 4)).values.empty());
    QVERIFY(toModelInput(RgbImage{4, 4, std::vector<std::uint8_t>(10)}, spec(4, 4)).values.empty());
}

QTEST_MAIN(TestPreprocess)
#include "tst_preprocess.moc"
