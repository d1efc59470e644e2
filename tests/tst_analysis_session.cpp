// The AnalysisSession's policy: the latest request wins, playing video skips frames while paused
// video supersedes, a model switch is one round trip (p follows the model's training rate unless
// the user moved it), a slow check of a user's model cannot replace a model opened after it, and
// a model that hangs its check is refused by name; p follows the method (tta at 0), an ensemble
// method falls back to mc on a single model, and the model's calibration follows method and toggle.

#include <QtTest>

#include "core/calibration/calibration.h"
#include "core/io/image_io.h"
#include "sampling_settings_for.h"
#include "core/services/sessions/analysis_session.h"
#include "test_models.h"

using namespace uvis;

namespace {

const QString kModel = UVIS_RESOURCES "/models/uvis-street-demo.uvis";
const QString kUserModel = UVIS_TEST_DATA "/models/encode_decode.pt";  // train_p 0.3
constexpr int kWait = 300000;  // a bound for a busy machine and a sanitizer build, not a measure

RgbImage sample(int i = 0) {
    return readRgbImage(QString(UVIS_RESOURCES "/samples/domainA/A_00000%1_rgb.png").arg(i).toStdString()).image;
}

ValidatorCommand appValidator() { return {UVIS_APP, {"--check-model"}}; }

// A check that accepts any model after `seconds` (a slow check of a big model).
ValidatorCommand slowValidator(QTemporaryDir& dir, double seconds) {
    const QString path = dir.filePath("slow-check.sh");
    QFile script(path);
    script.open(QIODevice::WriteOnly);
    script.write(QString("#!/bin/sh\nsleep %1\nexit 0\n").arg(seconds).toUtf8());
    script.close();
    script.setPermissions(QFileDevice::ExeOwner | QFileDevice::ReadOwner);
    return {path, {}};
}

SamplingSettings settings(int samples, double p = 0.2, std::uint64_t seed = 0) { return test::settingsFor(samples, p, seed); }

// The worker loads models behind `gate` (test_models.h): held in a decode while it is closed.
ModelLoaderFn gatedLoader(std::shared_ptr<test::Gate> gate) {
    return [gate](const std::string& path, DeviceKind device) {
        LoadedModel loaded = loadModel(path, device);
        if (loaded) loaded.model = test::makeGatedModel(loaded.model, gate);
        return loaded;
    };
}

bool waitForModel(AnalysisSession& s, const QString& path) {
    return QTest::qWaitFor([&] { return s.hasModel() && s.modelPath() == path; }, kWait);
}

}  // namespace

class TestAnalysisSession : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void latestRequestWins();
    void pausedSupersedesPlayingSkips();
    void modelSwitchFollowsTheTrainingRate();
    void aMovedDropoutRateIsKeptAcrossModels();
    void aSlowCheckIsSupersededByALaterOpen();
    void aModelThatHangsItsCheckIsRefusedByName();
    void methodsMoveTheFollowedRateAndFallBackWithoutAnEnsemble();
    void calibrationFollowsTheMethodAndTheToggle();
};

// A slider drag while the first image runs: the worker is held in that run's first decode while
// the drag arrives, so exactly one more run starts — the drag's last settings.
void TestAnalysisSession::latestRequestWins() {
    auto gate = std::make_shared<test::Gate>(false, [] { return QThread::currentThread()->isInterruptionRequested(); });
    AnalysisSession s(appValidator(), nullptr, gatedLoader(gate));
    s.openModel(kModel, true);
    QVERIFY(waitForModel(s, kModel));
    s.setImage(sample());
    QTRY_VERIFY_WITH_TIMEOUT(gate->waiting() == 1, kWait);
    for (int t = 1; t <= 30; ++t) s.setSettings(settings(t + 10, 0.2, t));  // a slider drag
    gate->open();
    QVERIFY(QTest::qWaitFor([&] { return s.latest().final && !s.busy(); }, kWait));
    QCOMPARE(s.latest().maps->samplesRequested, 40);
    QCOMPARE(s.latest().settings.seed, std::uint64_t(30));
    QCOMPARE(s.controller().runsStarted(), 2);
}

// Playing: the running frame completes and the newest frame goes next (frames in between are
// skipped). Paused: a new frame supersedes the running one at once.
void TestAnalysisSession::pausedSupersedesPlayingSkips() {
    AnalysisSession s(appValidator());
    s.openModel(kModel, true);
    QVERIFY(waitForModel(s, kModel));
    s.setSettings(settings(24));
    QList<int> finals;
    connect(&s, &AnalysisSession::resultUpdated, this, [&](const AnalysedFrame& f) {
        if (f.final) finals << f.frameIndex;
    });
    s.setPlaying(true);
    for (int frame = 0; frame < 4; ++frame) s.setImage(sample(frame), frame);
    QVERIFY(QTest::qWaitFor([&] { return !s.busy() && finals.size() >= 2; }, kWait));
    QCOMPARE(finals, (QList<int>{0, 3}));  // the first frame finished; 1 and 2 were skipped
    finals.clear();
    s.setPlaying(false);
    for (int frame = 0; frame < 4; ++frame) s.setImage(sample(frame), 10 + frame);
    QVERIFY(QTest::qWaitFor([&] { return !s.busy() && !finals.isEmpty(); }, kWait));
    QCOMPARE(finals, (QList<int>{13}));  // every change superseded the one before
}

// One round trip per model: settingsChanged (p = the model's train_p) before modelLoaded, and a
// single request after it.
void TestAnalysisSession::modelSwitchFollowsTheTrainingRate() {
    AnalysisSession s(appValidator());
    QSignalSpy changed(&s, &AnalysisSession::settingsChanged);
    s.setSettings(settings(4, 0.55));
    s.setDropoutFollowsModel(true);  // as the window does when the settings say "follow the model"
    s.setImage(sample());
    s.openModel(kModel, true);
    QVERIFY(waitForModel(s, kModel));
    const double demoP = s.card().trainDropout;
    QCOMPARE(s.settings().dropout, demoP);
    QCOMPARE(changed.count(), 1);
    QVERIFY(QTest::qWaitFor([&] { return s.latest().final; }, kWait));
    QCOMPARE(s.latest().settings.dropout, demoP);
    const int runs = s.controller().runsStarted();
    QCOMPARE(runs, 1);  // the load asked once, not once per listener

    s.openModel(kUserModel, false);  // checked by the application itself in a child process
    QVERIFY(waitForModel(s, kUserModel));
    QCOMPARE(s.settings().dropout, 0.3);
    QVERIFY(s.dropoutFollowsModel());
    QVERIFY(QTest::qWaitFor([&] { return s.latest().final && s.latest().settings.dropout == 0.3; }, kWait));
    QCOMPARE(s.controller().runsStarted(), runs + 1);
}

void TestAnalysisSession::aMovedDropoutRateIsKeptAcrossModels() {
    AnalysisSession s(appValidator());
    s.openModel(kModel, true);
    QVERIFY(waitForModel(s, kModel));
    s.setSettings(settings(4, 0.45));  // the user moved p away from the training rate
    QVERIFY(!s.dropoutFollowsModel());
    s.openModel(kUserModel, false);
    QVERIFY(waitForModel(s, kUserModel));
    QCOMPARE(s.settings().dropout, 0.45);
    s.setDropoutFollowsModel(true);
    QCOMPARE(s.settings().dropout, 0.3);
}

// The bug: a user's model whose check ends after the bundled model was opened replaced it.
void TestAnalysisSession::aSlowCheckIsSupersededByALaterOpen() {
    QTemporaryDir dir;
    AnalysisSession s(slowValidator(dir, 1.5));
    QSignalSpy loaded(&s, &AnalysisSession::modelLoaded);
    QSignalSpy superseded(&s, &AnalysisSession::modelCheckSuperseded);
    s.openModel(kUserModel, false);  // checked for 1.5 s
    s.openModel(kModel, true);       // opened while that check runs
    QVERIFY(waitForModel(s, kModel));
    QTRY_COMPARE_WITH_TIMEOUT(superseded.count(), 1, kWait);  // the slow check has ended
    QCOMPARE(superseded.first()[0].toString(), kUserModel);
    QCOMPARE(s.modelPath(), kModel);
    QCOMPARE(loaded.count(), 1);
}

void TestAnalysisSession::aModelThatHangsItsCheckIsRefusedByName() {
    AnalysisSession s(appValidator(), nullptr, {}, 4000);
    s.openModel(kModel, true);
    QVERIFY(waitForModel(s, kModel));
    QSignalSpy failed(&s, &AnalysisSession::modelFailed);
    const QString hang = UVIS_TEST_DATA "/models/hang.pt";
    s.openModel(hang, false);
    QVERIFY(failed.wait(kWait));
    QCOMPARE(failed.first()[0].toString(), hang);
    QVERIFY2(failed.first()[1].toString().contains("within 4 s"), qPrintable(failed.first()[1].toString()));
    QCOMPARE(s.modelPath(), kModel);  // the previous model stays
}

void TestAnalysisSession::methodsMoveTheFollowedRateAndFallBackWithoutAnEnsemble() {
    AnalysisSession s(appValidator());
    s.openModel(kModel, true);
    QVERIFY(waitForModel(s, kModel));
    QVERIFY(s.dropoutFollowsModel());
    SamplingSettings tta = s.settings();
    tta.method = UncertaintyMethod::Tta;
    s.setSettings(tta);
    QCOMPARE(s.settings().dropout, 0.0);  // SPEC §2: p = 0 unless asked
    QVERIFY(s.dropoutFollowsModel());
    SamplingSettings mc = s.settings();
    mc.method = UncertaintyMethod::McDropout;
    s.setSettings(mc);
    QCOMPARE(s.settings().dropout, s.card().trainDropout);
    mc.dropout = 0.4;  // chosen by the user: kept when the method changes
    s.setSettings(mc);
    tta = s.settings();
    tta.method = UncertaintyMethod::Tta;
    s.setSettings(tta);
    QCOMPARE(s.settings().dropout, 0.4);

    // An ensemble method asked for while a single model loads falls back to mc.
    SamplingSettings ensemble = s.settings();
    ensemble.method = UncertaintyMethod::Ensemble;
    s.setSettings(ensemble);
    QCOMPARE(s.settings().dropout, 0.0);  // a plain ensemble has no dropout
    QSignalSpy changed(&s, &AnalysisSession::settingsChanged);
    s.openModel(kUserModel, false);
    QVERIFY(waitForModel(s, kUserModel));
    QCOMPARE(s.settings().method, UncertaintyMethod::McDropout);
    QVERIFY(!changed.isEmpty());
}

void TestAnalysisSession::calibrationFollowsTheMethodAndTheToggle() {
    QTemporaryDir dir;
    const QString model = dir.filePath("demo.uvis");
    QVERIFY(QFile::copy(kModel, model));
    CalibrationFile file;
    CalibrationRecord fit;
    fit.calibration = {2.0, 5.0};
    file.methods["tta"] = fit;
    QFile out(dir.filePath("demo.calibration.json"));
    QVERIFY(out.open(QIODevice::WriteOnly));
    out.write(QByteArray::fromStdString(calibrationJson(file)));
    out.close();
    AnalysisSession s(appValidator());
    QSignalSpy said(&s, &AnalysisSession::calibrationChanged);
    QSignalSpy results(&s, &AnalysisSession::resultSettingsChanged);  // tables of scores listen
    s.openModel(model, true);
    QVERIFY(waitForModel(s, model));
    QVERIFY(s.settings().calibration.identity());  // the file has no fit for mc
    QVERIFY(!said.isEmpty() && !said.last()[0].toBool());
    SamplingSettings tta = s.settings();
    tta.method = UncertaintyMethod::Tta;
    s.setSettings(tta);
    QCOMPARE(s.settings().calibration.depthVarianceScale, 5.0);
    QVERIFY(said.last()[0].toBool() && said.last()[1].toBool());
    QVERIFY(said.last()[2].toString().contains("τ 2"));
    QCOMPARE(results.count(), 1);
    QCOMPARE(results.last()[0].value<SamplingSettings>().calibration.depthVarianceScale, 5.0);
    s.setImage(sample());
    QVERIFY(QTest::qWaitFor([&] { return s.latest().final && s.latest().maps->depthVarianceScale == 5.0; }, kWait));
    s.setCalibrationEnabled(false);
    QVERIFY(s.settings().calibration.identity());
    QVERIFY(said.last()[0].toBool() && !said.last()[1].toBool());
    QCOMPARE(results.count(), 2);  // calibration off: other numbers
    s.setSettings(s.settings());
    QCOMPARE(results.count(), 2);  // the same settings again: nothing to redo
    QVERIFY(QTest::qWaitFor([&] { return s.latest().final && !s.latest().maps->calibrated(); }, kWait));
}

QTEST_MAIN(TestAnalysisSession)
#include "tst_analysis_session.moc"
