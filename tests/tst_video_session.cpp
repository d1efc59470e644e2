// The Workspace and its VideoSession: what is open and what follows what. A video that opens
// replaces what was on screen, a bad file never does, only the open video's frames reach the
// analysis, an image closes the video (and its timeline), ground truth belongs to still images,
// and the timeline keeps bookmarks and ranks the worst frames.

#include <QBuffer>
#include <QImage>
#include <QtTest>

#include <QSemaphore>
#include <optional>

#include "core/services/jobs/background_job.h"
#include "core/services/jobs/latest_job.h"
#include "core/services/sessions/playhead.h"
#include "core/services/sessions/workspace.h"

using namespace uvis;

namespace {

const QString kModel = UVIS_RESOURCES "/models/uvis-street-demo.uvis";
const QString kVideo = UVIS_RESOURCES "/samples/video/sequence.avi";
const QString kImage = UVIS_RESOURCES "/samples/domainA/A_000000_rgb.png";
constexpr int kWait = 300000;  // a bound for a busy machine and a sanitizer build, not a measure

struct Fixture {
    Workspace w{ValidatorCommand{UVIS_APP, {"--check-model"}}, kModel};
    QStringList errors;
    Fixture() {
        QObject::connect(&w, &Workspace::errorShown, [this](const QString& m) { errors << m; });
    }
    bool openVideo() {
        QSignalSpy opened(&w, &Workspace::videoOpened);
        w.openFile(kVideo);
        return opened.wait(kWait);
    }
};

}  // namespace

class TestVideoSession : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void aVideoOpensAndItsFramesReachTheAnalysis();
    void aBadFileLeavesTheVideoOpen();
    void anImageClosesTheVideo();
    void groundTruthBelongsToStillImages();
    void timelineBookmarksAndWorstFrames();
    void aJobIsNotBusyOnceItsDoneArrives();
    void aLatestJobAnswersOnlyTheLatestRequest();
    void aLateAnswerNeverMovesThePlayheadBack();
    void aDragWhilePlayingGoesOnFromWhereItWasReleased();
    void everyFrameCompletePlaysOnlyAnalysedFrames();
};

void TestVideoSession::aVideoOpensAndItsFramesReachTheAnalysis() {
    Fixture f;
    f.w.openModel(kModel);
    QVERIFY(f.openVideo());
    QVERIFY(f.w.showsVideo());
    QCOMPARE(f.w.currentFile(), kVideo);
    QVERIFY(f.w.video().info().frameCount > 10);
    QCOMPARE(f.w.timeline().frameCount(), f.w.video().info().frameCount);
    QSignalSpy shown(&f.w, &Workspace::imageShown);
    f.w.requestFrame(7);
    QVERIFY(QTest::qWaitFor([&] { return !shown.isEmpty() && shown.last()[1].toInt() == 7; }, kWait));
    QCOMPARE(f.w.displayedFrame(), 7);
    QCOMPARE(f.w.timeline().currentFrame(), 7);
    QVERIFY(QTest::qWaitFor([&] { return f.w.analysis().latest().final; }, kWait));
    QCOMPARE(f.w.analysis().latest().frameIndex, 7);
}

void TestVideoSession::aBadFileLeavesTheVideoOpen() {
    Fixture f;
    QVERIFY(f.openVideo());
    QTemporaryDir dir;
    const QString bad = dir.filePath("broken.avi");
    QFile file(bad);
    QVERIFY(file.open(QIODevice::WriteOnly));
    file.write(QByteArray(4096, 'x'));
    file.close();
    QSignalSpy errors(&f.w, &Workspace::errorShown);
    f.w.openFile(bad);
    QVERIFY(errors.wait(kWait));
    QVERIFY2(errors.first()[0].toString().contains("broken.avi"), qPrintable(errors.first()[0].toString()));
    QVERIFY(f.w.showsVideo());
    QCOMPARE(f.w.currentFile(), kVideo);
    QSignalSpy shown(&f.w, &Workspace::imageShown);
    f.w.requestFrame(3);  // the open video still answers
    QVERIFY(QTest::qWaitFor([&] { return !shown.isEmpty() && shown.last()[1].toInt() == 3; }, kWait));
    f.w.openFile(dir.path());  // a folder is not a file
    QVERIFY(f.errors.last().contains("not a regular file"));
    f.w.openFile(dir.filePath("missing.png"));
    QVERIFY(f.errors.last().contains("missing.png: no such file"));
    // A size bomb is refused from its header, before decoding; the video stays.
    f.w.openFile(UVIS_TEST_DATA "/images/lying_header.png");
    QVERIFY(QTest::qWaitFor([&] { return f.errors.last().contains("image too large (100000×100000"); }, kWait));
    QCOMPARE(f.w.currentFile(), kVideo);
    // A JPEG cut short opens, with a warning.
    const QString jpeg = dir.filePath("cut.jpg");
    {
        const QImage sample(kImage);
        QByteArray bytes;
        QBuffer buffer(&bytes);
        buffer.open(QIODevice::WriteOnly);
        QVERIFY(sample.save(&buffer, "JPG"));
        QFile cut(jpeg);
        QVERIFY(cut.open(QIODevice::WriteOnly));
        cut.write(bytes.left(bytes.size() / 2));
    }
    QSignalSpy warned(&f.w, &Workspace::warningShown);
    QSignalSpy opened(&f.w, &Workspace::fileOpened);
    f.w.openFile(jpeg);
    QVERIFY(opened.wait(kWait));
    QCOMPARE(warned.count(), 1);
    QVERIFY(warned.first()[0].toString().contains("cut.jpg"));
}

void TestVideoSession::anImageClosesTheVideo() {
    Fixture f;
    QVERIFY(f.openVideo());
    f.w.timeline().addBookmark(4);
    QSignalSpy closed(&f.w, &Workspace::videoClosed);
    QSignalSpy opened(&f.w, &Workspace::fileOpened);
    f.w.openFile(kImage);
    QVERIFY(opened.wait(kWait));
    QCOMPARE(closed.count(), 1);
    QVERIFY(!f.w.showsVideo());
    QCOMPARE(f.w.currentFile(), kImage);
    QCOMPARE(f.w.displayedFrame(), -1);
    QVERIFY(f.w.timeline().bookmarks().isEmpty());
    QVERIFY(!f.w.timeline().hasVideo());
}

void TestVideoSession::groundTruthBelongsToStillImages() {
    Fixture f;
    f.w.openModel(kModel);
    QSignalSpy truth(&f.w.evaluation(), &EvaluationSession::truthChanged);
    QSignalSpy opened(&f.w, &Workspace::fileOpened);
    f.w.openFile(kImage);  // A_000000_depth.npy and _labels.png lie beside it
    QVERIFY(opened.wait(kWait));
    QVERIFY(QTest::qWaitFor([&] { return f.w.evaluation().hasTruth(); }, kWait));
    QVERIFY(QTest::qWaitFor([&] { return f.w.evaluation().hasMetrics(); }, kWait));  // a final result was evaluated
    QVERIFY(f.openVideo());
    QVERIFY(!f.w.evaluation().hasTruth());
    f.w.openTruth(UVIS_RESOURCES "/samples/domainA/A_000000_depth.npy", EvaluationSession::Kind::Depth);
    QVERIFY(f.errors.last().contains("belongs to a still image"));
}

void TestVideoSession::timelineBookmarksAndWorstFrames() {
    Fixture f;
    f.w.openModel(kModel);
    QVERIFY(QTest::qWaitFor([&] { return f.w.analysis().hasModel(); }, kWait));
    QVERIFY(f.openVideo());
    VideoTimeline& t = f.w.timeline();
    t.addBookmark(9);
    t.addBookmark(2);
    t.addBookmark(9);
    QCOMPARE(t.bookmarks(), (QList<int>{2, 9}));
    t.removeBookmark(9);
    QCOMPARE(t.bookmarks(), (QList<int>{2}));
    SamplingSettings s = f.w.analysis().settings();
    s.samples = 2;
    f.w.analysis().setSettings(s);
    QSignalSpy finished(&t, &VideoTimeline::analysisFinished);
    QList<int> progress;
    connect(&t, &VideoTimeline::progress, this, [&](int done) { progress << done; });
    t.analyse(25);
    QVERIFY(finished.wait(kWait * 2));
    QCOMPARE(finished.first()[0].toString(), QString());
    const int expected = (f.w.video().info().frameCount + 24) / 25;
    QCOMPARE(int(t.points().size()), expected);
    QVERIFY(std::is_sorted(progress.begin(), progress.end()));  // never backwards
    const QList<int> worst = t.worstFrames("seg_mutual_info", 3);
    QCOMPARE(worst.size(), std::min(3, expected));
    for (int i = 1; i < worst.size(); ++i)
        QVERIFY(t.points().at(worst[i - 1]).p95Of("seg_mutual_info") >= t.points().at(worst[i]).p95Of("seg_mutual_info"));
}


// A handler of `done` that starts the next export must not be told the last one still runs: the
// job's thread ends a moment after it sends `done`, and isRunning() can still say so then.
// Requests 1, 2 and 3 while 1 is held: 2 is replaced by 3 before it starts, 1's value is dropped,
// and only 3 is answered. Then a dropped request is not answered at all, and a destroyed LatestJob
// has waited for its computation (which never blocks: it is released first).
void TestVideoSession::aLatestJobAnswersOnlyTheLatestRequest() {
    QObject owner;
    QList<int> answers;
    QStringList problems;
    QSemaphore gate;  // the computation of request 1 waits here
    QList<int> computed;  // by the job threads, one at a time
    auto job = std::make_unique<LatestJob<int>>(&owner, [&](int v, const QString& problem) {
        answers << v;
        if (!problem.isEmpty()) problems << problem;
    });
    job->request("one", [&](const BackgroundJob&) {
        gate.acquire();
        computed << 1;
        return 1;
    });
    QVERIFY(job->busy());
    job->request("two", [&](const BackgroundJob&) { computed << 2; return 2; });
    job->request("three", [&](const BackgroundJob&) { computed << 3; return 3; });
    gate.release();
    QVERIFY(QTest::qWaitFor([&] { return !answers.isEmpty(); }, kWait));
    QCOMPARE(answers, QList<int>{3});
    QCOMPARE(computed, (QList<int>{1, 3}));

    // An exception becomes the answer's problem, naming the subject.
    job->request("broken.png", [](const BackgroundJob&) -> int { throw std::runtime_error("bad bytes"); });
    QVERIFY(QTest::qWaitFor([&] { return answers.size() == 2; }, kWait));
    QCOMPARE(problems, QStringList{"broken.png: bad bytes"});

    // Dropped: the computation ends (it sees the cancel) and nobody hears of it.
    QSemaphore started;
    job->request("four", [&](const BackgroundJob& self) {
        started.release();
        while (!self.cancelRequested()) QThread::yieldCurrentThread();
        return 4;
    });
    started.acquire();
    job->drop();
    job->request("six", [](const BackgroundJob&) { return 6; });  // answered after four's end
    QVERIFY(QTest::qWaitFor([&] { return answers.size() == 3; }, kWait));
    QCOMPARE(answers, (QList<int>{3, 0, 6}));

    // Destroyed while a computation runs: the destructor cancels it and waits.
    std::atomic<bool> finished{false};
    QSemaphore running;
    job->request("five", [&](const BackgroundJob& self) {
        running.release();
        while (!self.cancelRequested()) QThread::yieldCurrentThread();
        finished = true;
        return 5;
    });
    running.acquire();
    job.reset();
    QVERIFY(finished);
}

void TestVideoSession::aJobIsNotBusyOnceItsDoneArrives() {
    std::optional<bool> busyInHandler;  // declared first: it outlives the job
    BackgroundJob job("job", [](BackgroundJob& self) {
        self.reportProgress(1, 1);
        return JobOutcome{};
    });
    // Queued to this thread, as every receiver of a job's signals is (a QSignalSpy would be
    // called on the job's thread, before the handler runs).
    QObject::connect(&job, &BackgroundJob::done, &job, [&] { busyInHandler = job.busy(); });
    QVERIFY(!job.busy());
    job.start();
    QVERIFY(QTest::qWaitFor([&] { return busyInHandler.has_value(); }, kWait));
    QVERIFY(!*busyInHandler);
    QVERIFY(!job.busy());
}

// The playhead's policy, driven by hand: a decoded frame that answers an older request shows but
// does not move the position; a tick while the asked-for frame is not on screen asks for nothing
// (playback paces itself to the decoder); a frame that cannot be decoded stops playback.
void TestVideoSession::aLateAnswerNeverMovesThePlayheadBack() {
    Playhead p;
    QSignalSpy requested(&p, &Playhead::frameRequested);
    p.setVideo(100, 25.0);
    QCOMPARE(requested.count(), 0);
    p.frameShown(0);  // the decoder shows frame 0 of a video that opens
    p.setPlaying(true);
    QVERIFY(p.playing());
    p.tick();
    QCOMPARE(requested.last()[0].toInt(), 1);
    p.seek(60);  // a drag released at 60 while frame 1 is still being decoded
    p.frameShown(1);  // the late answer
    QCOMPARE(p.position(), 60);
    QCOMPARE(p.shown(), 1);
    QVERIFY(p.waiting());
    const int asked = requested.count();
    p.tick();
    QCOMPARE(requested.count(), asked);  // skipped: frame 60 is not on screen yet
    p.frameShown(60);
    QVERIFY(!p.waiting());
    p.tick();
    QCOMPARE(requested.last()[0].toInt(), 61);  // on from where it was released
    p.frameShown(61);
    p.seek(99);
    p.frameShown(99);
    p.tick();  // the end: playback stops
    QVERIFY(!p.playing());
    p.setPlaying(true);  // from the end, again from frame 0
    QCOMPARE(p.position(), 0);
    p.frameFailed();
    QVERIFY(!p.playing());
    p.step(+3);
    QCOMPARE(p.position(), 3);
    p.step(-10);
    QCOMPARE(p.position(), 0);  // clamped
    p.setPlaying(true);
    p.jumpTo(42);  // a frame picked on the timeline: shown, and kept on screen
    QVERIFY(!p.playing());
    QCOMPARE(p.position(), 42);
    QCOMPARE(requested.last()[0].toInt(), 42);
}

// The same with the decoder thread: a burst of seeks (a scrubber drag) while playing, then the
// release. Whatever answers arrive late, the position never goes back before the release point,
// and playback goes on from there.
void TestVideoSession::aDragWhilePlayingGoesOnFromWhereItWasReleased() {
    Fixture f;
    QVERIFY(f.openVideo());
    Playhead& p = f.w.playhead();
    QSignalSpy shown(&f.w, &Workspace::imageShown);
    QVERIFY(p.frameCount() > 30);
    p.setPlaying(true);
    const int release = p.frameCount() - 10;
    for (int i = 5; i <= release; i += 3) p.seek(i);
    p.seek(release);
    QSignalSpy positions(&p, &Playhead::positionChanged);
    QVERIFY(QTest::qWaitFor([&] { return p.shown() > release || !p.playing(); }, kWait));
    for (const QList<QVariant>& at : positions) QVERIFY(at[0].toInt() >= release);
    QVERIFY(p.position() > release);
    p.setPlaying(false);
    QVERIFY(QTest::qWaitFor([&] { return !p.waiting(); }, kWait));
    QCOMPARE(f.w.displayedFrame(), p.position());
}

// "Every frame complete": the next frame is asked for only once the shown one's analysis is
// final — by hand, then with the model: every frame played before the pause has a final result.
void TestVideoSession::everyFrameCompletePlaysOnlyAnalysedFrames() {
    Playhead p;
    QSignalSpy requested(&p, &Playhead::frameRequested);
    p.setVideo(10, 25.0);
    p.setEveryFrameComplete(true);
    p.frameShown(0);
    p.setPlaying(true);
    p.tick();
    QCOMPARE(requested.count(), 0);  // frame 0 is not analysed yet
    p.frameAnalysed(0);
    p.tick();
    QCOMPARE(requested.last()[0].toInt(), 1);

    QSet<int> finals;  // declared first: it outlives the fixture whose session writes it
    Fixture f;
    f.w.openModel(kModel);
    QVERIFY(QTest::qWaitFor([&] { return f.w.analysis().hasModel(); }, kWait));
    SamplingSettings s = f.w.analysis().settings();
    s.samples = 2;
    f.w.analysis().setSettings(s);
    QObject::connect(&f.w.analysis(), &AnalysisSession::resultUpdated, &f.w, [&](const AnalysedFrame& frame) {
        if (frame.final) finals.insert(frame.frameIndex);
    });
    QVERIFY(f.openVideo());
    f.w.playhead().setEveryFrameComplete(true);
    f.w.playhead().setPlaying(true);
    QVERIFY(QTest::qWaitFor([&] { return f.w.playhead().position() >= 4; }, kWait));
    f.w.playhead().setPlaying(false);
    const int last = f.w.playhead().position();
    for (int frame = 0; frame < last; ++frame) QVERIFY2(finals.contains(frame), qPrintable(QString::number(frame)));
}

QTEST_MAIN(TestVideoSession)
#include "tst_video_session.moc"
