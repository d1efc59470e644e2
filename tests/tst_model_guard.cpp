// A user's model checked, and then run, in a fork of the calling process (uvis-cli's, which has
// LibTorch initialised already): the child checks and goes on with the run, the parent reports how
// it ended; with more than one thread nothing is forked.
//
// QtTest runs a watchdog thread, so the checks run in this program started again in a helper
// mode that has one thread, as uvis-cli has when it checks a model:
//   tst_model_guard --check MODEL TIMEOUT_MS [--with-thread | --crash-in-run]
// The child prints "child: passed" (and whether it holds the model the check loaded) and ends its
// "run" with exit code 7 (or dies of SIGSEGV with
// --crash-in-run); the parent prints "parent: ok EXIT", or "parent: refused", then the verdict.

#include <QtTest>

#include <condition_variable>
#include <csignal>
#include <cstdio>
#include <cstring>
#include <mutex>
#include <thread>

#include "core/services/sessions/model_guard.h"

using namespace uvis;

namespace {

int checkHelper(const char* model, int timeoutMs, const char* mode) {
    std::mutex mutex;
    std::condition_variable wake;
    bool done = false;
    std::thread other;
    if (std::strcmp(mode, "--with-thread") == 0) other = std::thread([&] {
            std::unique_lock<std::mutex> lock(mutex);
            wake.wait(lock, [&] { return done; });
        });
    const CheckedRun run = checkThenRunInForkedChild(model, timeoutMs);
    if (other.joinable()) {
        {
            std::lock_guard<std::mutex> lock(mutex);
            done = true;
        }
        wake.notify_one();
        other.join();
    }
    switch (run.role) {
    case CheckedRun::NotForked: std::printf("not forked\n"); return 0;
    case CheckedRun::Child:
        std::printf("child: passed%s\n", run.model ? ", with the model the check loaded" : "");
        std::fflush(stdout);
        if (std::strcmp(mode, "--crash-in-run") == 0) std::raise(SIGSEGV);
        // Left in the buffer: the child's end must still write it.
        std::printf("child: run ended\n");
        return 7;
    case CheckedRun::Parent:
        if (run.verdict.ok) std::printf("parent: ok %d %s\n", run.exitCode, qPrintable(run.crash));
        else std::printf("parent: refused\n%s\n", qPrintable(run.verdict.message));
        return 0;
    }
    return 1;
}

QString check(const QString& model, int timeoutMs = 60000, const QString& mode = "-") {
    QProcess p;
    p.start(QCoreApplication::applicationFilePath(), {"--check", model, QString::number(timeoutMs), mode});
    p.waitForFinished(-1);  // ctest's time limit is the one limit
    return QString::fromUtf8(p.readAllStandardOutput());
}

}  // namespace

class TestModelGuard : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void aModelThatPassesRunsInTheChildThatCheckedIt() {
        const QString out = check(UVIS_TEST_DATA "/models/encode_decode.pt");
        QVERIFY2(out.contains("child: passed, with the model the check loaded\n"), qPrintable(out));
        QVERIFY2(out.contains("child: run ended\n"), qPrintable(out));
        QVERIFY2(out.contains("parent: ok 7 \n"), qPrintable(out));  // the run's own exit code
    }

    void aRefusedModelNeverRuns() {
        const QString out = check(UVIS_TEST_DATA "/models/nan_output.pt");
        QVERIFY2(out.startsWith("parent: refused\n") && out.contains("NaN"), qPrintable(out));
        QVERIFY2(!out.contains("child"), qPrintable(out));
    }

    void aCheckThatHangsIsStoppedAtItsTimeLimit() {
        const QString hang = UVIS_TEST_DATA "/models/hang.pt";
        const QString out = check(hang, 3000);
        QVERIFY2(out.startsWith("parent: refused\n") && out.contains(hang) && out.contains("within 3 s"),
                 qPrintable(out));
    }

    // The run crashes after the check passed: the parent lives on to say so.
    void aCrashDuringTheRunIsReportedByTheParent() {
        const QString out = check(UVIS_TEST_DATA "/models/encode_decode.pt", 60000, "--crash-in-run");
        QVERIFY2(out.contains("parent: ok -1 ") && out.contains("signal 11"), qPrintable(out));
    }

    // With a second thread a fork could inherit a lock that thread holds: nothing is forked.
    void withAnotherThreadNothingIsForked() {
        const QString out = check(UVIS_TEST_DATA "/models/encode_decode.pt", 60000, "--with-thread");
        QCOMPARE(out, QString("not forked\n"));
    }
};

int main(int argc, char** argv) {
    if (argc == 5 && std::strcmp(argv[1], "--check") == 0) return checkHelper(argv[2], std::atoi(argv[3]), argv[4]);
    QCoreApplication app(argc, argv);
    TestModelGuard test;
    return QTest::qExec(&test, argc, argv);
}

#include "tst_model_guard.moc"
