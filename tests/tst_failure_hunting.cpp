// Failure hunting in the application, offscreen: ground truth found beside the sample
// gives error views and metrics equal to the CLI's; bad truth files are refused with their names;
// the video timeline has one point per analysed frame and a click jumps to it; the worst frames
// are listed and exported as a batch.

#include <QDockWidget>
#include <QMimeData>
#include <QTabWidget>
#include <QCheckBox>
#include <QtTest>

#include <nlohmann/json.hpp>

#include <cmath>
#include <fstream>

#include "core/calibration/calibration.h"
#include "core/io/npy.h"
#include "ui/error_row.h"
#include "ui/inspector_panel.h"
#include "ui/map_view.h"
#include "ui/sampling_controls.h"
#include "ui/metrics_panel.h"
#include "ui/timeline_view.h"
#include "ui/view_link.h"
#include "ui/video_bar.h"
#include "ui/video_analysis_panel.h"
#include "window_fixture.h"

using namespace uvis;
using namespace uvis::test;

namespace {
nlohmann::json readJson(const QString& path) {
    std::ifstream in(path.toStdString());
    return nlohmann::json::parse(in);
}
// Opens the bundled video and analyses it to the end (every 5th frame, the panel's default).
bool analyseTheBundledVideo(Fixture& f, QSignalSpy& shown) {
    f.window->openModel(kModel);
    f.window->openFile(kVideo);
    if (!QTest::qWaitFor([&] { return !shown.isEmpty() && f.session().hasModel(); }, kWait)) return false;
    QSignalSpy finished(&f.window->workspace().timeline(), &VideoTimeline::analysisFinished);
    f.window->workspace().timeline().analyse(f.window->analysisPanel()->every());
    return QTest::qWaitFor([&] { return !finished.isEmpty(); }, 5 * kWait) && finished.first()[0].toString().isEmpty();
}

}  // namespace

class TestFailureHunting : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void truthBesideTheSampleGivesErrorViewsAndMetrics();
    void guiMetricsEqualTheCli();
    void badTruthIsRefusedWithItsName();
    void timelineHasOnePointPerAnalysedFrameAndAClickJumps();
    void timelineScalesAxisAndHoverReadout();
    void worstFramesAreListedAndExportedAsABatch();
    void droppedTruthFileIsLoaded();
    void calibrationChangesTheMetricsDock();
};

void TestFailureHunting::truthBesideTheSampleGivesErrorViewsAndMetrics() {
    Fixture f;
    QSignalSpy metrics(&f.window->workspace().evaluation(), &EvaluationSession::metricsReady);
    QVERIFY(f.start());
    QTRY_VERIFY_WITH_TIMEOUT(!metrics.isEmpty(), kWait);
    QVERIFY(f.window->errorRow()->isVisible());
    for (ErrorViewId id : {ErrorViewId::DepthError, ErrorViewId::SegmentationError, ErrorViewId::ErrorVsUncertainty})
        QVERIFY(!f.window->errorRow()->errorView(id)->view().image.pixels.empty());
    QVERIFY(f.window->errorRow()->errorView(ErrorViewId::DepthError)->view().legend->unit == "m");
    const QString text = f.window->metricsPanel()->text();
    QVERIFY2(text.contains("mIoU") && text.contains("ECE") && text.contains("AUSE"), qPrintable(text));
    const MetricsReport& m = f.window->workspace().evaluation().metrics();
    QVERIFY(m.depth && m.segmentation);
    QVERIFY(m.segmentation->miou > 0.5);

    // At 1600×1000 the Metrics dock shows its plots whole (the sparsification plot was cut off
    // under a combo box): they are tabs now, under the numbers.
    f.window->resize(1600, 1000);
    f.window->findChild<QDockWidget*>("dock_metrics")->raise();
    QTabWidget* plots = f.window->metricsPanel()->plots();
    QTRY_VERIFY(plots->isVisible());
    for (int tab = 0; tab < plots->count(); ++tab) {
        plots->setCurrentIndex(tab);
        QWidget* plot = plots->currentWidget();
        QTRY_COMPARE(plot->visibleRegion().boundingRect(), plot->rect());
        QVERIFY(plot->height() >= 200);
    }

    // The inspector reads the ground truth at the hovered scene point, and the other views mark
    // that point with a crosshair.
    MapView* depth = f.window->view(ViewId::Depth);
    MapView* input = f.window->view(ViewId::Input);
    const QPointF scene(0.3, 0.8);  // on the road, near the camera
    const QPoint at = input->toWidget(scene).toPoint();
    const QImage before = input->grab().toImage();
    QTest::mouseMove(depth, depth->toWidget(scene).toPoint());
    QTRY_VERIFY(f.window->viewLink()->hover().has_value());
    QCOMPARE(f.window->viewLink()->hoverSource(), static_cast<const QObject*>(depth));
    const QString inspected = f.window->inspector()->text();
    QVERIFY2(inspected.contains("true depth") && inspected.contains("error μ − truth") &&
                 inspected.contains("true class road"),
             qPrintable(inspected));
    const QImage after = input->grab().toImage();
    const QPoint arm = (at + QPoint(7, 0)) * after.devicePixelRatio();
    QVERIFY2(before.pixel(arm) != after.pixel(arm), "the crosshair is drawn in the other views");
    QVERIFY(qGray(after.pixel(arm)) > 200);
    // Opening a video: no per-frame truth, the error views go away.
    f.window->openFile(kVideo);
    QTRY_VERIFY_WITH_TIMEOUT(!f.window->errorRow()->isVisible(), kWait);
}

void TestFailureHunting::guiMetricsEqualTheCli() {
    Fixture f(8);
    QSignalSpy metrics(&f.window->workspace().evaluation(), &EvaluationSession::metricsReady);
    QVERIFY(f.start(8));
    QTRY_VERIFY_WITH_TIMEOUT(!metrics.isEmpty(), kWait);
    QSignalSpy done(f.window.get(), &MainWindow::exportFinished);
    const QString gui = f.dir.filePath("gui");
    f.window->exportCurrentView(gui, false);
    QTRY_VERIFY_WITH_TIMEOUT(done.count() == 1, kWait);
    QCOMPARE(done.first()[1].toString(), QString());
    for (const char* file : {"reliability.png", "sparsification_rmse.png", "view_error_vs_uncertainty.png",
                             "reliability.csv", "sparsification.csv"})
        QVERIFY2(QFileInfo::exists(QDir(gui).filePath(file)), file);
    QProcess cli;
    cli.start(UVIS_CLI, {"infer", "-q", "-m", kModel, "-T", "8", "--seed", "0", "-o", f.dir.filePath("cli"), kSample});
    QVERIFY(cli.waitForFinished(kWait));
    QCOMPARE(cli.exitCode(), 0);
    const nlohmann::json a = readJson(QDir(gui).filePath("summary.json"))["metrics"];
    const nlohmann::json b = readJson(f.dir.filePath("cli/A_000000_rgb/summary.json"))["metrics"];
    QVERIFY(a.contains("depth") && a.contains("segmentation"));
    QVERIFY2(a == b, (a.dump() + "\n" + b.dump()).c_str());
    QCOMPARE(readAll(QDir(gui).filePath("reliability.csv")), readAll(f.dir.filePath("cli/A_000000_rgb/reliability.csv")));
}

void TestFailureHunting::badTruthIsRefusedWithItsName() {
    Fixture f;
    QSignalSpy metrics(&f.window->workspace().evaluation(), &EvaluationSession::metricsReady);
    QVERIFY(f.start());
    QTRY_VERIFY_WITH_TIMEOUT(!metrics.isEmpty(), kWait);
    const double miou = f.window->workspace().evaluation().metrics().segmentation->miou;
    QSignalSpy errors(f.window.get(), &MainWindow::errorShown);
    QVERIFY(writeNpy(f.dir.filePath("small_depth.npy").toStdString(), FloatMap{8, 4, std::vector<float>(32, 1.f)}).empty());
    f.window->workspace().openTruth(f.dir.filePath("small_depth.npy"), EvaluationSession::Kind::Depth);
    QTRY_VERIFY_WITH_TIMEOUT(!errors.isEmpty(), kWait);
    QVERIFY2(errors.first()[0].toString().contains("small_depth.npy") && errors.first()[0].toString().contains("8×4"),
             qPrintable(errors.first()[0].toString()));
    QFile corrupt(f.dir.filePath("broken_labels.png"));
    QVERIFY(corrupt.open(QIODevice::WriteOnly));
    corrupt.write("\x89PNG\r\n\x1a\nbroken");
    corrupt.close();
    f.window->workspace().openTruth(corrupt.fileName(), EvaluationSession::Kind::Labels);
    QTRY_VERIFY_WITH_TIMEOUT(errors.count() == 2, kWait);
    QVERIFY(errors.last()[0].toString().contains("broken_labels.png"));
    // The truth found beside the image stays, and so do its metrics.
    QVERIFY(f.window->workspace().evaluation().hasTruth());
    QTRY_VERIFY_WITH_TIMEOUT(f.window->workspace().evaluation().hasMetrics(), kWait);
    QCOMPARE(f.window->workspace().evaluation().metrics().segmentation->miou, miou);
}

void TestFailureHunting::timelineHasOnePointPerAnalysedFrameAndAClickJumps() {
    Fixture f(2);
    QSignalSpy shown(f.window.get(), &MainWindow::frameShown);
    QVERIFY(analyseTheBundledVideo(f, shown));
    VideoAnalysisPanel* panel = f.window->analysisPanel();
    const int frames = f.window->videoBar()->frameCount();
    const int expected = (frames + panel->every() - 1) / panel->every();
    QCOMPARE(int(f.window->workspace().timeline().points().size()), expected);
    TimelineView* timeline = panel->plot();
    QCOMPARE(timeline->pointCount(), expected);
    for (const auto& [frame, point] : f.window->workspace().timeline().points()) {
        QCOMPARE(frame % panel->every(), 0);
        QVERIFY(std::isfinite(point.p95Of("depth_epistemic_var")));
    }
    const int target = 3 * panel->every();
    QTest::mouseClick(timeline, Qt::LeftButton, {}, QPoint(static_cast<int>(timeline->xOf(target)), timeline->height() / 2));
    QTRY_VERIFY_WITH_TIMEOUT(shown.last()[0].toInt() == target, kWait);
    QCOMPARE(f.window->displayedFrame(), target);
}

// The mean (≈ 1000× smaller than the 95th percentile) is not flattened at the
// bottom: each series has its own scale by default; shared and log scales on request; hovering
// reads out the nearest analysed frame.
void TestFailureHunting::timelineScalesAxisAndHoverReadout() {
    TimelineView timeline;
    timeline.resize(600, 120);
    timeline.reset(100, "depth epistemic σ²", "m²");
    for (int frame = 0; frame < 100; frame += 10) timeline.setPoint(frame, 0.001 * (frame + 1), 1.0 * (frame + 1));
    const double top = timeline.yOf(91.0, true), bottom = timeline.yOf(0.0, true);
    QVERIFY(top < bottom);
    QCOMPARE(timeline.scale(), TimelineView::Scale::EachItsOwn);
    QCOMPARE(timeline.yOf(0.091, false), top);  // the largest mean reaches the top too
    timeline.setScale(TimelineView::Scale::Shared);
    QVERIFY(timeline.yOf(0.091, false) > bottom - 0.01 * (bottom - top));  // flattened, as before
    timeline.setScale(TimelineView::Scale::Log);
    QCOMPARE(timeline.yOf(0.001, false), bottom);  // the smallest value at the bottom
    QCOMPARE(timeline.yOf(91.0, true), top);
    const double middle = timeline.yOf(std::sqrt(0.001 * 91.0), false);
    QVERIFY(std::abs(middle - (top + bottom) / 2) < 1.0);
    // Curves that vary little far from 0 fill the plot instead of its top (0.85 … 0.95 of a σ/μ):
    // the smallest value sits near the bottom, the largest at the top.
    TimelineView narrow;
    narrow.resize(600, 120);
    narrow.reset(100, "depth epistemic σ/μ", "");
    for (int frame = 0; frame < 100; frame += 10) narrow.setPoint(frame, 0.85 + 0.001 * frame, 0.9 + 0.0005 * frame);
    const QRectF area = narrow.plotArea();
    QCOMPARE(narrow.yOf(0.94, false), area.top());
    QVERIFY(narrow.yOf(0.85, false) > area.bottom() - 0.1 * area.height());
    QVERIFY(narrow.yOf(0.85, false) <= area.bottom());

    timeline.show();
    QVERIFY(QTest::qWaitForWindowExposed(&timeline));
    QTest::mouseMove(&timeline, QPoint(static_cast<int>(timeline.xOf(40)) + 2, 60));
    QTRY_COMPARE(timeline.hoveredFrame(), 40);
    const QString text = timeline.readout(40);
    QVERIFY2(text.contains("frame 40") && text.contains("mean 0.041 m²") && text.contains("95th percentile 41 m²"),
             qPrintable(text));
    QVERIFY(timeline.readout(41).isEmpty());  // not analysed
}

void TestFailureHunting::worstFramesAreListedAndExportedAsABatch() {
    Fixture f(2);
    QSignalSpy shown(f.window.get(), &MainWindow::frameShown);
    QVERIFY(analyseTheBundledVideo(f, shown));
    VideoAnalysisPanel* panel = f.window->analysisPanel();
    const QList<int> worst = f.window->workspace().timeline().worstFrames(panel->series().toStdString(), 3);
    QCOMPARE(worst.size(), 3);
    const std::string series = panel->series().toStdString();
    for (const auto& [frame, point] : f.window->workspace().timeline().points())
        if (!worst.contains(frame)) QVERIFY(point.p95Of(series) <= f.window->workspace().timeline().points().at(worst.last()).p95Of(series));
    QVERIFY(f.window->workspace().timeline().points().at(worst[0]).p95Of(series) >= f.window->workspace().timeline().points().at(worst[1]).p95Of(series));
    f.window->workspace().timeline().addBookmark(7);
    QCOMPARE(f.window->workspace().timeline().bookmarks(), QList<int>{7});

    QSignalSpy exported(&f.window->workspace().timeline(), &VideoTimeline::framesExported);
    const QString dir = f.dir.filePath("worst");
    f.window->exportFrames(worst.mid(0, 2), dir, false);
    QTRY_VERIFY_WITH_TIMEOUT(!exported.isEmpty(), kWait);
    QCOMPARE(exported.first()[1].toString(), QString());
    const QStringList folders = QDir(dir).entryList(QDir::Dirs | QDir::NoDotAndDotDot);
    QCOMPARE(folders.size(), 2);
    for (const QString& folder : folders) {
        const QDir d(QDir(dir).filePath(folder));
        QVERIFY(d.exists("summary.json") && d.exists("depth_epistemic_var.npy") && d.exists("view_chosen.png") &&
                d.exists("overlay.png"));
    }
    QVERIFY(folders.first().contains(QString("frame_%1").arg(std::min(worst[0], worst[1]), 6, 10, QChar('0'))));
    // Never overwritten without asking.
    f.window->exportFrames(worst.mid(0, 1), dir, false);
    QTRY_VERIFY_WITH_TIMEOUT(exported.count() == 2, kWait);
    QVERIFY(exported.last()[1].toString().contains("worst"));
    QCOMPARE(QDir(dir).entryList(QDir::Dirs | QDir::NoDotAndDotDot).size(), 2);
}

void TestFailureHunting::droppedTruthFileIsLoaded() {
    Fixture f;
    // The sample alone, without the files beside it: no truth until one is dropped.
    const QString image = f.dir.filePath("street.png");
    QVERIFY(QFile::copy(kSample, image));
    f.window->openModel(kModel);
    f.window->openFile(image);
    QVERIFY(f.waitForFinal(4));
    QVERIFY(!f.window->workspace().evaluation().hasTruth());
    QSignalSpy metrics(&f.window->workspace().evaluation(), &EvaluationSession::metricsReady);
    QSignalSpy errors(f.window.get(), &MainWindow::errorShown);
    QMimeData mime;
    mime.setUrls({QUrl::fromLocalFile(UVIS_RESOURCES "/samples/domainA/A_000000_labels.png")});
    QDragEnterEvent enter(QPoint(10, 10), Qt::CopyAction, &mime, Qt::LeftButton, Qt::NoModifier);
    QApplication::sendEvent(f.window.get(), &enter);  // Qt delivers a drop only after an accepted enter
    QDropEvent drop(QPointF(10, 10), Qt::CopyAction, &mime, Qt::LeftButton, Qt::NoModifier);
    QApplication::sendEvent(f.window.get(), &drop);
    QTRY_VERIFY_WITH_TIMEOUT(!metrics.isEmpty() || !errors.isEmpty(), kWait);
    QVERIFY2(errors.isEmpty(), qPrintable(errors.isEmpty() ? QString() : errors.first()[0].toString()));
    const MetricsReport& m = f.window->workspace().evaluation().metrics();
    QVERIFY(m.segmentation && !m.depth);
    QVERIFY(m.segmentation->miou > 0.5);
    QVERIFY(f.window->errorRow()->isVisible());
    QVERIFY(!f.window->errorRow()->errorView(ErrorViewId::SegmentationError)->view().image.pixels.empty());
    QVERIFY(f.window->errorRow()->errorView(ErrorViewId::DepthError)->view().image.pixels.empty());  // says why instead
}

void TestFailureHunting::calibrationChangesTheMetricsDock() {
    // A model with a calibration file beside it (as uvis-cli calibrate writes it): applied by
    // default, said in the view titles, and the Calibrated box changes the coverage and ECE the
    // Metrics dock shows.
    Fixture f;
    const QString model = f.dir.filePath("demo.uvis");
    QVERIFY(QFile::copy(kModel, model));
    CalibrationFile file;
    CalibrationRecord fit;
    fit.method = "mc";
    fit.calibration = {3.0, 20.0};
    file.methods["mc"] = fit;
    QFile out(f.dir.filePath("demo.calibration.json"));
    QVERIFY(out.open(QIODevice::WriteOnly));
    out.write(QByteArray::fromStdString(calibrationJson(file)));
    out.close();
    QSignalSpy metrics(&f.window->workspace().evaluation(), &EvaluationSession::metricsReady);
    f.window->openModel(model);
    f.window->openFile(kSample);
    QVERIFY(f.waitForFinal(4));
    QTRY_VERIFY_WITH_TIMEOUT(!metrics.isEmpty() && f.window->workspace().evaluation().metrics().depth, kWait);
    QCheckBox* box = f.window->samplingControls()->calibrationBox();
    QVERIFY(box->isEnabled() && box->isChecked());
    QCOMPARE(f.session().latest().settings.calibration.depthVarianceScale, 20.0);
    QVERIFY2(f.window->view(ViewId::Aleatoric)->title().contains("calibrated"), qPrintable(f.window->view(ViewId::Aleatoric)->title()));
    const double coverageOn = f.window->workspace().evaluation().metrics().depth->coverage95;
    const double eceOn = f.window->workspace().evaluation().metrics().segmentation->ece;

    metrics.clear();
    box->setChecked(false);
    QVERIFY(QTest::qWaitFor([&] {
        return f.session().latest().final && f.session().latest().settings.calibration.identity();
    }, kWait));
    QTRY_VERIFY_WITH_TIMEOUT(!metrics.isEmpty(), kWait);
    const MetricsReport& off = f.window->workspace().evaluation().metrics();
    QVERIFY2(off.depth->coverage95 < coverageOn, qPrintable(QString("%1 vs %2").arg(off.depth->coverage95).arg(coverageOn)));
    QVERIFY(off.segmentation->ece != eceOn);
    QVERIFY(!f.window->view(ViewId::Aleatoric)->title().contains("calibrated"));
    QVERIFY(f.window->metricsPanel()->text().contains("ECE"));

    // The bundled model has no calibration: the box says so and cannot be ticked.
    f.window->openModel(kModel);
    QTRY_VERIFY_WITH_TIMEOUT(!box->isEnabled(), kWait);
}

QTEST_MAIN(TestFailureHunting)
#include "tst_failure_hunting.moc"
