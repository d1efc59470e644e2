// Settings: defaults, persistence, range checks on what a settings file says, the changed
// signal, and the recent-files logic on its own.

#include <QtTest>

#include "core/services/settings/export_folders.h"
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

QTEST_MAIN(TestAppSettings)
#include "tst_app_settings.moc"
