// Exported pictures: sheet.png has a header that says what it shows (file,
// model, method, T, p, seed, date), titles and legends drawn at the final size in a font readable
// in print, and cells with the input's aspect ratio; every exported view at the input's shape.

#include <QtTest>

#include "core/imaging/legend.h"
#include "core/imaging/map_views.h"
#include "synthetic_maps.h"
#include "ui/view_export.h"
#include "ui/view_picture.h"

using namespace uvis;

namespace {

// Rows of `image` between y0 and y1 that hold a dark (text) pixel.
int inkRows(const QImage& image, int y0, int y1) {
    int rows = 0;
    for (int y = y0; y < y1; ++y)
        for (int x = 0; x < image.width(); ++x)
            if (qGray(image.pixel(x, y)) < 100) {
                ++rows;
                break;
            }
    return rows;
}

SheetHeader header() {
    SheetHeader h;
    h.input = "/data/street/frame_0042.png";
    h.model = "uvis-street-demo (resources/models/uvis-street-demo.uvis)";
    h.samples = 16;
    h.dropout = 0.2;
    h.seed = 7;
    h.date = "2026-11-29T17:00:00";
    return h;
}

}  // namespace

class TestViewPictures : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void tickLabelsNeverRunTogether() {
        // A tight depth range in a narrow view: 4.00 … 4.10 m in steps of 0.02 on 120 px.
        const Legend legend = makeLegend(ValueRange{4.0f, 4.1f}, "m", 6);
        QVERIFY(legend.ticks.size() >= 5);
        const QFontMetrics fm{QFont()};
        const QRect area(0, 0, 120, 40), bar(4, 2, 112, 10);
        const auto labels = tickLabels(legend, bar, area, fm);
        QVERIFY(!labels.empty());
        QVERIFY(labels.size() < legend.ticks.size());  // some had to go
        for (size_t i = 1; i < labels.size(); ++i)
            QVERIFY2(labels[i].second.left() > labels[i - 1].second.right(),
                     qPrintable(labels[i - 1].first + " / " + labels[i].first));
        // The range's ends come first: the narrow bar still says what its first shade means.
        QCOMPARE(labels.front().first, QString("4.00 m"));
        // With room enough every tick stays, beside both ends ("4.00 m" is a tick and the low end:
        // shown once).
        const auto wide = tickLabels(legend, QRect(4, 2, 1200, 10), QRect(0, 0, 1210, 40), fm);
        QStringList shown;
        for (const auto& label : wide) shown << label.first;
        QCOMPARE(shown.front(), QString::fromStdString(legend.lowLabel));
        QCOMPARE(shown.back(), QString::fromStdString(legend.highLabel));
        for (const LegendTick& t : legend.ticks) QVERIFY2(shown.contains(QString::fromStdString(t.label)), t.label.c_str());
        QCOMPARE(shown.removeDuplicates(), 0);
        // Ends that are not nice numbers: depth 2.13 … 87.37 m says so at both ends.
        const Legend depth = makeLegend(ValueRange{2.13f, 87.37f}, "m");
        QCOMPARE(QString::fromStdString(depth.lowLabel), QString("2.13 m"));
        QCOMPARE(QString::fromStdString(depth.highLabel), QString("87.4 m"));
        const auto depthLabels = tickLabels(depth, QRect(4, 2, 300, 10), QRect(0, 0, 310, 40), fm);
        QCOMPARE(depthLabels.front().first, QString("2.13 m"));
        QCOMPARE(depthLabels.back().first, QString("87.4 m"));
        for (size_t i = 1; i < depthLabels.size(); ++i) QVERIFY(depthLabels[i].second.left() > depthLabels[i - 1].second.right());
    }
    void headerLineNamesTheSettings() {
        const QString line = sheetHeaderLine(header());
        for (const char* part : {"MC dropout", "T = 16", "p = 0.20", "seed 7", "2026-11-29T17:00:00"})
            QVERIFY2(line.contains(part), qPrintable(line));
    }

    void sheetHasAHeaderBandAndReadableText() {
        const UncertaintyMaps maps = depthAndSeg(1.f);
        RangeMemory ranges;
        const auto views = renderViews(grey(8, 6, 90), &maps, card(), DisplayOptions{}, &ranges);
        const QImage sheet = compositeSheet(views, header(), 560);
        QCOMPARE(sheet.width(), 3 * 560);  // cells at their final width: no text shrunk afterwards
        const QFont title = exportFont(sheet.width() / 2, true), text = exportFont(sheet.width() / 2);
        QVERIFY(exportFont(560).pixelSize() >= 14);
        const int line1 = QFontMetrics(title).height(), line2 = QFontMetrics(text).height();
        // Three lines of header text: input, model, settings.
        QVERIFY2(inkRows(sheet, 8, 8 + line1) >= line1 / 3, "the input line");
        QVERIFY2(inkRows(sheet, 12 + line1, 12 + line1 + line2) >= line2 / 3, "the model line");
        QVERIFY2(inkRows(sheet, 12 + line1 + line2, 12 + line1 + 2 * line2) >= line2 / 3, "the settings line");
    }

    void cellsKeepTheInputsAspectRatio() {
        // 500×200 input: every cell's picture is 560×224, so the sheet is the header plus two rows
        // of (title + 224 + legend); a 4:3 cell would be 420 high.
        const UncertaintyMaps maps = depthAndSeg(1.f);
        RangeMemory ranges;
        auto views = renderViews(grey(8, 6, 90), &maps, card(), DisplayOptions{}, &ranges);
        for (RenderedView& v : views)
            if (!v.image.pixels.empty()) v.image = RgbaImage{500, 200, std::vector<std::uint8_t>(500 * 200 * 4, 200)};
        const QImage wide = compositeSheet(views, header(), 560);
        for (RenderedView& v : views)
            if (!v.image.pixels.empty()) v.image = RgbaImage{400, 300, std::vector<std::uint8_t>(400 * 300 * 4, 200)};
        const QImage fourThree = compositeSheet(views, header(), 560);
        QCOMPARE(fourThree.height() - wide.height(), 2 * (420 - 224));
    }

    void exportedViewsShareTheInputsShape() {
        // A 2.5:1 input with maps at the model's 4:3 (8×6): every view_*.png is as wide as the
        // others, and each one's picture (between title and legend) is 2.5:1, like the input's.
        const UncertaintyMaps maps = depthAndSeg(1.f);
        const RgbImage input = grey(40, 16, 90);
        QTemporaryDir dir;
        QCOMPARE(writeViewPictures(dir.path().toStdString(), input, maps, card(), DisplayOptions{}, RangeMemory{},
                                   header()),
                 std::string());
        RangeMemory ranges;
        const std::vector<RenderedView> views = renderViews(input, &maps, card(), DisplayOptions{}, &ranges);
        const int width = 480;  // the input's 40 px and the maps' 8 px, each scaled by a whole factor
        for (const RenderedView& v : views) {
            const QImage picture(dir.filePath(QString("view_%1.png").arg(viewKey(v.id))));
            QVERIFY2(!picture.isNull(), viewKey(v.id));
            QCOMPARE(picture.width(), width);
            const int title = QFontMetrics(exportFont(width, true)).height() + 10;
            const int legend = legendHeight(v, width, exportFont(width));
            QCOMPARE(picture.height() - title - legend - 8, width * 16 / 40);
        }
    }
};

QTEST_MAIN(TestViewPictures)
#include "tst_view_pictures.moc"
