// Settings: defaults, persistence, range checks on what a settings file says, the changed
// signal, and the recent-files logic on its own.

#include <QtTest>

#include "core/dataset/dataset_inputs.h"
#include "core/services/settings/export_folders.h"
#include "core/services/settings/display_state.h"
#include "core/services/settings/window_placement.h"
#include "core/services/settings/app_settings.h"
#include "core/services/settings/recent_files.h"

using namespace uvis;

class TestAppSettings : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void defaults();
    void persistsAndSignals();
    void rangeChecksWhatTheFileSays();
    void recentFilesMoveToTheFrontWithoutDuplicates();
    void exportsAreSuggestedOutsideTheOpenDataset();
    void aFirstWindowFitsTheScreenWithItsFrame();
    void theControlDocksTakeWhatTheyNeed();
    void samplingSettingsOutliveTheWindow();
    void displayStateForgetsRangesThatNoLongerApply();
    void openedFilesAreRemembered();
};

void TestAppSettings::defaults() {
    QTemporaryDir dir;
    AppSettings s(dir.filePath("uvis.ini"));
    QCOMPARE(s.samples(), 16);
    QCOMPARE(s.dropout(), -1.0);  // the card's train_p
    QCOMPARE(s.colormap(), QString("viridis"));
    QVERIFY(s.recentFiles().isEmpty());
    // One core stays with the GUI thread: cores − 1, at least one.
    QCOMPARE(s.threads(), std::max(1, QThread::idealThreadCount() - 1));
}

void TestAppSettings::persistsAndSignals() {
    QTemporaryDir dir;
    const QString file = dir.filePath("uvis.ini");
    {
        AppSettings s(file);
        QSignalSpy changed(&s, &AppSettings::changed);
        s.setSamples(32);
        s.setDropout(0.3);
        s.setColormap("Magma");
        s.setSamples(32);  // no change: no signal
        QCOMPARE(changed.count(), 3);
        QCOMPARE(changed.first()[0].toString(), QString("mc/samples"));
        s.setWindowGeometry("geometry-bytes");
    }
    AppSettings again(file);
    QCOMPARE(again.samples(), 32);
    QCOMPARE(again.dropout(), 0.3);
    QCOMPARE(again.colormap(), QString("magma"));
    QCOMPARE(again.windowGeometry(), QByteArray("geometry-bytes"));
}

void TestAppSettings::rangeChecksWhatTheFileSays() {
    QTemporaryDir dir;
    const QString file = dir.filePath("uvis.ini");
    {
        QSettings raw(file, QSettings::IniFormat);
        raw.setValue("mc/samples", 100000);
        raw.setValue("mc/dropout", 7.5);
        raw.setValue("view/colormap", "jet");
    }
    AppSettings s(file);
    QCOMPARE(s.samples(), 128);
    QCOMPARE(s.dropout(), 0.9);
    QCOMPARE(s.colormap(), QString("viridis"));
    s.setSamples(0);
    QCOMPARE(s.samples(), 1);
    s.setThreads(3);
    QCOMPARE(s.threads(), 3);
    s.setThreads(-5);  // automatic again
    QCOMPARE(s.threads(), std::max(1, QThread::idealThreadCount() - 1));
}

void TestAppSettings::recentFilesMoveToTheFrontWithoutDuplicates() {
    QStringList list;
    list = addRecentFile(list, "/a.png");
    list = addRecentFile(list, "/b.png");
    list = addRecentFile(list, "/a.png");
    QCOMPARE(list, (QStringList{"/a.png", "/b.png"}));
    for (int i = 0; i < 20; ++i) list = addRecentFile(list, QString("/f%1.png").arg(i), 5);
    QCOMPARE(list.size(), 5);
    QCOMPARE(list.first(), QString("/f19.png"));
}

void TestAppSettings::exportsAreSuggestedOutsideTheOpenDataset() {
    QTemporaryDir dir;
    QDir root(dir.path());
    QVERIFY(root.mkpath("photos/ds_small/sub") && root.mkpath("elsewhere"));
    const QString ds = root.filePath("photos/ds_small");
    const QString photos = root.filePath("photos");
    QCOMPARE(exportFolderOutside(ds, {ds}), photos);                       // the data set itself
    QCOMPARE(exportFolderOutside(ds + "/sub", {ds}), photos);              // a folder inside it
    QCOMPARE(exportFolderOutside(ds + "/sub/", {ds + "/"}), photos);       // spelt with slashes
    QCOMPARE(exportFolderOutside(root.filePath("elsewhere"), {ds}), root.filePath("elsewhere"));
    QCOMPARE(exportFolderOutside(root.filePath("photos/ds_small2"), {ds}), root.filePath("photos/ds_small2"));
    QCOMPARE(exportFolderOutside(ds, {ds + "/sub", photos}), dir.path());  // nested data-set folders
    QCOMPARE(exportFolderOutside(ds, {root.filePath("list.csv")}), ds);   // a manifest is not searched
    QCOMPARE(exportFolderOutside(ds, {}), ds);                             // no data set open
}

void TestAppSettings::aFirstWindowFitsTheScreenWithItsFrame() {
    QCOMPARE(firstWindowSize(QRect(0, 0, 1920, 1050)), std::optional<QSize>(QSize(1500, 820)));
    QVERIFY(!firstWindowSize(QRect(0, 0, 1280, 720)));  // maximised: a 820-high window and its title bar do not fit
    QVERIFY(!firstWindowSize(QRect(0, 0, 1366, 740)));
    QVERIFY(!firstWindowSize(QRect(0, 0, 1510, 900)));  // not wide enough for the frame's borders
}

void TestAppSettings::theControlDocksTakeWhatTheyNeed() {
    // 653 px of column: the controls their 151 and 227, the group under them the remaining 275.
    QCOMPARE(dockColumnHeights(653, {151, 227}, 87), (QList<int>{151, 227, 275}));
    QCOMPARE(dockColumnHeights(400, {151, 227}, 87), (QList<int>{151, 227, 87}));  // never below its minimum
    QCOMPARE(controlDockMinimumWidth(384, 1280), 384);  // a laptop: the controls whole
    QCOMPARE(controlDockMinimumWidth(384, 800), 266);   // a small screen: the views keep two thirds
}

void TestAppSettings::samplingSettingsOutliveTheWindow() {
    QTemporaryDir dir;
    AppSettings s(dir.filePath("uvis.ini"));
    QVERIFY(s.dropoutFollowsModel());
    QCOMPARE(s.startSettings().dropout, 0.2);  // until a model says its own rate
    SamplingSettings chosen;
    chosen.samples = 40;
    chosen.seed = 9;
    chosen.dropout = 0.35;
    s.rememberSettings(chosen, false);
    AppSettings again(dir.filePath("uvis.ini"));
    QCOMPARE(again.startSettings().samples, 40);
    QCOMPARE(again.startSettings().seed, std::uint64_t(9));
    QCOMPARE(again.startSettings().dropout, 0.35);
    QVERIFY(!again.dropoutFollowsModel());
    again.rememberSettings(chosen, true);  // p follows the model again: the rate is not kept
    QVERIFY(AppSettings(dir.filePath("uvis.ini")).dropoutFollowsModel());
}

void TestAppSettings::displayStateForgetsRangesThatNoLongerApply() {
    DisplayState state;
    QVERIFY(state.shown(true).rangeMode == RangeMode::FixedAcrossVideo);  // Automatic, on a video
    QVERIFY(state.shown(false).rangeMode == RangeMode::AutoPerFrame);
    state.ranges().ranges[ViewId::Epistemic] = ValueRange{0.f, 2.f};
    DisplayOptions o = state.options();
    o.colormap = Colormap::Magma;  // another colormap keeps the fixed ranges
    state.setOptions(o);
    QCOMPARE(state.ranges().ranges.size(), size_t(1));
    o.measure = Measure::DepthAleatoricStd;  // another measure does not
    state.setOptions(o);
    QVERIFY(state.ranges().ranges.empty());
    // A model without depth: the display follows it to segmentation, and the ranges start over.
    state.ranges().ranges[ViewId::Epistemic] = ValueRange{0.f, 2.f};
    ModelCard segOnly;
    segOnly.segmentation = true;
    QVERIFY(state.followModel(segOnly).task == UncertaintyTask::Segmentation);
    QVERIFY(state.ranges().ranges.empty());
}

void TestAppSettings::openedFilesAreRemembered() {
    QTemporaryDir dir;
    AppSettings s(dir.filePath("uvis.ini"));
    s.rememberOpened(dir.filePath("photos/a.png"));
    QCOMPARE(s.recentFiles().first(), dir.filePath("photos/a.png"));
    QCOMPARE(s.lastFolder(), dir.filePath("photos"));
    QVERIFY(isDatasetPath(dir.path().toStdString()));
    QVERIFY(isDatasetPath(dir.filePath("list.csv").toStdString()));
    QVERIFY(!isDatasetPath(dir.filePath("a.png").toStdString()));
}

QTEST_MAIN(TestAppSettings)
#include "tst_app_settings.moc"
