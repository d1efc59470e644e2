// The inference thread: latest request wins, bursts collapse, progress arrives, errors are
// signals, and destroying it mid-inference returns promptly.

#include <QtTest>

#include "core/io/image_io.h"
#include "core/services/sessions/inference_controller.h"
#include "sampling_settings_for.h"
#include "test_models.h"

using namespace uvis;

namespace {
const QString kModel = UVIS_RESOURCES "/models/uvis-street-demo.uvis";

RgbImage sample() { return readRgbImage(UVIS_RESOURCES "/samples/domainA/A_000000_rgb.png").image; }

// QSignalSpy records cross-thread signals at once: a signal may arrive before wait() starts,
// so tests wait for counts instead.
// A bound for a busy machine and a sanitizer build, not a measure.
constexpr int kWait = 300000;
#define WAIT_FOR_COUNT(spy, n) QTRY_VERIFY_WITH_TIMEOUT((spy).count() >= (n), kWait)

SamplingSettings settings(int samples, double p = 0.2, std::uint64_t seed = 0) { return test::settingsFor(samples, p, seed); }

// The demo model behind `gate`: a worker that reaches a decode while the gate is closed waits
// there until it opens or the worker's thread is asked to stop.
ModelLoaderFn gatedLoader(std::shared_ptr<test::Gate> gate) {
    return [gate](const std::string& path, DeviceKind device) {
        LoadedModel loaded = loadModel(path, device);
        if (loaded) loaded.model = test::makeGatedModel(loaded.model, gate);
        return loaded;
    };
}

std::shared_ptr<test::Gate> makeGate(bool open) {
    return std::make_shared<test::Gate>(open, [] { return QThread::currentThread()->isInterruptionRequested(); });
}
}  // namespace

class TestInferenceController : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void loadsTheModelOnTheWorker();
    void progressThenFinished();
    void videoFramesCarrySamples();
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

// Video frames asked for in order with temporal sampling carry samples to the next; a still image
// or a seek back starts afresh with all T.
void TestInferenceController::videoFramesCarrySamples() {
    InferenceController c;
    QSignalSpy ready(&c, &InferenceController::modelReady);
    QSignalSpy finished(&c, &InferenceController::finished);
    c.loadModel(kModel, DeviceKind::Cpu);
    WAIT_FOR_COUNT(ready, 1);
    SamplingSettings s = settings(8);
    s.temporalFresh = 2;
    const auto maps = [&](int n) { return finished.at(n - 1)[1].value<MapsPtr>(); };
    c.request(sample(), s, 0);
    WAIT_FOR_COUNT(finished, 1);
    QCOMPARE(maps(1)->samplesDone, 8);
    QCOMPARE(maps(1)->carriedSamples, 0);
    c.request(sample(), s, 1);
    WAIT_FOR_COUNT(finished, 2);
    QCOMPARE(maps(2)->samplesDone, 2);
    QCOMPARE(maps(2)->carriedSamples, 6);
    c.request(sample(), s, -1);  // a still image
    WAIT_FOR_COUNT(finished, 3);
    QCOMPARE(maps(3)->carriedSamples, 0);
    QCOMPARE(maps(3)->samplesDone, 8);
    c.request(sample(), s, 5);
    WAIT_FOR_COUNT(finished, 4);
    c.request(sample(), s, 3);  // a seek back
    WAIT_FOR_COUNT(finished, 5);
    QCOMPARE(maps(5)->carriedSamples, 0);
}

// A drag sends many requests while one runs: the running one stops at its next chunk and only the
// newest runs after it. The worker is held inside the first request's decode while the burst
// arrives, so exactly two runs start, whatever the machine's speed.
void TestInferenceController::burstCollapsesAndTheLastRequestWins() {
    auto gate = makeGate(false);
    InferenceController c(nullptr, gatedLoader(gate));
    QSignalSpy ready(&c, &InferenceController::modelReady);
    QSignalSpy finished(&c, &InferenceController::finished);
    c.loadModel(kModel, DeviceKind::Cpu);
    WAIT_FOR_COUNT(ready, 1);
    const RgbImage image = sample();
    c.request(image, settings(32, 0.1, 0));
    QTRY_VERIFY_WITH_TIMEOUT(gate->waiting() == 1, kWait);  // the first request is running
    quint64 last = 0;
    for (int i = 1; i < 30; ++i) last = c.request(image, settings(32, 0.1 + 0.01 * i, i));  // a slider drag
    gate->open();
    QTRY_VERIFY_WITH_TIMEOUT(!finished.isEmpty() && finished.last()[0].value<quint64>() == last, kWait);
    QCOMPARE(c.runsStarted(), 2);
    QCOMPARE(finished.count(), 1);  // older ones never finish
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

// Destroying the controller mid-inference stops the request at its next chunk instead of waiting
// for it: once stop() is asked, the worker enters no further decode and nothing is answered.
void TestInferenceController::destructionMidInferenceIsPrompt() {
    auto gate = makeGate(true);
    auto* c = new InferenceController(nullptr, gatedLoader(gate));
    QSignalSpy ready(c, &InferenceController::modelReady);
    QSignalSpy progress(c, &InferenceController::progress);
    QSignalSpy finished(c, &InferenceController::finished);
    c->loadModel(kModel, DeviceKind::Cpu);
    WAIT_FOR_COUNT(ready, 1);
    c->request(sample(), settings(4000));  // minutes of work
    WAIT_FOR_COUNT(progress, 1);
    gate->close();
    QTRY_VERIFY_WITH_TIMEOUT(gate->waiting() == 1, kWait);  // held inside a decode
    const int entered = gate->decodesEntered();
    c->stop();     // the gate lets go once the worker's thread is asked to stop
    delete c;      // and waits for the worker
    QCOMPARE(gate->decodesEntered(), entered);  // no chunk after the stop
    QCOMPARE(finished.count(), 0);
}


// A cancel that arrives before the worker has taken the request must still stop it: the worker
// used to clear the flag when it took the job and then ran it to the end. The worker is held in
// its first decode so that no request can run to its end before the cancel.
void TestInferenceController::cancelBeforeTheWorkerStartsDropsTheRequest() {
    auto gate = makeGate(true);
    InferenceController c(nullptr, gatedLoader(gate));
    QSignalSpy ready(&c, &InferenceController::modelReady);
    c.loadModel(kModel, DeviceKind::Cpu);
    WAIT_FOR_COUNT(ready, 1);
    QSignalSpy finished(&c, &InferenceController::finished);
    gate->close();
    for (int round = 0; round < 5; ++round) {
        c.request(sample(), settings(32, 0.2, round));
        c.cancel();  // at once: the worker is still asleep or just waking
    }
    gate->open();
    // The controller still serves the next request, and answers nothing else before it: the
    // worker takes requests in order, so a cancelled one would have answered first.
    const quint64 id = c.request(sample(), settings(2));
    WAIT_FOR_COUNT(finished, 1);
    QCOMPARE(finished.count(), 1);
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
