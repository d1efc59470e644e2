// The data set in the application: the order and filters Next/Previous follow, the
// background scoring (the same numbers as uvis-cli), the score cache, and the Dataset dock as a
// user drives it — sort by error, click the worst, step with the keyboard, click the scatter,
// export a batch.

#include <QComboBox>
#include <QDockWidget>
#include <QHeaderView>
#include <QProcess>
#include <QSpinBox>
#include <QTableView>
#include <QProgressDialog>
#include <QPushButton>
#include <QtTest>

#include <nlohmann/json.hpp>

#include <filesystem>
#include <functional>
#include <fstream>

#include "core/model/model_loader.h"
#include "core/services/batch/dataset_order.h"
#include "core/services/sessions/dataset_session.h"
#include "ui/dataset_browser.h"
#include "ui/dataset_panel.h"
#include "ui/dataset_scatter.h"
#include "ui/dataset_table_model.h"
#include "ui/sampling_controls.h"
#include "window_fixture.h"

using namespace uvis;
using namespace uvis::test;
namespace fs = std::filesystem;

namespace {

// Both sample domains as A/… and B/…, with ground truth and class lists.
void copySamples(const QString& dir) {
    for (const char* domain : {"A", "B"}) {
        const fs::path to = fs::path(dir.toStdString()) / domain;
        fs::create_directories(to);
        for (const auto& e : fs::directory_iterator(std::string(UVIS_RESOURCES) + "/samples/domain" + domain))
            fs::copy_file(e.path(), to / e.path().filename());
    }
}

ImageRow row(const std::string& name, double absRel, bool truth) {
    ImageRow r;
    r.image = name;
    r.absRel = absRel;
    if (truth) r.depthSums = DepthSums{};
    return r;
}

SamplingSettings settingsT(int samples) {
    SamplingSettings s;
    s.samples = samples;
    s.dropout = 0.2;
    return s;
}

QString readText(const QString& path) {
    QFile f(path);
    return f.open(QIODevice::ReadOnly) ? QString::fromUtf8(f.readAll()) : QString();
}

}  // namespace

class TestDatasetBrowser : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void orderSortsFiltersAndSteps();
    void sessionScoresAsTheCliDoesAndCaches();
    void windowOpensAFolderAndHuntsTheWorst();
    void everySettingThatChangesAScoreRescoresTheTable();
    void exportsNeverBecomePartOfTheDataset();
    void aTruncatedFileIsFlaggedAndCounted();
    void oneSelectedRowFollowsTheShownImage();
};

void TestDatasetBrowser::orderSortsFiltersAndSteps() {
    const ImageRow a = row("a.png", 0.2, true), b = row("b.png", 0.5, true), c = row("c.png", std::nan(""), false);
    DatasetOrder order;
    const std::vector<std::string> names{"a.png", "b.png", "c.png", "d.png"};
    // d.png is not scored yet: it sorts last and passes only the name filter.
    order.update(names, {&a, &b, &c, nullptr}, {"abs_rel", true}, {});
    QCOMPARE(order.visible(), (std::vector<int>{1, 0, 2, 3}));
    QCOMPARE(order.next(1), 0);
    QCOMPARE(order.previous(1), -1);
    QCOMPARE(order.next(3), -1);
    QCOMPARE(order.next(-1), 1);  // nothing on screen yet: the first
    order.update(names, {&a, &b, &c, nullptr}, {"abs_rel", false}, {});
    QCOMPARE(order.visible(), (std::vector<int>{0, 1, 2, 3}));
    // By name, whatever the case: "B.png" between "a.png" and "c.png", both ways.
    const std::vector<std::string> mixed{"c.png", "B.png", "a.png"};
    order.update(mixed, {nullptr, nullptr, nullptr}, {"image", false}, {});
    QCOMPARE(order.visible(), (std::vector<int>{2, 1, 0}));
    order.update(mixed, {nullptr, nullptr, nullptr}, {"image", true}, {});
    QCOMPARE(order.visible(), (std::vector<int>{0, 1, 2}));
    DatasetFilter truth;
    truth.needsTruth = true;
    order.update(names, {&a, &b, &c, nullptr}, {}, truth);
    QCOMPARE(order.visible(), (std::vector<int>{0, 1}));
    DatasetFilter threshold;
    threshold.column = "abs_rel";
    threshold.atLeast = 0.3;
    order.update(names, {&a, &b, &c, nullptr}, {}, threshold);
    QCOMPARE(order.visible(), (std::vector<int>{1}));
    DatasetFilter name;
    name.nameContains = "D.P";
    order.update(names, {&a, &b, &c, nullptr}, {"image", true}, name);
    QCOMPARE(order.visible(), (std::vector<int>{3}));
}

void TestDatasetBrowser::sessionScoresAsTheCliDoesAndCaches() {
    QTemporaryDir data, out, cacheDir;
    copySamples(data.path());
    QProcess cli;
    cli.start(UVIS_CLI, {"infer", "-q", "-T", "2", "-p", "0.2", "-o", out.path(), data.path()});
    QVERIFY(cli.waitForFinished(kWait) && cli.exitCode() == 0);

    const LoadedModel model = loadModel(kModel.toStdString());
    QVERIFY(model);
    const ModelCard card = modelCard(*model.model);
    ScoreCache cache(cacheDir.path());
    DatasetSession session;
    session.setCache(&cache);
    QVERIFY(session.open({data.path()}).isEmpty());
    QCOMPARE(session.inputs().size(), size_t(8));
    QSignalSpy finished(&session, &DatasetSession::finished);
    QSignalSpy scored(&session, &DatasetSession::rowScored);
    session.prioritize(5);
    session.score(kModel, card, settingsT(2));
    QVERIFY(finished.wait(kWait));
    QCOMPARE(scored.count(), 8);
    // The same rows, number for number, as the CLI's table.
    QCOMPARE(QString::fromStdString(datasetCsv(session.table())), readText(out.filePath("dataset.csv")));
    QCOMPARE(QDir(cacheDir.path()).entryList({"*.json"}).size(), 8);

    // Reopened with the same model and settings: every row from the cache, equal.
    DatasetSession again;
    again.setCache(&cache);
    again.open({data.path()});
    QSignalSpy againFinished(&again, &DatasetSession::finished);
    again.score(kModel, card, settingsT(2));
    QVERIFY(againFinished.wait(kWait));
    QCOMPARE(datasetCsv(again.table()), datasetCsv(session.table()));
    QVERIFY(again.thumbnail(0).width() > 0);
    // Other settings are other numbers: scored again, not read from the cache.
    DatasetSession other;
    other.setCache(&cache);
    other.open({data.path()});
    QSignalSpy otherFinished(&other, &DatasetSession::finished);
    other.score(kModel, card, settingsT(3));
    QVERIFY(otherFinished.wait(kWait));
    QVERIFY(datasetCsv(other.table()) != datasetCsv(session.table()));
    QCOMPARE(QDir(cacheDir.path()).entryList({"*.json"}).size(), 16);
}

void TestDatasetBrowser::windowOpensAFolderAndHuntsTheWorst() {
    QTemporaryDir data, exportDir;
    copySamples(data.path());
    Fixture f(2);
    f.window->openModel(kModel);
    DatasetBrowser* browser = f.window->datasetBrowser();
    QSignalSpy finished(&browser->session(), &DatasetSession::finished);
    QSignalSpy opened(f.window.get(), &MainWindow::fileOpened);
    f.window->openFile(data.path());  // as `uvis FOLDER` and File → Open folder do
    QVERIFY(f.window->findChild<QDockWidget*>("dock_dataset")->isVisible());
    QVERIFY(QTest::qWaitFor([&] { return browser->session().scoredCount() == 8; }, kWait));
    QVERIFY(QTest::qWaitFor([&] { return !opened.isEmpty(); }, kWait));  // the first image is on screen
    DatasetPanel* panel = browser->panel();
    panel->refresh();
    QTableView* table = panel->table();
    QCOMPARE(table->model()->rowCount(), 8);

    // Sorted by abs-rel, worst first (a click on the header, twice), a click opens the worst image.
    const int column = panel->model()->columnOf("abs_rel");
    QVERIFY(column > 0);
    table->sortByColumn(column, Qt::DescendingOrder);
    int worst = 0;
    for (int i = 0; i < 8; ++i)
        if (browser->session().row(i)->absRel > browser->session().row(worst)->absRel) worst = i;
    QCOMPARE(panel->model()->inputAt(0), worst);
    const QString worstPath = QString::fromStdString(browser->session().inputs()[worst].path);
    opened.clear();
    QTest::mouseClick(table->viewport(), Qt::LeftButton, {}, table->visualRect(table->model()->index(0, 0)).center());
    QVERIFY(QTest::qWaitFor([&] { return f.window->currentFile() == worstPath; }, kWait));
    QCOMPARE(browser->current(), worst);

    // Next with the keyboard, while a spin box has the focus (PageDown used to change T instead).
    QSpinBox* samples = f.window->samplingControls()->findChild<QSpinBox*>();
    QVERIFY(samples);
    f.window->activateWindow();
    QVERIFY(QTest::qWaitForWindowActive(f.window.get()));  // an application shortcut needs an active window
    samples->setFocus();
    const int before = samples->value();
    QTest::keyClick(samples, Qt::Key_Right, Qt::AltModifier);
    const QString second = QString::fromStdString(browser->session().inputs()[panel->model()->inputAt(1)].path);
    QVERIFY(QTest::qWaitFor([&] { return f.window->currentFile() == second; }, kWait));
    QCOMPARE(samples->value(), before);
    QTest::keyClick(samples, Qt::Key_Left, Qt::AltModifier);
    QVERIFY(QTest::qWaitFor([&] { return f.window->currentFile() == worstPath; }, kWait));

    // The scatter: a click on an image's point opens it.
    DatasetScatter* scatter = panel->scatter();
    scatter->resize(400, 300);
    scatter->refresh();
    const int target = panel->model()->inputAt(3);
    const QPointF point = scatter->pointOf(target);
    QVERIFY(point.x() >= 0);
    QSignalSpy clicked(scatter, &DatasetScatter::inputClicked);
    QTest::mouseClick(scatter, Qt::LeftButton, {}, point.toPoint());
    QCOMPARE(clicked.count(), 1);
    QVERIFY(QTest::qWaitFor(
        [&] { return f.window->currentFile() == QString::fromStdString(browser->session().inputs()[target].path); },
        kWait));

    // The worst two as one batch folder: their results and their table.
    QSignalSpy exported(browser, &DatasetBrowser::batchExported);
    const QString dir = exportDir.filePath("worst");
    browser->exportInputs(panel->firstInputs(2), dir, false);
    QVERIFY(exported.wait(kWait));
    QVERIFY2(exported.first().at(1).toString().isEmpty(), qPrintable(exported.first().at(1).toString()));
    const QStringList lines = readText(dir + "/dataset.csv").trimmed().split('\n');
    QCOMPARE(lines.size(), 3);
    const QString worstName = QString::fromStdString(browser->session().inputs()[worst].name);
    QVERIFY(lines.join('\n').contains(worstName));
    QVERIFY(QFile::exists(dir + "/" + worstName.left(worstName.size() - 4) + "/summary.json"));

    // An export of every image, cancelled from its progress dialog once one is done: nothing is
    // written. At T = 64 the other seven take tens of seconds, far longer than the cancel.
    SamplingSettings many = f.session().settings();
    many.samples = 64;
    f.session().setSettings(many);
    const QString all = exportDir.filePath("all");
    browser->exportInputs(panel->firstInputs(8), all, false);
    QProgressDialog* progress = nullptr;
    QTRY_VERIFY_WITH_TIMEOUT((progress = f.window->findChild<QProgressDialog*>()) && progress->isVisible() &&
                                 progress->value() >= 1,
                             kWait);
    QPushButton* cancel = progress->findChild<QPushButton*>();
    QVERIFY(cancel);
    QTest::mouseClick(cancel, Qt::LeftButton);
    QTRY_COMPARE_WITH_TIMEOUT(exported.count(), 2, kWait);
    QVERIFY(exported.last().at(2).toBool());  // cancelled
    QVERIFY(!QFileInfo::exists(all));
}

void TestDatasetBrowser::everySettingThatChangesAScoreRescoresTheTable() {
    QTemporaryDir data;
    copySamples(data.path());
    Fixture f(2);
    f.window->openModel(kModel);
    DatasetBrowser* browser = f.window->datasetBrowser();
    f.window->openFile(data.path());
    AnalysisSession& analysis = f.session();
    const DatasetSession& session = browser->session();
    // Every row scored, and the table made with the settings the views use now.
    auto tableFollows = [&] {
        return analysis.hasModel() && session.scoredCount() == 8 && !session.running() &&
               session.table().settings ==
                   datasetSettings(analysis.card(), analysis.modelPath().toStdString(), analysis.settings());
    };
    QTRY_VERIFY_WITH_TIMEOUT(tableFollows(), kWait);
    const std::vector<std::pair<const char*, std::function<void(SamplingSettings&)>>> changes = {
        {"T", [](SamplingSettings& s) { s.samples = 3; }},
        {"seed", [](SamplingSettings& s) { s.seed = 5; }},
        {"p", [](SamplingSettings& s) { s.dropout = 0.1; }},
        {"method", [](SamplingSettings& s) { s.method = UncertaintyMethod::Tta; }},
    };
    for (const auto& [name, change] : changes) {
        const std::string before = datasetCsv(session.table());
        SamplingSettings s = analysis.settings();
        change(s);
        analysis.setSettings(s);  // what the dock's controls send
        QTRY_VERIFY2_WITH_TIMEOUT(tableFollows(), name, kWait);
        QVERIFY2(datasetCsv(session.table()) != before, name);
    }
    QCOMPARE(session.table().settings.samples, 3);
    QCOMPARE(session.table().settings.seed, std::uint64_t(5));
    QCOMPARE(session.table().settings.method, std::string("tta"));
}

void TestDatasetBrowser::exportsNeverBecomePartOfTheDataset() {
    QTemporaryDir data;
    copySamples(data.path());
    Fixture f(2);
    f.window->openModel(kModel);
    f.window->openFile(data.path());
    QVERIFY(f.waitForFinal(2));
    // Export dialogs start beside the data set, not in it.
    const QString start = f.window->exportFolder();
    QCOMPARE(QDir::cleanPath(start), QDir::cleanPath(QFileInfo(data.path()).absolutePath()));
    // A user who exports into the data set anyway: reopened, it holds its 8 images, not the maps.
    QSignalSpy exported(f.window.get(), &MainWindow::exportFinished);
    f.window->exportCurrentView(data.filePath("A/A_000000_rgb-uvis"), false);
    QVERIFY(exported.wait(kWait));
    QVERIFY2(exported.first().at(1).toString().isEmpty(), qPrintable(exported.first().at(1).toString()));
    QVERIFY(QFile::exists(data.filePath("A/A_000000_rgb-uvis/depth.png")));
    f.window->openFile(data.path());
    QCOMPARE(f.window->datasetBrowser()->session().inputs().size(), size_t(8));
}

void TestDatasetBrowser::aTruncatedFileIsFlaggedAndCounted() {
    QTemporaryDir data;
    const QString sample = QString(UVIS_RESOURCES) + "/samples/domainA/A_000000_rgb.png";
    QVERIFY(QFile::copy(sample, data.filePath("fine.png")));
    QVERIFY(QImage(sample).save(data.filePath("cut.jpg"), "JPEG"));
    QFile jpeg(data.filePath("cut.jpg"));
    QVERIFY(jpeg.open(QIODevice::ReadWrite) && jpeg.resize(jpeg.size() * 2 / 3));
    jpeg.close();
    const LoadedModel model = loadModel(kModel.toStdString());
    QVERIFY(model);
    DatasetSession session;
    QVERIFY(session.open({data.path()}).isEmpty());
    QSignalSpy finished(&session, &DatasetSession::finished);
    session.score(kModel, modelCard(*model.model), settingsT(2));
    QVERIFY(finished.wait(kWait));
    DatasetPanel panel(session);
    panel.refresh();
    QVERIFY2(panel.summary().startsWith("2 images · 2 scored (1 with warnings: ⚠) · 0 failed"), qPrintable(panel.summary()));
    const int cut = session.indexOf(data.filePath("cut.jpg"));
    const QModelIndex name = panel.model()->index(panel.model()->rowOf(cut), 0);
    QVERIFY(name.data().toString().startsWith("⚠ cut.jpg"));
    QVERIFY(name.data(Qt::ToolTipRole).toString().contains("ends early"));
    const int fine = session.indexOf(data.filePath("fine.png"));
    QCOMPARE(panel.model()->index(panel.model()->rowOf(fine), 0).data().toString(), QString("fine.png"));
    // Every number of a column with the same decimals, four significant digits for its largest.
    for (int c = 1; c < panel.model()->columnCount(); ++c) {
        const QString a = panel.model()->index(0, c).data().toString(), b = panel.model()->index(1, c).data().toString();
        if (a == "–" || b == "–") continue;
        QCOMPARE(a.size() - a.indexOf('.'), b.size() - b.indexOf('.'));
    }
}

void TestDatasetBrowser::oneSelectedRowFollowsTheShownImage() {
    QTemporaryDir data;
    copySamples(data.path());
    const LoadedModel model = loadModel(kModel.toStdString());
    QVERIFY(model);
    DatasetSession session;
    session.open({data.path()});
    QSignalSpy finished(&session, &DatasetSession::finished);
    session.score(kModel, modelCard(*model.model), settingsT(2));
    QVERIFY(finished.wait(kWait));
    DatasetPanel panel(session);
    panel.refresh();
    panel.setCurrent(3);
    QCOMPARE(panel.selectedInputs(), QList<int>{3});
    panel.setCurrent(5);  // Next, or a click on another row: the highlight moves, it is not added
    QCOMPARE(panel.selectedInputs(), QList<int>{5});
    QCOMPARE(panel.model()->inputAt(panel.table()->currentIndex().row()), 5);
    // Sorted by abs-rel both ways: the selected row is still the shown image's.
    const int column = panel.model()->columnOf("abs_rel");
    for (Qt::SortOrder order : {Qt::DescendingOrder, Qt::AscendingOrder}) {
        panel.table()->sortByColumn(column, order);
        QCOMPARE(panel.selectedInputs(), QList<int>{5});
    }
    panel.refresh();  // rows redrawn as new scores arrive
    QCOMPARE(panel.selectedInputs(), QList<int>{5});
}

QTEST_MAIN(TestDatasetBrowser)
#include "tst_dataset_browser.moc"
