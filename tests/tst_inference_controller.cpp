// The inference thread: latest request wins, bursts collapse, progress arrives, errors are
// signals, and destroying it mid-inference returns promptly.

#include <QtTest>

#include "core/io/image_io.h"
#include "mc_settings_for.h"
#include "core/services/inference_controller.h"

using namespace uvis;

namespace {
const QString kModel = UVIS_RESOURCES "/models/uvis-street-demo.uvis";

RgbImage sample() { return readRgbImage(UVIS_RESOURCES "/samples/domainA/A_000000_rgb.png").image; }

// QSignalSpy records cross-thread signals at once: a signal may arrive before wait() starts,
// so tests wait for counts instead.
#define WAIT_FOR_COUNT(spy, n) QTRY_VERIFY_WITH_TIMEOUT((spy).count() >= (n), 60000)

McSettings settings(int samples, double p = 0.2, std::uint64_t seed = 0) { return test::settingsFor(samples, p, seed); }
}  // namespace

class TestInferenceController : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void loadsTheModelOnTheWorker();
    void progressThenFinished();
    void burstCollapsesAndTheLastRequestWins();
    void errorsAreSignals();
    void destructionMidInferenceIsPrompt();
    void cancelBeforeTheWorkerStartsDropsTheRequest();
    void loadErrorsComeUnderTheLoadsId();
};

void TestInferenceController::loadsTheModelOnTheWorker() {
    InferenceController c;
    QSignalSpy ready(&c, &InferenceController::modelReady);
    QSignalSpy failed(&c, &InferenceController::failed);
    const quint64 id = c.loadModel(kModel, DeviceKind::Cpu);
    WAIT_FOR_COUNT(ready, 1);
    QCOMPARE(ready.first()[0].value<quint64>(), id);
    QCOMPARE(ready.first()[1].value<ModelCard>().name, std::string("uvis-street-demo"));
    QCOMPARE(failed.count(), 0);
}

void TestInferenceController::progressThenFinished() {
    InferenceController c;
    QSignalSpy ready(&c, &InferenceController::modelReady);
    QSignalSpy progress(&c, &InferenceController::progress);
    QSignalSpy finished(&c, &InferenceController::finished);
    c.loadModel(kModel, DeviceKind::Cpu);
    WAIT_FOR_COUNT(ready, 1);
    const quint64 id = c.request(sample(), settings(64));
    WAIT_FOR_COUNT(finished, 1);
    QCOMPARE(finished.first()[0].value<quint64>(), id);
    const MapsPtr maps = finished.first()[1].value<MapsPtr>();
    QCOMPARE(maps->samplesDone, 64);
    QVERIFY(maps->hasDepth && maps->hasSegmentation);
    QVERIFY(progress.count() >= 1);  // partial results while it refined
    const MapsPtr partial = progress.first()[1].value<MapsPtr>();
    QVERIFY(partial->samplesDone < 64 && partial->samplesDone > 0);
    QCOMPARE(finished.first()[2].value<InferenceStats>().device, QString("cpu"));
}

void TestInferenceController::burstCollapsesAndTheLastRequestWins() {
    InferenceController c;
    QSignalSpy ready(&c, &InferenceController::modelReady);
    QSignalSpy finished(&c, &InferenceController::finished);
    c.loadModel(kModel, DeviceKind::Cpu);
    WAIT_FOR_COUNT(ready, 1);
    const RgbImage image = sample();
    quint64 last = 0;
    for (int i = 0; i < 30; ++i) last = c.request(image, settings(32, 0.1 + 0.01 * i, i));  // a slider drag
    QTRY_VERIFY_WITH_TIMEOUT(!finished.isEmpty() && finished.last()[0].value<quint64>() == last, 60000);
    QVERIFY2(c.runsStarted() <= 5, qPrintable(QString::number(c.runsStarted())));
    for (const auto& signal : finished) QCOMPARE(signal[0].value<quint64>(), last);  // older ones never finish
}

void TestInferenceController::errorsAreSignals() {
    InferenceController c;
    QSignalSpy failed(&c, &InferenceController::failed);
    const quint64 bad = c.loadModel(UVIS_TEST_DATA "/models/not_a_model.pt", DeviceKind::Cpu);
    WAIT_FOR_COUNT(failed, 1);
    QCOMPARE(failed.first()[0].value<quint64>(), bad);
    QVERIFY(failed.first()[1].toString().contains("not_a_model.pt"));
    const quint64 noModel = c.request(sample(), settings(4));
    WAIT_FOR_COUNT(failed, 2);
    QCOMPARE(failed.last()[0].value<quint64>(), noModel);
    QSignalSpy ready(&c, &InferenceController::modelReady);
    c.loadModel(kModel, DeviceKind::Cpu);
    WAIT_FOR_COUNT(ready, 1);
    const quint64 badSettings = c.request(sample(), settings(0));
    WAIT_FOR_COUNT(failed, 3);
    QCOMPARE(failed.last()[0].value<quint64>(), badSettings);
    QVERIFY(failed.last()[1].toString().contains("at least 1"));
}

void TestInferenceController::destructionMidInferenceIsPrompt() {
    auto* c = new InferenceController;
    QSignalSpy ready(c, &InferenceController::modelReady);
    QSignalSpy progress(c, &InferenceController::progress);
    c->loadModel(kModel, DeviceKind::Cpu);
    WAIT_FOR_COUNT(ready, 1);
    c->request(sample(), settings(4000));  // minutes of work
    WAIT_FOR_COUNT(progress, 1);
    QElapsedTimer timer;
    timer.start();
    delete c;
    QVERIFY2(timer.elapsed() < 1000, qPrintable(QString::number(timer.elapsed())));
}


// A cancel that arrives before the worker has taken the request must still stop it: the worker
// used to clear the flag when it took the job and then ran it to the end.
void TestInferenceController::cancelBeforeTheWorkerStartsDropsTheRequest() {
    InferenceController c;
    QSignalSpy ready(&c, &InferenceController::modelReady);
    c.loadModel(kModel, DeviceKind::Cpu);
    WAIT_FOR_COUNT(ready, 1);
    QSignalSpy finished(&c, &InferenceController::finished);
    QSignalSpy progress(&c, &InferenceController::progress);
    for (int round = 0; round < 5; ++round) {
        c.request(sample(), settings(32, 0.2, round));
        c.cancel();  // at once: the worker is still asleep or just waking
    }
    QTest::qWait(3000);  // T = 32 takes about a second here: long enough for it to finish
    QCOMPARE(finished.count(), 0);
    // And the controller still serves the next request.
    const quint64 id = c.request(sample(), settings(2));
    WAIT_FOR_COUNT(finished, 1);
    QCOMPARE(finished.last()[0].value<quint64>(), id);
}

// A load that throws is reported under the load's id, and the request queued with it is answered
// under its own id ("no model is loaded"), not the other way round.
void TestInferenceController::loadErrorsComeUnderTheLoadsId() {
    InferenceController c(nullptr, [](const std::string& path, DeviceKind) -> LoadedModel {
        throw std::runtime_error("cannot parse " + path);
    });
    QSignalSpy failed(&c, &InferenceController::failed);
    const quint64 loadId = c.loadModel("/models/throws.pt", DeviceKind::Cpu);
    const quint64 inferId = c.request(sample(), settings(2));
    WAIT_FOR_COUNT(failed, 2);
    QCOMPARE(failed[0][0].value<quint64>(), loadId);
    QVERIFY(failed[0][1].toString().contains("/models/throws.pt"));
    QCOMPARE(failed[1][0].value<quint64>(), inferId);
    QVERIFY(failed[1][1].toString().contains("no model is loaded"));
}

QTEST_MAIN(TestInferenceController)
#include "tst_inference_controller.moc"
