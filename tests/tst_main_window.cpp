// The desktop application, driven through its real widgets under QT_QPA_PLATFORM=offscreen:
// sliders issue requests and bursts collapse, a corrupt image leaves the window usable, the
// inspector shows the engine's numbers, exports write what they name and never overwrite
// silently (and equal the CLI's), closing mid-inference is prompt, video stepping shows the
// right frame, and the overlay-video export runs in the background and can be cancelled.

#include <QAbstractButton>
#include <QAction>
#include <QCheckBox>
#include <QComboBox>
#include <QDockWidget>
#include <QScreen>
#include <QScrollArea>
#include <QStatusBar>
#include <QToolTip>
#include <QMimeData>
#include <QSlider>
#include <QSpinBox>
#include <QStandardItemModel>
#include <QHelpEvent>
#include <QMenuBar>
#include <QMessageBox>
#include <QProgressDialog>
#include <QJsonDocument>
#include <QJsonObject>
#include <QtTest>

#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>
#include <opencv2/videoio.hpp>

#include <memory>

#include "core/imaging/map_views.h"
#include "core/engine/pixel_inspector.h"
#include "core/services/settings/app_settings.h"
#include "ui/display_controls.h"
#include "ui/help_texts.h"
#include "ui/inspector_panel.h"
#include "ui/main_window.h"
#include "ui/map_view.h"
#include "ui/comparison_panel.h"
#include "ui/error_row.h"
#include "ui/metrics_panel.h"
#include "ui/sampling_controls.h"
#include "ui/video_bar.h"
#include "ui/view_area.h"
#include "ui/view_export.h"
#include "ui/view_link.h"
#include "test_models.h"
#include "window_fixture.h"

using namespace uvis;

namespace {
// The demo model behind a gate (test_models.h): the worker waits in a decode while it is closed,
// until it opens or the worker's thread is asked to stop.
std::shared_ptr<test::Gate> gatedModels(bool open) {
    return std::make_shared<test::Gate>(open, [] { return QThread::currentThread()->isInterruptionRequested(); });
}
ModelLoaderFn gatedLoader(std::shared_ptr<test::Gate> gate) {
    return [gate](const std::string& path, DeviceKind device) {
        LoadedModel loaded = loadModel(path, device);
        if (loaded) loaded.model = test::makeGatedModel(loaded.model, gate);
        return loaded;
    };
}
}  // namespace
using namespace uvis::test;

namespace {

RgbImage decodeFrame(const QString& video, int index) {
    cv::VideoCapture capture(video.toStdString());
    cv::Mat bgr, rgb;
    for (int i = 0; i <= index; ++i) capture.read(bgr);
    cv::cvtColor(bgr, rgb, cv::COLOR_BGR2RGB);
    return RgbImage{rgb.cols, rgb.rows, std::vector<std::uint8_t>(rgb.data, rgb.data + rgb.total() * 3)};
}

}  // namespace

class TestMainWindow : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void opensTheModelAndSampleAndShowsSixViews();
    void samplesSliderIssuesANewRequest();
    void dropoutSliderIssuesANewRequestAtThatRate();
    void aBurstOfSliderChangesCollapses();
    void corruptImageShowsAnErrorAndKeepsTheState();
    void badModelIsRejectedAndThePreviousStays();
    void inspectorShowsTheEngineValues();
    void exportWritesItsFilesAndRefusesToOverwrite();
    void guiExportEqualsTheCli();
    void closingMidInferenceIsPrompt();
    void videoSteppingShowsTheRightFrame();
    void playingSkipsFramesInsteadOfFallingBehind();
    void framesCountFromZeroEverywhere();
    void viewsLineUpOnImagesOfAnyShape_data();
    void viewsLineUpOnImagesOfAnyShape();
    void theWindowFitsLaptopScreens_data();
    void theWindowFitsLaptopScreens();
    void tallAndWideImagesUseTheViewSpace();
    void aFirstStartFitsTheScreenWithItsFrame();
    void theTitleAndTheWarningBelongToTheOpenFile();
    void firstMinutesDetails();
    void overlayVideoExportRunsAndCancels();
    void settingsPersist();
    void droppedFilesOpen();
    void zoomAndPanAreLinked();
    void commandLineOpensTheModelAndFile();
    void displayControlsChangeWhatTheViewsShow();
    void methodComboSwitchesBetweenMethods();
    void comparisonKeysSwitchBetweenAAndB();
};

void TestMainWindow::opensTheModelAndSampleAndShowsSixViews() {
    Fixture f;
    QVERIFY(f.start());
    QCOMPARE(f.window->currentFile(), kSample);
    QVERIFY(f.window->view(ViewId::Depth)->title().contains("Depth"));
    QVERIFY(!f.window->view(ViewId::Epistemic)->view().image.pixels.empty());
    QVERIFY(f.window->view(ViewId::Epistemic)->view().legend.has_value());
    QVERIFY(f.window->statusText().contains("uvis-street-demo (version 1) · "));
    QVERIFY(f.window->statusText().contains("4 / 4 samples"));
    QVERIFY(f.window->statusText().contains("ms per sample"));
    // A title cut short in a narrow view is whole in its tooltip.
    MapView* aleatoric = f.window->view(ViewId::Aleatoric);
    QVERIFY(aleatoric->fullTitle().contains("4 / 4 samples"));
    QHelpEvent help(QEvent::ToolTip, QPoint(5, 3), aleatoric->mapToGlobal(QPoint(5, 3)));
    QApplication::sendEvent(aleatoric, &help);
    QTRY_VERIFY_WITH_TIMEOUT(QToolTip::isVisible(), kWait);
    QCOMPARE(QToolTip::text(), aleatoric->fullTitle());
    // The bundled model has no calibration file: "Calibrated" is neither ticked nor available.
    QCheckBox* calibrated = nullptr;
    for (QCheckBox* box : f.window->samplingControls()->findChildren<QCheckBox*>())
        if (box->text() == "Calibrated") calibrated = box;
    QVERIFY(calibrated && !calibrated->isEnabled() && !calibrated->isChecked());
}

void TestMainWindow::samplesSliderIssuesANewRequest() {
    Fixture f;
    QVERIFY(f.start());
    const int runs = f.session().controller().runsStarted();
    f.window->samplingControls()->samplesSlider()->setValue(6);
    QVERIFY(f.waitForFinal(6));
    QCOMPARE(f.session().latest().maps->samplesDone, 6);
    QVERIFY(f.session().controller().runsStarted() > runs);
    QVERIFY(f.window->view(ViewId::Epistemic)->title().size() > 0);
    QVERIFY(f.window->statusText().contains("6 / 6 samples"));
}

void TestMainWindow::dropoutSliderIssuesANewRequestAtThatRate() {
    Fixture f;
    QVERIFY(f.start());
    QCOMPARE(f.session().settings().dropout, 0.2);  // the card's train_p by default
    const auto before = f.session().latest().maps;
    f.window->samplingControls()->dropoutSlider()->setValue(40);
    QVERIFY(QTest::qWaitFor([&] { return f.session().latest().final && f.session().latest().settings.dropout == 0.4; },
                            kWait));
    QVERIFY(f.session().latest().maps != before);
    QVERIFY(f.session().latest().maps->depthEpistemicVar.values != before->depthEpistemicVar.values);
}

// A drag of the T slider while the worker is held inside the first request's run: the 29 changes
// after it collapse into one run, of the last value (the gate orders the events, not the clock).
void TestMainWindow::aBurstOfSliderChangesCollapses() {
    auto gate = gatedModels(true);
    Fixture f(8, gatedLoader(gate));
    QVERIFY(f.start(8));
    const int runs = f.session().controller().runsStarted();
    gate->close();
    f.window->samplingControls()->samplesSlider()->setValue(10);
    QTRY_VERIFY_WITH_TIMEOUT(gate->waiting() == 1, kWait);  // the run of T = 10 is held
    for (int t = 11; t < 40; ++t) f.window->samplingControls()->samplesSlider()->setValue(t);  // the rest of the drag
    gate->open();
    QVERIFY(f.waitForFinal(39));
    QCOMPARE(f.session().controller().runsStarted() - runs, 2);  // T = 10, then T = 39 alone
    QCOMPARE(f.session().latest().settings.samples, 39);
}

void TestMainWindow::corruptImageShowsAnErrorAndKeepsTheState() {
    Fixture f;
    QVERIFY(f.start());
    const QString corrupt = f.dir.filePath("corrupt.png");
    QFile file(corrupt);
    QVERIFY(file.open(QIODevice::WriteOnly));
    file.write("\x89PNG\r\n\x1a\nthis is not an image");
    file.close();
    QSignalSpy errors(f.window.get(), &MainWindow::errorShown);
    f.window->openFile(corrupt);
    QTRY_VERIFY_WITH_TIMEOUT(!errors.isEmpty(), kWait);
    QVERIFY(errors.first()[0].toString().contains("corrupt.png"));
    QCOMPARE(f.window->currentFile(), kSample);  // the previous state stays
    f.window->samplingControls()->samplesSlider()->setValue(5);  // and stays usable
    QVERIFY(f.waitForFinal(5));
}

void TestMainWindow::badModelIsRejectedAndThePreviousStays() {
    Fixture f;
    QVERIFY(f.start());
    QSignalSpy errors(f.window.get(), &MainWindow::errorShown);
    f.window->openModel(UVIS_TEST_DATA "/models/not_a_model.pt");  // checked in a child process
    QTRY_VERIFY_WITH_TIMEOUT(!errors.isEmpty(), kWait);
    QVERIFY(errors.first()[0].toString().contains("not_a_model.pt"));
    QVERIFY(f.session().hasModel());
    QCOMPARE(f.session().card().name, std::string("uvis-street-demo"));
    f.window->samplingControls()->samplesSlider()->setValue(3);
    QVERIFY(f.waitForFinal(3));
}

void TestMainWindow::inspectorShowsTheEngineValues() {
    Fixture f;
    QVERIFY(f.start());
    MapView* depth = f.window->view(ViewId::Depth);
    const QPointF n(0.3, 0.7);
    QTest::mouseMove(depth, depth->toWidget(n).toPoint());
    const UncertaintyMaps& maps = *f.session().latest().maps;
    const std::optional<QPointF> at = depth->toNormalised(depth->toWidget(n));
    QVERIFY(at.has_value());
    const int x = static_cast<int>(at->x() * maps.depthMean.width), y = static_cast<int>(at->y() * maps.depthMean.height);
    const PixelReport report = inspectPixel(maps, f.session().card().classes, x, y);
    QVERIFY(report.valid && report.depthMean && report.predicted);
    const QString text = f.window->inspector()->text();
    // Named by the image's own pixel, which the user finds in the photo.
    const RgbImage& image = f.session().latest().image();
    const QPoint pixel(static_cast<int>(at->x() * image.width), static_cast<int>(at->y() * image.height));
    QVERIFY2(text.contains(InspectorPanel::format(report, pixel)), qPrintable(text));
    QVERIFY(text.contains(QString("image pixel (%1, %2)").arg(pixel.x()).arg(pixel.y())));
    QVERIFY(text.contains(QString("depth %1 m").arg(*report.depthMean, 0, 'f', 2)));
    QVERIFY(text.contains(QString::fromStdString(report.predicted->name)));
}

void TestMainWindow::exportWritesItsFilesAndRefusesToOverwrite() {
    Fixture f;
    QVERIFY(f.start());
    const QString out = f.dir.filePath("export");
    QSignalSpy done(f.window.get(), &MainWindow::exportFinished);
    f.window->exportCurrentView(out, false);
    QTRY_VERIFY_WITH_TIMEOUT(done.count() == 1, kWait);
    QCOMPARE(done.first()[1].toString(), QString());
    QStringList expected = viewExportFiles();
    expected << "depth_mean.npy" << "depth_aleatoric_var.npy" << "depth_epistemic_var.npy" << "seg_class.npy"
             << "seg_mutual_info.npy" << "summary.json" << "segmentation.png";
    for (const QString& name : expected) QVERIFY2(QFileInfo::exists(QDir(out).filePath(name)), qPrintable(name));
    QVERIFY(!QImage(QDir(out).filePath("view_epistemic.png")).isNull());
    const QByteArray summary = readAll(QDir(out).filePath("summary.json"));

    f.window->samplingControls()->samplesSlider()->setValue(5);
    QVERIFY(f.waitForFinal(5));
    f.window->exportCurrentView(out, false);  // exists: refused
    QTRY_VERIFY_WITH_TIMEOUT(done.count() == 2, kWait);
    QVERIFY(done.last()[1].toString().contains("export"));
    QCOMPARE(readAll(QDir(out).filePath("summary.json")), summary);  // untouched
    f.window->exportCurrentView(out, true);  // the user said "replace"
    QTRY_VERIFY_WITH_TIMEOUT(done.count() == 3, kWait);
    QCOMPARE(done.last()[1].toString(), QString());
    QVERIFY(readAll(QDir(out).filePath("summary.json")) != summary);
    QVERIFY(QDir(f.dir.path()).entryList(QStringList{".*partial*"}, QDir::Hidden | QDir::AllEntries).isEmpty());
}

void TestMainWindow::guiExportEqualsTheCli() {
    Fixture f(8);
    QVERIFY(f.start(8));
    const QString gui = f.dir.filePath("gui");
    QSignalSpy done(f.window.get(), &MainWindow::exportFinished);
    f.window->exportCurrentView(gui, false);
    QTRY_VERIFY_WITH_TIMEOUT(done.count() == 1, kWait);
    QCOMPARE(done.first()[1].toString(), QString());
    QProcess cli;
    cli.start(UVIS_CLI, {"infer", "-q", "-m", kModel, "-T", "8", "--seed", "0", "-o", f.dir.filePath("cli"), kSample});
    QVERIFY(cli.waitForFinished(kWait));
    QCOMPARE(cli.exitCode(), 0);
    const QDir cliDir(f.dir.filePath("cli/A_000000_rgb"));
    const QStringList npys = cliDir.entryList({"*.npy"}, QDir::Files);
    QVERIFY(npys.size() >= 8);
    for (const QString& name : npys)
        QVERIFY2(readAll(cliDir.filePath(name)) == readAll(QDir(gui).filePath(name)), qPrintable(name));
}

// Closing the window mid-inference stops the run at its next chunk instead of waiting for it:
// the worker, held inside a decode, is let go when its thread is asked to stop, and enters none
// after that.
void TestMainWindow::closingMidInferenceIsPrompt() {
    auto gate = gatedModels(true);
    Fixture f(128, gatedLoader(gate));
    f.window->openModel(kModel);
    f.window->openFile(kSample);
    QVERIFY(QTest::qWaitFor([&] { return f.session().latest().maps != nullptr; }, kWait));  // refining
    gate->close();
    QTRY_VERIFY_WITH_TIMEOUT(gate->waiting() == 1, kWait);
    QVERIFY(!f.session().latest().final);
    const int entered = gate->decodesEntered();
    f.window->close();
    f.window.reset();
    QCOMPARE(gate->decodesEntered(), entered);
}

void TestMainWindow::videoSteppingShowsTheRightFrame() {
    Fixture f;
    f.window->openModel(kModel);
    QSignalSpy shown(f.window.get(), &MainWindow::frameShown);
    f.window->openFile(kVideo);
    QTRY_VERIFY_WITH_TIMEOUT(!shown.isEmpty(), kWait);
    QCOMPARE(shown.first()[0].toInt(), 0);
    VideoBar* bar = f.window->videoBar();
    QVERIFY(bar->isVisible());
    QVERIFY(bar->frameCount() > 20);
    for (int i = 0; i < 3; ++i) {
        bar->step(+1);
        QTRY_VERIFY_WITH_TIMEOUT(shown.last()[0].toInt() == i + 1, kWait);
    }
    QCOMPARE(f.window->displayedFrame(), 3);
    QCOMPARE(f.window->displayedImage().pixels, decodeFrame(kVideo, 3).pixels);
    bar->step(-1);
    QTRY_VERIFY_WITH_TIMEOUT(shown.last()[0].toInt() == 2, kWait);
    QCOMPARE(f.window->displayedImage().pixels, decodeFrame(kVideo, 2).pixels);
    bar->scrubber()->setValue(17);  // a jump seeks
    QTRY_VERIFY_WITH_TIMEOUT(shown.last()[0].toInt() == 17, kWait);
    QCOMPARE(f.window->displayedImage().pixels, decodeFrame(kVideo, 17).pixels);
    // Inference follows the displayed frame.
    QVERIFY(QTest::qWaitFor([&] { return f.session().latest().final && f.session().latest().frameIndex == 17; },
                            kWait));
}

// One frame convention (core/types/frame_numbers.h): frames count from 0 in the views, the video bar,
// the exported summary.json and uvis-cli's frames.csv alike (the window once said "frame 711"
// where the files said 710).
void TestMainWindow::framesCountFromZeroEverywhere() {
    Fixture f(2);
    f.window->openModel(kModel);
    QSignalSpy shown(f.window.get(), &MainWindow::frameShown);
    f.window->openFile(kVideo);
    QTRY_VERIFY_WITH_TIMEOUT(!shown.isEmpty(), kWait);
    f.window->videoBar()->scrubber()->setValue(7);
    QTRY_VERIFY_WITH_TIMEOUT(shown.last()[0].toInt() == 7, kWait);
    QVERIFY(QTest::qWaitFor([&] { return f.session().latest().final && f.session().latest().frameIndex == 7; }, kWait));
    QCOMPARE(f.window->view(ViewId::Input)->note(), QString("frame 7"));
    QVERIFY2(f.window->view(ViewId::Epistemic)->note().endsWith("frame 7"), qPrintable(f.window->view(ViewId::Epistemic)->note()));
    QVERIFY2(f.window->videoBar()->label().startsWith("frame 7 of"), qPrintable(f.window->videoBar()->label()));
    QSignalSpy done(f.window.get(), &MainWindow::exportFinished);
    const QString dir = f.dir.filePath("frame7");
    f.window->exportCurrentView(dir, false);
    QTRY_VERIFY_WITH_TIMEOUT(!done.isEmpty(), kWait);
    QVERIFY(readAll(QDir(dir).filePath("summary.json")).contains("sequence.avi#frame=7\""));
    QProcess cli;
    cli.start(UVIS_CLI, {"infer", "-q", "-T", "1", "--frames", "7:8", "-o", f.dir.filePath("cli"), kVideo});
    QVERIFY(cli.waitForFinished(kWait));
    QCOMPARE(cli.exitCode(), 0);
    const QList<QByteArray> rows = readAll(f.dir.filePath("cli/sequence/frames.csv")).split('\n');
    QVERIFY(rows.size() >= 2 && rows[1].startsWith("7,"));
}

void TestMainWindow::viewsLineUpOnImagesOfAnyShape_data() {
    QTest::addColumn<QSize>("size");
    QTest::newRow("500x200") << QSize(500, 200);
    QTest::newRow("200x500") << QSize(200, 500);
    QTest::newRow("256x192") << QSize(256, 192);
}

// The maps are at the model's 4:3 size while the input and the overlay keep the photo's shape:
// every view must still put one scene point at one place (the ball of messi5.jpg sat
// at three heights). The same spot of each view, zoomed in or not, is the same image point.
void TestMainWindow::viewsLineUpOnImagesOfAnyShape() {
    QFETCH(QSize, size);
    Fixture f;
    const cv::Mat sample = cv::imread(kSample.toStdString());
    cv::Mat resized;
    cv::resize(sample, resized, cv::Size(size.width(), size.height()));
    const QString path = f.dir.filePath("shape.png");
    QVERIFY(cv::imwrite(path.toStdString(), resized));
    f.window->openModel(kModel);
    f.window->openFile(path);
    QVERIFY(f.waitForFinal(4));
    QCoreApplication::processEvents();
    for (double zoom : {1.0, 3.0}) {
        f.window->viewLink()->setZoom(zoom);
        MapView* input = f.window->view(ViewId::Input);
        for (QPointF n : {QPointF(0.5, 0.5), QPointF(0.2, 0.3), QPointF(0.8, 0.75)}) {
            const QPoint at = input->toWidget(n).toPoint();
            const std::optional<QPointF> there = input->toNormalised(at);
            if (!there) continue;  // outside the visible window at this zoom
            for (int i = 1; i < kViewCount; ++i) {
                MapView* view = f.window->view(static_cast<ViewId>(i));
                // The grid gives its cells the same size, give or take a pixel of rounding.
                QVERIFY(std::abs(view->width() - input->width()) <= 2 && std::abs(view->height() - input->height()) <= 2);
                const std::optional<QPointF> here = view->toNormalised(at);
                QVERIFY2(here, qPrintable(view->objectName()));
                // Within two screen pixels (grid cells differ by a pixel of rounding).
                const QPointF picture = view->toWidget(QPointF(1, 1)) - view->toWidget(QPointF(0, 0));
                QVERIFY2(std::abs(here->x() - there->x()) * picture.x() <= 2.0 &&
                             std::abs(here->y() - there->y()) * picture.y() <= 2.0,
                         qPrintable(QString("%1: (%2, %3) vs input (%4, %5)")
                                        .arg(view->objectName())
                                        .arg(here->x()).arg(here->y()).arg(there->x()).arg(there->y())));
            }
        }
    }
}

void TestMainWindow::theWindowFitsLaptopScreens_data() {
    QTest::addColumn<QSize>("screen");
    QTest::newRow("1280x720") << QSize(1280, 720);
    QTest::newRow("1366x768") << QSize(1366, 768);
}

// It opened at 1500×1024 with a minimum height of 968–1024 px: on a laptop the Monte Carlo dock,
// the video bar and the status bar were off screen. Now the window can shrink to 1024×640 and, at
// the screen's size, every control and the status bar are inside it.
void TestMainWindow::theWindowFitsLaptopScreens() {
    QFETCH(QSize, screen);
    Fixture f;
    f.window->openModel(kModel);
    f.window->openFile(kVideo);  // the video bar and the timeline too
    QTRY_VERIFY_WITH_TIMEOUT(f.window->videoBar()->isVisible(), kWait);
    const QSize minimum = f.window->minimumSizeHint().expandedTo(f.window->minimumSize());
    QVERIFY2(minimum.width() <= 1024 && minimum.height() <= 640,
             qPrintable(QString("minimum %1×%2").arg(minimum.width()).arg(minimum.height())));
    f.window->resize(screen);
    QTRY_COMPARE_WITH_TIMEOUT(f.window->size(), screen, kWait);
    const QRect inside(QPoint(0, 0), screen);
    QList<QWidget*> controls;
    for (QWidget* w : f.window->findChildren<QWidget*>())
        if (qobject_cast<QAbstractSlider*>(w) || qobject_cast<QAbstractSpinBox*>(w) || qobject_cast<QComboBox*>(w) ||
            qobject_cast<QAbstractButton*>(w))
            controls << w;
    controls << f.window->statusBar() << f.window->videoBar();
    int checked = 0;
    for (QWidget* w : controls) {
        if (!w->isVisible() || w->window() != f.window.get()) continue;
        // A dock behind another one's tab is parked out of sight: it is reached through its tab.
        QDockWidget* dock = nullptr;
        for (QWidget* p = w; p && !dock; p = p->parentWidget()) dock = qobject_cast<QDockWidget*>(p);
        if (dock && !f.window->tabifiedDockWidgets(dock).isEmpty() && dock->visibleRegion().isEmpty()) continue;
        // A control in a dock's scroll area only has to be reachable: its viewport is inside.
        QWidget* clip = w;
        for (QWidget* p = w->parentWidget(); p && p != f.window.get(); p = p->parentWidget())
            if (qobject_cast<QScrollArea*>(p)) clip = static_cast<QScrollArea*>(p)->viewport();
        const QRect r(clip->mapTo(f.window.get(), QPoint(0, 0)), clip->size());
        QVERIFY2(inside.contains(r), qPrintable(QString("%1 (%2) at %3,%4 %5×%6")
                                                   .arg(w->metaObject()->className(), w->objectName())
                                                   .arg(r.x()).arg(r.y()).arg(r.width()).arg(r.height())));
        ++checked;
    }
    QVERIFY(checked > 20);
    // Without a saved layout the Monte Carlo and Display docks show every control whole, without
    // scrolling (the Seed row and the threshold were cut while the empty inspector took the most).
    for (const char* name : {"dock_mc", "dock_display"}) {
        auto* scroll = qobject_cast<QScrollArea*>(f.window->findChild<QDockWidget*>(name)->widget());
        QTRY_VERIFY2_WITH_TIMEOUT(scroll->viewport()->width() >= scroll->widget()->sizeHint().width(),
                                  qPrintable(QString("%1: %2 of %3 px wide").arg(name).arg(scroll->viewport()->width())
                                                 .arg(scroll->widget()->sizeHint().width())),
                                  kWait);
        QTRY_VERIFY2_WITH_TIMEOUT(scroll->viewport()->height() >= scroll->widget()->sizeHint().height(),
                                  qPrintable(QString("%1: %2 of %3 px").arg(name).arg(scroll->viewport()->height())
                                                 .arg(scroll->widget()->sizeHint().height())),
                                  kWait);
    }
}

// A 4:3 photo in 3 × 2 views; a tall portrait side by side in one row and a panorama in fewer
// columns, where each is shown larger than in 3 × 2 — and every view still the same scene.
void TestMainWindow::tallAndWideImagesUseTheViewSpace() {
    Fixture f;
    QVERIFY(f.start());
    QVERIFY(f.window->viewArea()->shape() == (GridShape{3, 2}));
    const QString portrait = f.dir.filePath("portrait.png"), panorama = f.dir.filePath("panorama.png");
    for (const auto& [path, size] : {std::pair{portrait, QSize(300, 900)}, std::pair{panorama, QSize(1600, 300)}}) {
        QImage image(size, QImage::Format_RGB888);
        image.fill(QColor(120, 130, 140));
        QVERIFY(image.save(path));
    }
    f.window->openFile(portrait);
    QTRY_VERIFY_WITH_TIMEOUT(f.window->viewArea()->shape().rows == 1, kWait);
    QCOMPARE(f.window->viewArea()->shape().columns, 6);
    f.window->openFile(panorama);
    QTRY_VERIFY_WITH_TIMEOUT(f.window->viewArea()->shape().columns <= 2, kWait);
    QVERIFY(f.window->viewArea()->shape().rows >= 3);
    f.window->openFile(kSample);
    QTRY_VERIFY_WITH_TIMEOUT(f.window->viewArea()->shape() == (GridShape{3, 2}), kWait);
    // The rule itself: the grid that shows the image largest, 3 × 2 unless clearly beaten.
    QVERIFY(bestViewGrid(860, 470, 50, 640, 480) == (GridShape{3, 2}));
    QVERIFY(bestViewGrid(860, 470, 50, 1920, 1080) == (GridShape{3, 2}));
    QVERIFY(bestViewGrid(860, 470, 50, 300, 900) == (GridShape{6, 1}));
    QVERIFY(bestViewGrid(860, 470, 50, 1600, 300) == (GridShape{2, 3}));
}

void TestMainWindow::aFirstStartFitsTheScreenWithItsFrame() {
    // No saved geometry: on a screen with less room than 1500×820 and a frame (the offscreen
    // platform's screen is 800×600), the window with its frame lies inside the available area.
    QTemporaryDir dir;
    AppSettings settings(dir.filePath("uvis.ini"));
    MainWindow window(settings, MainWindow::Paths{kModel, appValidator(), dir.filePath("cache"), {}});
    const QRect available = window.screen()->availableGeometry();
    QVERIFY(available.width() < 1500 + 16 || available.height() < 820 + 56);
    window.showOnScreen();
    QVERIFY(QTest::qWaitForWindowExposed(&window, kWait));
    QTRY_VERIFY2_WITH_TIMEOUT(available.contains(window.frameGeometry()),
                              qPrintable(QString("frame %1,%2 %3×%4 in %5×%6")
                                             .arg(window.frameGeometry().x()).arg(window.frameGeometry().y())
                                             .arg(window.frameGeometry().width()).arg(window.frameGeometry().height())
                                             .arg(available.width()).arg(available.height())),
                              kWait);
    QVERIFY(window.isMaximized());
}

void TestMainWindow::theTitleAndTheWarningBelongToTheOpenFile() {
    QTemporaryDir dir;
    const QString cut = dir.filePath("cut.jpg");
    QVERIFY(QImage(kSample).save(cut, "JPEG"));
    QFile jpeg(cut);
    QVERIFY(jpeg.open(QIODevice::ReadWrite));
    QVERIFY(jpeg.resize(jpeg.size() * 2 / 3));  // the JPEG data ends early: opened, with a warning
    jpeg.close();
    Fixture f;
    QVERIFY(f.start());
    QVERIFY(f.window->windowTitle().startsWith("A_000000_rgb.png"));
    QSignalSpy opened(f.window.get(), &MainWindow::fileOpened);
    f.window->openFile(cut);
    QTRY_VERIFY_WITH_TIMEOUT(f.window->statusBar()->currentMessage().contains("cut.jpg"), kWait);
    QVERIFY(f.window->windowTitle().startsWith("cut.jpg"));
    f.window->openFile(kSample);
    QTRY_COMPARE_WITH_TIMEOUT(opened.count(), 2, kWait);
    QVERIFY2(!f.window->statusBar()->currentMessage().contains("cut.jpg"),
             qPrintable(f.window->statusBar()->currentMessage()));
    QVERIFY(f.window->windowTitle().startsWith("A_000000_rgb.png"));
}

// What a user meets in the first minutes: a click on the scrubber jumps there;
// the status bar shows no stale speed while a run goes; Help → About names the versions; the
// Video menu plays and steps.
void TestMainWindow::firstMinutesDetails() {
    Fixture f;
    QVERIFY(f.start());
    QVERIFY(f.window->statusText().contains("ms per sample"));
    bool staleSpeed = false, sawPartial = false;
    connect(&f.session(), &AnalysisSession::resultUpdated, this, [&](const AnalysedFrame& frame) {
        if (frame.final) return;
        sawPartial = true;
        staleSpeed |= f.window->statusText().contains("ms per sample");
    });
    f.window->samplingControls()->samplesSlider()->setValue(128);
    QVERIFY(f.waitForFinal(128));
    QVERIFY(sawPartial);
    QVERIFY(!staleSpeed);
    QVERIFY(f.window->statusText().contains("ms per sample"));

    const QString about = aboutText("cpu");
    for (const QString& words : {QString("uvis " UVIS_VERSION_NUMBER), QString("LibTorch 1."), QString("Qt 6."),
                                 QString("OpenCV 4."), QString("Device: cpu")})
        QVERIFY2(about.contains(words), qPrintable(about));
    // What each map means, with its formula; F1 opens the page, which fits a 1280×720 screen.
    const QString help = mapsHelpText();
    for (const QString& words : {QString("Aleatoric"), QString("Epistemic"), QString("mutual information"),
                                 QString("σ/μ"), QString("H[p̄] − (1/T)"), QString("exp(s<sub>t</sub>)"),
                                 QString("Segmentation"), QString("Depth"), QString("samples")})
        QVERIFY2(help.contains(words), qPrintable(words));
    QAction* whatIs = nullptr;
    for (QAction* a : f.window->menuBar()->findChildren<QAction*>())
        if (a->shortcut() == QKeySequence(QKeySequence::HelpContents)) whatIs = a;
    QVERIFY(whatIs);
    whatIs->trigger();
    QWidget* page = nullptr;
    QTRY_VERIFY_WITH_TIMEOUT((page = f.window->findChild<QWidget*>("maps_help")) && page->isVisible(), kWait);
    QVERIFY(page->width() <= 1280 && page->height() <= 720 - 40);
    page->close();
    // Made from the menus: every shortcut there is listed (Alt+Right, Ctrl+Shift+O were missing).
    const QString keys = shortcutsText(f.window->menuBar()->actions());
    for (const QString& k : {QString("Space"), QString("Alt+Right"), QString("Alt+Left"), QString("Ctrl+Shift+O"),
                             QString("Dataset → Next image"), QString("wheel")})
        QVERIFY2(keys.contains(k), qPrintable(k));
    int listed = 0;
    for (QAction* a : f.window->menuBar()->findChildren<QAction*>())
        if (!a->shortcut().isEmpty()) {
            QVERIFY2(keys.contains(a->shortcut().toString(QKeySequence::NativeText).toHtmlEscaped()), qPrintable(a->text()));
            ++listed;
        }
    QVERIFY(listed > 15);

    QSignalSpy shown(f.window.get(), &MainWindow::frameShown);
    f.window->openFile(kVideo);
    QTRY_VERIFY_WITH_TIMEOUT(!shown.isEmpty(), kWait);
    QSlider* scrubber = f.window->videoBar()->scrubber();
    const int frames = f.window->videoBar()->frameCount();
    QTest::mouseClick(scrubber, Qt::LeftButton, {}, QPoint(scrubber->width() * 3 / 4, scrubber->height() / 2));
    const int expected = (frames - 1) * 3 / 4;
    QTRY_VERIFY_WITH_TIMEOUT(std::abs(shown.last()[0].toInt() - expected) <= frames / 20 + 1, kWait);
    QAction* next = nullptr;
    for (QAction* a : f.window->findChildren<QAction*>())
        if (a->shortcut() == QKeySequence(Qt::Key_Period)) next = a;
    QVERIFY(next);
    const int before = shown.last()[0].toInt();
    next->trigger();
    QTRY_VERIFY_WITH_TIMEOUT(shown.last()[0].toInt() == before + 1, kWait);
}

// While a frame is analysed, playback goes on and the frames it passes are skipped, not queued.
// The worker is held in the first frame's run while 30 frames play: exactly one run has started.
void TestMainWindow::playingSkipsFramesInsteadOfFallingBehind() {
    auto gate = gatedModels(false);
    Fixture f(8, gatedLoader(gate));
    f.window->openModel(kModel);
    QSignalSpy shown(f.window.get(), &MainWindow::frameShown);
    f.window->openFile(kVideo);
    QTRY_VERIFY_WITH_TIMEOUT(!shown.isEmpty(), kWait);
    QTRY_VERIFY_WITH_TIMEOUT(gate->waiting() == 1, kWait);  // the first frame's run
    const int runs = f.session().controller().runsStarted();
    f.window->videoBar()->setPlaying(true);
    QTRY_VERIFY_WITH_TIMEOUT(shown.last()[0].toInt() >= 30, kWait);  // playback keeps its pace
    f.window->videoBar()->setPlaying(false);
    QCOMPARE(f.session().controller().runsStarted(), runs);  // nothing queued behind the held run
    const int displayed = shown.last()[0].toInt();
    gate->open();
    // Paused, the frame on screen is analysed to the end.
    QVERIFY(QTest::qWaitFor(
        [&] { return f.session().latest().final && f.session().latest().frameIndex == f.window->displayedFrame(); },
        kWait));
    QVERIFY(f.window->displayedFrame() >= displayed);
}

void TestMainWindow::overlayVideoExportRunsAndCancels() {
    Fixture f;
    QVERIFY(f.start());
    VideoExportRequest r;
    r.video = kVideo;
    r.modelPath = kModel;
    r.dir = f.dir.filePath("overlay");
    r.settings = f.session().settings();
    r.firstFrame = 5;
    r.lastFrame = 9;
    r.display = DisplayOptions{};
    QSignalSpy done(f.window.get(), &MainWindow::videoExportFinished);
    f.window->exportVideo(r);
    QTRY_VERIFY_WITH_TIMEOUT(done.count() == 1, kWait);
    QCOMPARE(done.first()[1].toString(), QString());
    QVERIFY(QFileInfo(QDir(r.dir).filePath("overlay.avi")).size() > 0);
    QCOMPARE(readAll(QDir(r.dir).filePath("frames.csv")).count('\n'), 1 + 4);
    cv::VideoCapture written(QDir(r.dir).filePath("overlay.avi").toStdString());
    QCOMPARE(static_cast<int>(written.get(cv::CAP_PROP_FRAME_COUNT)), 4);
    // The range as the dialog shows it, both ends included.
    const QJsonObject summary = QJsonDocument::fromJson(readAll(QDir(r.dir).filePath("summary.json"))).object();
    QCOMPARE(summary.value("first_frame").toInt(), 5);
    QCOMPARE(summary.value("last_frame").toInt(), 8);

    r.dir = f.dir.filePath("cancelled");
    r.firstFrame = 0;
    r.lastFrame = -1;
    r.settings.samples = 64;
    f.window->exportVideo(r);
    QProgressDialog* progress = nullptr;  // shows the job's frames: cancel once one is done
    QTRY_VERIFY_WITH_TIMEOUT((progress = f.window->findChild<QProgressDialog*>()) && progress->value() >= 1, kWait);
    f.window->cancelVideoExport();
    QTRY_VERIFY_WITH_TIMEOUT(done.count() == 2, kWait);
    QVERIFY(done.last()[2].toBool());                // cancelled
    QVERIFY(!QFileInfo::exists(r.dir));              // and nothing written
    QVERIFY(QDir(f.dir.path()).entryList(QStringList{".*partial*"}, QDir::Hidden | QDir::AllEntries).isEmpty());
}

void TestMainWindow::settingsPersist() {
    QTemporaryDir dir;
    const QString ini = dir.filePath("uvis.ini");
    {
        AppSettings settings(ini);
        MainWindow window(settings, MainWindow::Paths{kModel, appValidator()});
        window.samplingControls()->samplesSlider()->setValue(23);
        window.samplingControls()->dropoutSlider()->setValue(35);
        window.close();
    }
    AppSettings settings(ini);
    QCOMPARE(settings.samples(), 23);
    QCOMPARE(settings.dropout(), 0.35);
    QVERIFY(!settings.windowState().isEmpty());
    MainWindow window(settings, MainWindow::Paths{kModel, appValidator()});
    QCOMPARE(window.samplingControls()->settings().samples, 23);
}

void TestMainWindow::droppedFilesOpen() {
    Fixture f;
    f.window->openModel(kModel);
    QSignalSpy opened(f.window.get(), &MainWindow::fileOpened);
    QMimeData mime;
    mime.setUrls({QUrl::fromLocalFile(kSample)});
    QDragEnterEvent enter(QPoint(10, 10), Qt::CopyAction, &mime, Qt::LeftButton, Qt::NoModifier);
    QApplication::sendEvent(f.window.get(), &enter);
    QVERIFY(enter.isAccepted());
    QDropEvent drop(QPointF(10, 10), Qt::CopyAction, &mime, Qt::LeftButton, Qt::NoModifier);
    QApplication::sendEvent(f.window.get(), &drop);
    QTRY_VERIFY_WITH_TIMEOUT(opened.count() == 1, kWait);
    QCOMPARE(opened.first()[0].toString(), kSample);
    QVERIFY(f.waitForFinal(4));
    QVERIFY(f.settings->recentFiles().first().endsWith("A_000000_rgb.png"));  // and it is remembered
}

void TestMainWindow::zoomAndPanAreLinked() {
    Fixture f;
    QVERIFY(f.start());
    MapView* input = f.window->view(ViewId::Input);
    MapView* epistemic = f.window->view(ViewId::Epistemic);
    const QPointF anchor(0.25, 0.6);
    const QPoint cursor = input->toWidget(anchor).toPoint();
    QWheelEvent wheel(cursor, input->mapToGlobal(cursor), QPoint(), QPoint(0, 480), Qt::NoButton, Qt::NoModifier,
                      Qt::NoScrollPhase, false);
    QApplication::sendEvent(input, &wheel);
    QVERIFY(f.window->viewLink()->zoom() > 1.5);
    // The point under the cursor stayed there, and sits at the same place in the other view.
    const std::optional<QPointF> underCursor = input->toNormalised(cursor);
    QVERIFY(underCursor && std::abs(underCursor->x() - anchor.x()) < 0.01 && std::abs(underCursor->y() - anchor.y()) < 0.01);
    const QPointF a = input->toWidget(QPointF(0.4, 0.5)), b = epistemic->toWidget(QPointF(0.4, 0.5));
    const QPointF ca = input->toWidget(QPointF(0.5, 0.5)), cb = epistemic->toWidget(QPointF(0.5, 0.5));
    QVERIFY(std::abs((a - ca).x() / input->width() - (b - cb).x() / epistemic->width()) < 0.05);
    // A drag pans every view; double-click fits again.
    const QPointF before = f.window->viewLink()->centre();
    QTest::mousePress(epistemic, Qt::LeftButton, {}, QPoint(100, 100));
    QMouseEvent move(QEvent::MouseMove, QPointF(60, 100), epistemic->mapToGlobal(QPointF(60, 100)), Qt::NoButton,
                     Qt::LeftButton, Qt::NoModifier);
    QApplication::sendEvent(epistemic, &move);
    QTest::mouseRelease(epistemic, Qt::LeftButton, {}, QPoint(60, 100));
    QVERIFY(f.window->viewLink()->centre().x() > before.x());
    QTest::mouseDClick(input, Qt::LeftButton, {}, cursor);
    QCOMPARE(f.window->viewLink()->zoom(), 1.0);
}

void TestMainWindow::commandLineOpensTheModelAndFile() {
    QTemporaryDir dir;
    QProcess app;
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    env.insert("QT_QPA_PLATFORM", "offscreen");
    app.setProcessEnvironment(env);
    const QString shot = dir.filePath("window.png");
    app.start(UVIS_APP, {"--settings", dir.filePath("uvis.ini"), "--model", kModel, kSample, "--screenshot", shot});
    QVERIFY(app.waitForFinished(kWait));
    QCOMPARE(app.exitCode(), 0);
    QVERIFY(QImage(shot).width() > 400);
    app.start(UVIS_APP, {"--settings", dir.filePath("uvis.ini"), dir.filePath("missing.png")});
    QVERIFY(app.waitForFinished(kWait));
    QCOMPARE(app.exitCode(), 3);
    QVERIFY(app.readAllStandardError().contains("missing.png: no such file"));

    // The docs' screenshots wait for what they show: a video analysed whole (every 5th of its 100
    // frames), every image of a data set scored.
    app.start(UVIS_APP, {"--settings", dir.filePath("uvis.ini"), "--model", kModel, "--analyse-video", kVideo,
                         "--screenshot", dir.filePath("video.png")});
    QVERIFY(app.waitForFinished(kWait));
    QCOMPARE(app.exitCode(), 0);
    QVERIFY2(app.readAllStandardError().contains("video.png · 20 frames of the video analysed"), "");
    app.start(UVIS_APP, {"--settings", dir.filePath("uvis.ini"), "--model", kModel, "--cache-dir", dir.filePath("cache"),
                         UVIS_RESOURCES "/samples/domainA", "--screenshot", dir.filePath("dataset.png")});
    QVERIFY(app.waitForFinished(kWait));
    QCOMPARE(app.exitCode(), 0);
    QVERIFY2(app.readAllStandardError().contains("dataset.png · 4 of 4 images scored"), "");

    // A user's model from the build folder: checked by uvis itself in a child process, then shown.
    const QString userShot = dir.filePath("user.png");
    app.start(UVIS_APP, {"--settings", dir.filePath("uvis.ini"), "--model", UVIS_TEST_DATA "/models/encode_decode.pt",
                         kSample, "--screenshot", userShot});
    QVERIFY(app.waitForFinished(kWait));
    QVERIFY2(app.exitCode() == 0, app.readAllStandardError().constData());
    QVERIFY(QImage(userShot).width() > 400);

    // --screenshot has no person to click a message away: a bad input or model ends the run with
    // the message and exit 3 or 4 (it used to wait forever behind a modal box).
    QFile truncated(dir.filePath("cut.png"));
    QVERIFY(truncated.open(QIODevice::WriteOnly));
    truncated.write(readAll(kSample).left(300));
    truncated.close();
    for (const auto& [args, code, words] :
         {std::tuple{QStringList{truncated.fileName()}, 3, QString("cut.png")},
          std::tuple{QStringList{"--model", UVIS_TEST_DATA "/models/not_a_model.pt", kSample}, 4,
                     QString("not_a_model.pt")}}) {
        app.start(UVIS_APP, QStringList{"--settings", dir.filePath("uvis.ini"), "--screenshot", dir.filePath("x.png")} + args);
        QVERIFY(app.waitForFinished(kWait));
        QCOMPARE(app.exitCode(), code);
        QVERIFY(app.readAllStandardError().contains(words.toUtf8()));
        QVERIFY(!QFileInfo::exists(dir.filePath("x.png")));
    }

    // --version and --help need no display; usage errors exit 2; the hidden check mode.
    QProcess bare;
    QProcessEnvironment noDisplay;
    noDisplay.insert("PATH", qEnvironmentVariable("PATH"));
    bare.setProcessEnvironment(noDisplay);
    bare.start(UVIS_APP, {"--version"});
    QVERIFY(bare.waitForFinished(kWait));
    QCOMPARE(bare.exitCode(), 0);
    QVERIFY(bare.readAllStandardOutput().startsWith("uvis " UVIS_VERSION_NUMBER));
    for (const QStringList& odd : {QStringList{"--no-such-option"}, QStringList{"--compare", "sideways"},
                                   QStringList{"--compare-method", "tta"}}) {  // B's method without --compare
        bare.start(UVIS_APP, odd);
        QVERIFY(bare.waitForFinished(kWait));
        QCOMPARE(bare.exitCode(), 2);
    }
    bare.start(UVIS_APP, {"--check-model", UVIS_TEST_DATA "/models/encode_decode.pt"});
    QVERIFY(bare.waitForFinished(kWait));
    QCOMPARE(bare.exitCode(), 0);
    bare.start(UVIS_APP, {"--check-model", UVIS_TEST_DATA "/models/nan_output.pt"});
    QVERIFY(bare.waitForFinished(kWait));
    QCOMPARE(bare.exitCode(), 4);
    QVERIFY(bare.readAllStandardError().contains("nan_output.pt"));
}

void TestMainWindow::displayControlsChangeWhatTheViewsShow() {
    Fixture f;
    QVERIFY(f.start());
    QCOMPARE(f.window->view(ViewId::Epistemic)->view().legend->unit, std::string("m"));
    const int runs = f.session().controller().runsStarted();
    DisplayControls* display = f.window->displayControls();
    display->taskCombo()->setCurrentIndex(display->taskCombo()->findText("Segmentation"));
    QVERIFY(f.window->view(ViewId::Epistemic)->title().contains("mutual information"));
    QCOMPARE(f.window->view(ViewId::Epistemic)->view().legend->unit, std::string("nats"));
    QVERIFY(f.window->view(ViewId::Aleatoric)->title().contains("expected entropy"));
    display->measureCombo()->setCurrentIndex(display->measureCombo()->findData(int(Measure::SegLogitVariance)));
    QVERIFY(f.window->view(ViewId::Aleatoric)->title().contains("logit variance"));
    QVERIFY(f.window->view(ViewId::Selected)->title().contains("over the input"));
    // Display changes redraw the maps; they never start an inference.
    QCOMPARE(f.session().controller().runsStarted(), runs);
}

void TestMainWindow::methodComboSwitchesBetweenMethods() {
    Fixture f;
    QVERIFY(f.start());
    QComboBox* combo = f.window->samplingControls()->methodCombo();
    auto* items = qobject_cast<QStandardItemModel*>(combo->model());
    QVERIFY(items);
    auto select = [&](UncertaintyMethod m) { combo->setCurrentIndex(combo->findData(static_cast<int>(m))); };
    auto enabled = [&](UncertaintyMethod m) { return items->item(combo->findData(static_cast<int>(m)))->isEnabled(); };
    auto waitFor = [&](UncertaintyMethod m, int samples) {
        return QTest::qWaitFor([&] {
            const AnalysedFrame& a = f.session().latest();
            return a.final && a.settings.method == m && a.maps && a.maps->samplesDone == samples;
        }, kWait);
    };
    // One model: the ensemble methods are offered but cannot be chosen.
    QVERIFY(!enabled(UncertaintyMethod::Ensemble) && !enabled(UncertaintyMethod::EnsembleMc));
    QVERIFY(enabled(UncertaintyMethod::Tta));

    // TTA follows at p = 0 (SPEC §2) and back to MC dropout at the card's training rate.
    select(UncertaintyMethod::Tta);
    QVERIFY(waitFor(UncertaintyMethod::Tta, 4));
    QCOMPARE(f.session().latest().settings.dropout, 0.0);
    select(UncertaintyMethod::McDropout);
    QVERIFY(waitFor(UncertaintyMethod::McDropout, 4));
    QCOMPARE(f.session().latest().settings.dropout, 0.2);

    // An ensemble card of two copies of the demo model: the ensemble methods open up.
    const QString dir = f.dir.filePath("ensemble");
    QDir().mkpath(dir);
    for (const char* name : {"a.uvis", "b.uvis"}) QVERIFY(QFile::copy(kModel, dir + "/" + name));
    QFile card(dir + "/pair.json");
    QVERIFY(card.open(QIODevice::WriteOnly));
    card.write(R"({"uvis_ensemble": 1, "name": "demo pair", "members": ["a.uvis", "b.uvis"]})");
    card.close();
    f.window->openModel(card.fileName());  // checked in a child process like any user's model
    QVERIFY(QTest::qWaitFor([&] { return f.session().card().members == 2; }, kWait));
    QVERIFY(enabled(UncertaintyMethod::Ensemble));
    select(UncertaintyMethod::Ensemble);
    QVERIFY(waitFor(UncertaintyMethod::Ensemble, 2));  // one pass per member, whatever T says
    QVERIFY(!f.window->samplingControls()->samplesSlider()->isEnabled());
    QVERIFY(f.window->statusText().contains("demo pair"));
    select(UncertaintyMethod::EnsembleMc);
    QVERIFY(waitFor(UncertaintyMethod::EnsembleMc, 8));  // T = 4 per member

    // Back to one model: an ensemble method cannot stay.
    select(UncertaintyMethod::Ensemble);
    f.window->openModel(kModel);
    QVERIFY(QTest::qWaitFor([&] { return f.session().card().members == 1 && f.session().latest().final; }, kWait));
    QCOMPARE(combo->currentData().toInt(), static_cast<int>(UncertaintyMethod::McDropout));
    QCOMPARE(f.session().settings().method, UncertaintyMethod::McDropout);

    // A deterministic model (no dropout in its card): opened with test-time augmentation; MC
    // dropout is offered greyed with the reason; p does not apply.
    f.window->openModel(UVIS_TEST_DATA "/models/deterministic.pt");
    QVERIFY(QTest::qWaitFor([&] { return !f.session().card().hasDropout; }, kWait));
    QVERIFY(waitFor(UncertaintyMethod::Tta, 4));
    QCOMPARE(combo->currentData().toInt(), static_cast<int>(UncertaintyMethod::Tta));
    QVERIFY(!enabled(UncertaintyMethod::McDropout) && enabled(UncertaintyMethod::Tta));
    const QString why = items->item(combo->findData(static_cast<int>(UncertaintyMethod::McDropout)))->toolTip();
    QVERIFY2(why.contains("has no dropout") && why.contains("test-time augmentation"), qPrintable(why));
    QVERIFY(!f.window->samplingControls()->dropoutSlider()->isEnabled());
}

// A/B: the keys switch the views between A, B, side by side and B − A; B's own method
// comes from the A/B dock; the inspector and the Metrics dock give B's numbers beside A's.
void TestMainWindow::comparisonKeysSwitchBetweenAAndB() {
    Fixture f;
    QVERIFY(f.start());
    QVERIFY(QTest::qWaitForWindowActive(f.window.get()));
    ComparisonSession& compare = f.window->comparison();
    auto title = [&](ViewId id) { return f.window->view(id)->title(); };
    auto bFinal = [&](UncertaintyMethod m) {
        return QTest::qWaitFor([&] {
            const AnalysedFrame& b = compare.b().latest();
            return b.final && b.settings.method == m && compare.hasMetricsB();
        }, kWait);
    };
    QTest::keyClick(f.window.get(), Qt::Key_S);
    QCOMPARE(compare.mode(), CompareMode::Both);
    QVERIFY(bFinal(UncertaintyMethod::McDropout));
    // B's method in the A/B dock; A's dock is untouched.
    QComboBox* method = f.window->comparisonPanel()->controlsB()->methodCombo();
    method->setCurrentIndex(method->findData(static_cast<int>(UncertaintyMethod::Tta)));
    QVERIFY(bFinal(UncertaintyMethod::Tta));
    QCOMPARE(f.session().settings().method, UncertaintyMethod::McDropout);
    QTRY_VERIFY(title(ViewId::Input).startsWith("A · Depth"));
    QVERIFY(title(ViewId::Aleatoric).startsWith("B · Depth"));
    QVERIFY(f.window->comparisonPanel()->modeCombo()->currentText().contains("side by side"));
    // B's metrics under A's, each with its configuration.
    QVERIFY2(QTest::qWaitFor([&] { return f.window->metricsPanel()->comparisonText().contains("tta, T 4"); }, kWait),
             qPrintable(f.window->metricsPanel()->comparisonText()));
    QVERIFY(f.window->metricsPanel()->comparisonText().contains(
        QString("RMSE %1 m").arg(compare.metricsB().depth->rmse, 0, 'f', 3)));
    // The inspector: A's numbers, then B's at the same scene point.
    MapView* depth = f.window->view(ViewId::Depth);
    Q_EMIT depth->hovered(QPointF(0.4, 0.6));  // as the mouse does (inspectorShowsTheEngineValues moves it)
    QTRY_VERIFY(f.window->inspector()->text().contains("\n\nB: "));

    QTest::keyClick(f.window.get(), Qt::Key_D);
    QCOMPARE(compare.mode(), CompareMode::Difference);
    QTRY_COMPARE(title(ViewId::Depth), QString("B − A: depth μ"));
    QCOMPARE(title(ViewId::Input), QString("Input"));
    QTest::keyClick(f.window.get(), Qt::Key_B);
    QTRY_VERIFY(title(ViewId::Depth).startsWith("B · Depth μ"));
    QTRY_VERIFY(f.window->errorRow()->errorView(ErrorViewId::DepthError)->title().startsWith("B · Depth error"));
    QTest::keyClick(f.window.get(), Qt::Key_A);
    QTRY_VERIFY(title(ViewId::Depth).startsWith("A · Depth μ"));
    // A model B cannot use is refused by name in the A/B dock; B keeps the one it had.
    compare.openModelB(UVIS_TEST_DATA "/models/nan_output.pt");
    QTRY_VERIFY_WITH_TIMEOUT(f.window->comparisonPanel()->modelText().contains("nan_output.pt"), kWait);
    QCOMPARE(compare.b().modelPath(), kModel);
    const QList<QMessageBox*> boxes = f.window->findChildren<QMessageBox*>();
    QCOMPARE(boxes.size(), 1);  // and a box says it, as for A's models
    QVERIFY(boxes.first()->text().contains("nan_output.pt"));
    boxes.first()->close();
    f.window->activateWindow();
    QVERIFY(QTest::qWaitForWindowActive(f.window.get()));
    QTest::keyClick(f.window.get(), Qt::Key_C, Qt::ShiftModifier);
    QCOMPARE(compare.mode(), CompareMode::Off);
    QTRY_VERIFY(title(ViewId::Depth).startsWith("Depth μ"));
    QVERIFY(f.window->metricsPanel()->comparisonText().isEmpty());
}

QTEST_MAIN(TestMainWindow)
#include "tst_main_window.moc"
