// uvis-cli as a user runs it: the documented files with the documented dtypes and shapes, exit
// codes, one bad input among good ones, videos, and interruption without half-written results.

#include <QtTest>

#include <nlohmann/json.hpp>
#include <opencv2/imgcodecs.hpp>
#include <opencv2/videoio.hpp>

#include <filesystem>
#include <map>
#include <memory>
#include <fstream>
#include <set>
#include <sys/stat.h>

#include "core/export/overlay_frames.h"
#include "core/export/result_export.h"
#include "core/io/image_io.h"
#include "core/io/npy.h"
#include "core/engine/uncertainty_engine.h"
#include "core/model/model_loader.h"
#include "core/engine/preprocess.h"
#include "core/calibration/calibration.h"
#include "core/model/ensemble_card.h"
#include "core/services/sessions/model_guard.h"
#include "core/training/evaluation.h"
#include "core/types/json_document.h"

using namespace uvis;
namespace fs = std::filesystem;

namespace {

const QString kSamples = UVIS_RESOURCES "/samples";

// The files of one image's result folder (demo model, no ground truth), SPEC §5 and README.
const std::set<std::string> kImageResultFiles{
    "depth_mean.npy", "depth_aleatoric_var.npy", "depth_epistemic_var.npy", "depth_epistemic_logvar.npy",
    "depth_aleatoric_logvar.npy", "seg_class.npy", "seg_confidence.npy", "seg_entropy.npy",
    "seg_expected_entropy.npy", "seg_mutual_info.npy", "seg_logit_var.npy", "depth.png", "depth_aleatoric_std.png",
    "depth_epistemic_std.png", "seg_confidence.png", "seg_entropy.png", "seg_expected_entropy.png",
    "seg_mutual_info.png", "segmentation.png", "overlay_epistemic.png", "summary.json", "scores.json"};

struct Run {
    int exitCode = -1;
    QString err;
    QString out;
};

// How long a uvis-cli run may take before it counts as hung: a bound for a busy machine (and a
// sanitizer build), not a measure — each run takes seconds on a quiet machine.
constexpr int kHangMs = 600000;

Run cli(const QStringList& args, int timeoutMs = kHangMs) {
    QProcess p;
    p.start(UVIS_CLI, args);
    p.waitForFinished(timeoutMs);
    return {p.exitStatus() == QProcess::NormalExit ? p.exitCode() : -1, QString::fromUtf8(p.readAllStandardError()),
            QString::fromUtf8(p.readAllStandardOutput())};
}

// Nothing at all in `dir`, hidden partial folders included: a refused run wrote nothing.
bool holdsNothing(const QString& dir) {
    return QDir(dir).entryList(QDir::AllEntries | QDir::NoDotAndDotDot | QDir::Hidden).isEmpty();
}

// Both sample domains with their ground truth and class lists, as A/… and B/…: a small data set.
void copySampleDataset(const QString& dir) {
    for (const char* domain : {"A", "B"}) {
        const fs::path to = fs::path(dir.toStdString()) / domain;
        fs::create_directories(to);
        for (const auto& e : fs::directory_iterator(kSamples.toStdString() + "/domain" + domain))
            fs::copy_file(e.path(), to / e.path().filename());
    }
}

nlohmann::json readJson(const QString& path) {
    std::ifstream in(path.toStdString());
    return nlohmann::json::parse(in);
}

std::string npyDescr(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    std::string head(128, '\0');
    in.read(head.data(), 128);
    const auto at = head.find("'descr': '");
    return head.substr(at + 10, 3);
}

}  // namespace

class TestCli : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void inferWritesExactlyTheDocumentedFiles();
    void sizeSetsTheMapSize();
    void bf16PassesAreChosenAndRecorded();
    void existingResultsAreNotOverwritten();
    void corruptImageInAFolderIsReportedAndTheRestProcessed();
    void groundTruthBesideImagesIsNotAnInput();
    void videoGivesPerFrameSeries();
    void temporalVideoSaysFreshAndCarried();
    void truncatedVideoIsReported();
    void exitCodes_data();
    void exitCodes();
    void infoAndValidateModel();
    void interruptedRunLeavesNoHalfWrittenResult();
    void cliEqualsTheEngineInProcess();
    void modelGuardContainsCrashes();
    void modelGuardStopsAModelThatHangs();
    void oneParserWithEverySubcommandAndVersion();
    void hostileModelsAreRefusedNotCrashed_data();
    void hostileModelsAreRefusedNotCrashed();
    void aModelIsCheckedBeforeAnyInput();
    void edgeArgumentsAndNames();
    void inputsThatAreNotWhatTheyClaim();
    void garbageOutputsAreRefusedNotSummarised_data();
    void garbageOutputsAreRefusedNotSummarised();
    void statisticsNeverHideNonFiniteValues();
    void sigtermStopsBetweenChunks();
    void sizeBombsAreRefusedFromTheirHeader();
    void truncatedJpegsWarnOrAreRefused();
    void groundTruthAddsMetricsToTheSummary();
    void explicitGroundTruthIsCheckedAndNamed();
    void oodSeparatesTheDomains();
    void modelWithoutVarianceHeadsSaysSo();
    void datasetTableHoldsEveryImageAndPooledMetrics();
    void shardedRunsMergeToTheUnshardedRun();
    void resumeAfterKill9LosesOnlyTheInputInFlight();
    void labelIdsOfAnotherClassListAreReported();
    void methodsFromTheCommandLine();
    void deterministicModelsRunTheirMethods();
    void calibrateWritesBesideTheModelAndInferAppliesIt();
    void compareTabulatesTheMethods();
    void namesThatAreNotUtf8NeverBreakAJsonFile();
};

void TestCli::inferWritesExactlyTheDocumentedFiles() {
    QTemporaryDir out;
    const Run r = cli({"infer", "-q", "-T", "4", "-o", out.path(), kSamples + "/domainA/A_000001_rgb.png"});
    QVERIFY2(r.exitCode == 0, qPrintable(r.err));
    const std::string dir = out.filePath("A_000001_rgb").toStdString();
    std::set<std::string> files;
    for (const auto& e : fs::directory_iterator(dir)) files.insert(e.path().filename().string());
    std::set<std::string> expected = kImageResultFiles;
    // the sample's ground truth lies beside it (uvis-train's naming): metrics and their curves
    expected.insert({"sparsification.csv", "reliability.csv"});
    QCOMPARE(files, expected);
    for (const auto& f : files) {
        if (f.size() < 4 || f.substr(f.size() - 4) != ".npy") continue;
        const std::string path = dir + "/" + f;
        if (f == "seg_class.npy") {
            QCOMPARE(npyDescr(path), std::string("|u1"));
            NpyClassResult c = readNpyClasses(path);
            QVERIFY2(c.error.empty(), c.error.c_str());
            QCOMPARE(c.map.width, 256);
            QCOMPARE(c.map.height, 192);
            for (auto v : c.map.values) QVERIFY(v < 8);
        } else {
            QCOMPARE(npyDescr(path), std::string("<f4"));
            NpyFloatResult m = readNpyFloat(path);
            QVERIFY2(m.error.empty(), m.error.c_str());
            QCOMPARE(m.map.width, 256);
            QCOMPARE(m.map.height, 192);
            for (float v : m.map.values) QVERIFY(std::isfinite(v));
        }
    }
    std::ifstream in(dir + "/summary.json");
    const auto summary = nlohmann::json::parse(in);
    QCOMPARE(summary["samples"].get<int>(), 4);
    QCOMPARE(summary["dropout"].get<double>(), 0.2);  // the card's training rate by default
    QCOMPARE(summary["model"]["name"].get<std::string>(), std::string("uvis-street-demo"));
    QCOMPARE(summary["model"]["card_sha256"].get<std::string>().size(), size_t(64));
    QVERIFY(summary["maps"]["depth_epistemic_var"]["p95"].get<double>() >= summary["maps"]["depth_epistemic_var"]["median"].get<double>());
    QVERIFY(summary.contains("timings_ms") && summary.contains("device") && summary.contains("seed"));
}

void TestCli::sizeSetsTheMapSize() {
    QTemporaryDir out;
    const Run r = cli({"infer", "-q", "-T", "2", "--size", "128x96", "-o", out.path(), kSamples + "/domainB/B_000000_rgb.png"});
    QVERIFY2(r.exitCode == 0, qPrintable(r.err));
    NpyFloatResult m = readNpyFloat(out.filePath("B_000000_rgb/depth_mean.npy").toStdString());
    QCOMPARE(m.map.width, 128);
    QCOMPARE(m.map.height, 96);
}

// --precision bf16 runs the passes in bf16: summary.json says so, the maps are finite and close
// to fp32's (docs/performance.md: about 1–4 % on the demo model) but not equal; a data set run in
// bf16 is not resumed from an fp32 run.
void TestCli::bf16PassesAreChosenAndRecorded() {
    QTemporaryDir out;
    const QString image = kSamples + "/domainB/B_000000_rgb.png";
    for (const char* precision : {"fp32", "bf16"}) {
        const Run r = cli({"infer", "-q", "-T", "4", "--precision", precision, "-o", out.filePath(precision), image});
        QVERIFY2(r.exitCode == 0, qPrintable(r.err));
        QCOMPARE(QString::fromStdString(readJson(out.filePath(precision) + "/B_000000_rgb/summary.json")["precision"]),
                 QString(precision));
    }
    const FloatMap a = readNpyFloat(out.filePath("fp32/B_000000_rgb/depth_mean.npy").toStdString()).map;
    const FloatMap b = readNpyFloat(out.filePath("bf16/B_000000_rgb/depth_mean.npy").toStdString()).map;
    QCOMPARE(a.values.size(), b.values.size());
    double difference = 0, total = 0;
    for (size_t i = 0; i < a.values.size(); ++i) {
        QVERIFY(std::isfinite(b.values[i]));
        difference += std::abs(a.values[i] - b.values[i]);
        total += std::abs(a.values[i]);
    }
    QVERIFY2(difference > 0 && difference < 0.05 * total, qPrintable(QString::number(difference / total)));
    // A data set: the fp32 results are not taken for bf16 ones.
    const Run resumed = cli({"infer", "-q", "-T", "4", "--precision", "bf16", "--resume", "-o", out.filePath("fp32"), image});
    QVERIFY2(resumed.exitCode != 0 && resumed.err.contains("made with other settings"), qPrintable(resumed.err));
    QVERIFY(cli({"infer", "-q", "--precision", "fp16", image}).exitCode == 2);  // a usage error
}

void TestCli::existingResultsAreNotOverwritten() {
    QTemporaryDir out;
    const QStringList args{"infer", "-q", "-T", "2", "-o", out.path(), kSamples + "/domainA/A_000000_rgb.png"};
    QCOMPARE(cli(args).exitCode, 0);
    const auto stamp = fs::last_write_time(out.filePath("A_000000_rgb/summary.json").toStdString());
    const Run again = cli(args);
    QCOMPARE(again.exitCode, 3);
    QVERIFY2(again.err.contains("already exists"), qPrintable(again.err));
    QCOMPARE(fs::last_write_time(out.filePath("A_000000_rgb/summary.json").toStdString()), stamp);
    QCOMPARE(cli(args + QStringList{"--overwrite"}).exitCode, 0);
}

void TestCli::corruptImageInAFolderIsReportedAndTheRestProcessed() {
    QTemporaryDir in, out;
    QFile::copy(kSamples + "/domainA/A_000000_rgb.png", in.filePath("a.png"));
    QFile::copy(kSamples + "/domainA/A_000002_rgb.png", in.filePath("c.png"));
    QFile bad(in.filePath("b.png"));
    QVERIFY(bad.open(QIODevice::WriteOnly));
    bad.write("\x89PNG\r\n\x1a\n truncated");
    bad.close();
    const Run r = cli({"infer", "-q", "-T", "2", "-o", out.path(), in.path()});
    QCOMPARE(r.exitCode, 3);
    QVERIFY2(r.err.contains("b.png"), qPrintable(r.err));
    QVERIFY(QFile::exists(out.filePath("a/summary.json")));
    QVERIFY(QFile::exists(out.filePath("c/summary.json")));
    QVERIFY(!QFile::exists(out.filePath("b")));
}

void TestCli::groundTruthBesideImagesIsNotAnInput() {
    QTemporaryDir out;
    const Run r = cli({"infer", "-q", "-T", "2", "-o", out.path(), kSamples + "/domainB"});
    QVERIFY2(r.exitCode == 0, qPrintable(r.err));
    const QStringList results = QDir(out.path()).entryList(QDir::Dirs | QDir::NoDotAndDotDot);
    QCOMPARE(results, (QStringList{"B_000000_rgb", "B_000001_rgb", "B_000002_rgb", "B_000003_rgb"}));
}

void TestCli::videoGivesPerFrameSeries() {
    QTemporaryDir out;
    const Run r = cli({"infer", "-q", "-T", "2", "--frames", "10:20", "--every", "2", "--raw-maps", "-o", out.path(),
                       kSamples + "/video/sequence.avi"});
    QVERIFY2(r.exitCode == 0, qPrintable(r.err));
    QFile csv(out.filePath("sequence/frames.csv"));
    QVERIFY(csv.open(QIODevice::ReadOnly));
    const QStringList lines = QString(csv.readAll()).trimmed().split('\n');
    QCOMPARE(lines.size(), 6);  // header + frames 10, 12, 14, 16, 18
    QVERIFY(lines[0].startsWith("frame,time_s,fresh_samples,carried_samples,"));
    QVERIFY(lines[1].startsWith("10,1.0000,2,0,"));  // full MC: every sample fresh
    QVERIFY(lines[0].contains("depth_epistemic_var_p95"));
    QVERIFY(lines[1].startsWith("10,"));
    std::ifstream series(out.filePath("sequence/frames.json").toStdString());
    QCOMPARE(nlohmann::json::parse(series).size(), size_t(5));
    cv::VideoCapture overlay(out.filePath("sequence/overlay.avi").toStdString());
    QVERIFY(overlay.isOpened());
    QCOMPARE(int(overlay.get(cv::CAP_PROP_FRAME_COUNT)), 5);
    // Each frame with its legend strip under it.
    cv::VideoCapture input((kSamples + "/video/sequence.avi").toStdString());
    QCOMPARE(int(overlay.get(cv::CAP_PROP_FRAME_HEIGHT)), int(input.get(cv::CAP_PROP_FRAME_HEIGHT)) + kLegendStripHeight);
    QVERIFY(QFile::exists(out.filePath("sequence/frame_000014/seg_mutual_info.npy")));
}

// --temporal K: the first frame draws all T, the next K fresh with T − K carried; the files say so.
void TestCli::temporalVideoSaysFreshAndCarried() {
    QTemporaryDir out;
    const Run r = cli({"infer", "-q", "-T", "6", "--temporal", "2", "--frames", "0:4", "-o", out.path(),
                       kSamples + "/video/sequence.avi"});
    QVERIFY2(r.exitCode == 0, qPrintable(r.err));
    QFile csv(out.filePath("sequence/frames.csv"));
    QVERIFY(csv.open(QIODevice::ReadOnly));
    const QStringList lines = QString(csv.readAll()).trimmed().split('\n');
    QCOMPARE(lines.size(), 5);
    QVERIFY2(lines[1].startsWith("0,0.0000,6,0,"), qPrintable(lines[1]));
    for (int i = 2; i < 5; ++i) QVERIFY2(lines[i].section(',', 2, 3) == "2,4", qPrintable(lines[i]));
    std::ifstream in(out.filePath("sequence/summary.json").toStdString());
    const auto summary = nlohmann::json::parse(in);
    QCOMPARE(summary["temporal"]["fresh_per_frame"].get<int>(), 2);
    QCOMPARE(summary["temporal"]["mean_fresh_samples"].get<double>(), (6 + 2 + 2 + 2) / 4.0);
    QCOMPARE(summary["temporal"]["mean_carried_samples"].get<double>(), 3.0);
    std::ifstream series(out.filePath("sequence/frames.json").toStdString());
    QCOMPARE(nlohmann::json::parse(series)[3]["carried_samples"].get<int>(), 4);
    // Without it the summary says null.
    QTemporaryDir plain;
    QCOMPARE(cli({"infer", "-q", "-T", "2", "--frames", "0:1", "-o", plain.path(), kSamples + "/video/sequence.avi"}).exitCode, 0);
    std::ifstream plainIn(plain.filePath("sequence/summary.json").toStdString());
    QVERIFY(nlohmann::json::parse(plainIn)["temporal"].is_null());
}

void TestCli::truncatedVideoIsReported() {
    QTemporaryDir in, out;
    const std::string copy = in.filePath("cut.avi").toStdString();
    fs::copy_file(kSamples.toStdString() + "/video/sequence.avi", copy);
    fs::resize_file(copy, fs::file_size(copy) / 3);
    const Run r = cli({"infer", "-q", "-T", "1", "-o", out.path(), QString::fromStdString(copy)});
    QCOMPARE(r.exitCode, 3);
    QVERIFY2(r.err.contains("cut.avi") && (r.err.contains("truncated") || r.err.contains("corrupt")), qPrintable(r.err));
    // The frames before the break are kept, and the message says where and that they are incomplete.
    QVERIFY2(r.err.contains("kept in") && r.err.contains("\"complete\": false"), qPrintable(r.err));
}

void TestCli::exitCodes_data() {
    QTest::addColumn<QStringList>("args");
    QTest::addColumn<int>("code");
    QTest::addColumn<QString>("words");
    const QString image = kSamples + "/domainA/A_000000_rgb.png";
    QTest::newRow("no command") << QStringList{} << 2 << "no command";
    QTest::newRow("unknown command") << QStringList{"frobnicate"} << 2 << "unknown command";
    QTest::newRow("T = 0") << QStringList{"infer", "-T", "0", image} << 2 << "--samples";
    QTest::newRow("p = 1") << QStringList{"infer", "-p", "1", image} << 2 << "--dropout";
    QTest::newRow("bad size") << QStringList{"infer", "--size", "big", image} << 2 << "--size";
    QTest::newRow("missing input") << QStringList{"infer", "-q", "/no/such/image.png"} << 3 << "/no/such/image.png";
    QTest::newRow("bad model") << QStringList{"infer", "-m", UVIS_TEST_DATA "/models/not_a_model.pt", image} << 4
                               << "not_a_model.pt";
}

void TestCli::exitCodes() {
    QFETCH(QStringList, args);
    QFETCH(int, code);
    QFETCH(QString, words);
    QTemporaryDir out;
    const Run r = cli(args + QStringList{"-o", out.path()});
    QCOMPARE(r.exitCode, code);
    QVERIFY2(r.err.contains(words), qPrintable(r.err));
}

void TestCli::infoAndValidateModel() {
    QCOMPARE(cli({"validate-model", UVIS_TEST_DATA "/models/encode_decode.pt"}).exitCode, 0);
    const Run traced = cli({"validate-model", UVIS_TEST_DATA "/models/traced.pt"});
    QCOMPARE(traced.exitCode, 4);
    QVERIFY2(traced.err.contains("torch.jit.script"), qPrintable(traced.err));
    const Run info = cli({"info", UVIS_TEST_DATA "/models/forward_only.pt"});
    QCOMPARE(info.exitCode, 0);
    const QString text = info.out;
    QVERIFY2(text.contains("fast path: no") && text.contains("seg_logits: 1×3×6×8"), qPrintable(text));
}

void TestCli::interruptedRunLeavesNoHalfWrittenResult() {
    QTemporaryDir in, out;
    for (int i = 0; i < 8; ++i)
        QFile::copy(kSamples + "/domainA/A_000003_rgb.png", in.filePath(QString("img%1.png").arg(i)));
    QProcess p;
    p.start(UVIS_CLI, {"infer", "-q", "-T", "96", "-o", out.path(), in.path()});
    QTRY_VERIFY_WITH_TIMEOUT(QFile::exists(out.filePath("img0/summary.json")), kHangMs);
    p.terminate();  // SIGTERM: as Ctrl-C, the run stops between MC chunks of the current input
    QVERIFY(p.waitForFinished(kHangMs));
    QVERIFY(p.exitCode() != 0);
    int complete = 0;
    for (const auto& e : fs::directory_iterator(out.path().toStdString())) {
        const std::string name = e.path().filename().string();
        QVERIFY2(name[0] != '.', name.c_str());  // no partial result folder left behind
        QVERIFY2(fs::exists(e.path() / "summary.json"), name.c_str());
        QCOMPARE(std::distance(fs::directory_iterator(e.path()), fs::directory_iterator{}),
                 static_cast<long>(kImageResultFiles.size()));
        ++complete;
    }
    QVERIFY(complete >= 1 && complete < 8);
}

void TestCli::cliEqualsTheEngineInProcess() {
    // The same engine code and seed handling in every front end: the CLI's file equals an
    // in-process run with the same settings, exported by the same library.
    QTemporaryDir out;
    const QString image = kSamples + "/domainA/A_000002_rgb.png";
    QCOMPARE(cli({"infer", "-q", "-T", "5", "--seed", "11", "-o", out.filePath("cli"), image}).exitCode, 0);
    LoadedModel model = loadModel(UVIS_RESOURCES "/models/uvis-street-demo.uvis");
    QVERIFY(model);
    const ModelCard& card = modelCard(*model.model);
    RgbImageResult input = readRgbImage(image.toStdString());
    SamplingSettings s;
    s.samples = 5;
    s.seed = 11;
    s.dropout = card.trainDropout;
    SamplingResult result = UncertaintyEngine(model.model).run(toModelInput(input.image, card.input), s);
    QVERIFY(result.ok());
    ExportOptions e;
    e.dir = out.filePath("lib/A_000002_rgb").toStdString();
    RunInfo info;
    info.input = image.toStdString();
    info.settings = s;
    info.result = &result;
    QCOMPARE(exportResult(e, input.image, card, info), std::string());
    for (const char* map : {"depth_mean.npy", "depth_epistemic_var.npy", "seg_mutual_info.npy", "seg_class.npy"}) {
        QFile a(out.filePath(QString("cli/A_000002_rgb/") + map)), b(out.filePath(QString("lib/A_000002_rgb/") + map));
        QVERIFY(a.open(QIODevice::ReadOnly) && b.open(QIODevice::ReadOnly));
        QVERIFY2(a.readAll() == b.readAll(), map);  // byte for byte
    }
}

void TestCli::modelGuardContainsCrashes() {
    const ValidatorCommand kCliValidator{UVIS_CLI, {"validate-model", "--in-process"}};
    const GuardVerdict good = validateInChildProcess(UVIS_TEST_DATA "/models/encode_decode.pt", kCliValidator);
    QVERIFY2(good.ok, qPrintable(good.message));
    const GuardVerdict bad = validateInChildProcess(UVIS_TEST_DATA "/models/nan_output.pt", kCliValidator);
    QVERIFY(!bad.ok);
    QVERIFY2(bad.message.contains("NaN"), qPrintable(bad.message));
    // A validator that dies of a signal, as LibTorch can on a malformed archive.
    QTemporaryDir dir;
    const QString crasher = dir.filePath("crash.sh");
    QFile script(crasher);
    QVERIFY(script.open(QIODevice::WriteOnly));
    script.write("#!/bin/sh\nkill -SEGV $$\n");
    script.close();
    script.setPermissions(QFileDevice::ExeOwner | QFileDevice::ReadOwner);
    const GuardVerdict crashed = validateInChildProcess("/models/evil.pt", ValidatorCommand{crasher, {}});
    QVERIFY(!crashed.ok);
    QVERIFY2(crashed.message.contains("/models/evil.pt") && crashed.message.contains("crashed"),
             qPrintable(crashed.message));
    const GuardVerdict missing = validateInChildProcess("/models/x.pt", ValidatorCommand{"/no/such/validator", {}});
    QVERIFY(!missing.ok && missing.message.contains("did not start"));
}

// A TorchScript forward with an endless loop: the check is stopped at its time limit and the
// verdict names the file.
void TestCli::modelGuardStopsAModelThatHangs() {
    const QString hang = UVIS_TEST_DATA "/models/hang.pt";
    const GuardVerdict v =
        validateInChildProcess(hang, ValidatorCommand{UVIS_CLI, {"validate-model", "--in-process"}}, 3000);
    QVERIFY(!v.ok);
    QVERIFY2(v.message.contains(hang) && v.message.contains("within 3 s"), qPrintable(v.message));
    // It says what to do about a model that is merely large and slow.
    QVERIFY2(v.message.contains("--timeout") && v.message.contains("--trust-model"), qPrintable(v.message));
}

// CLI11 for uvis-cli as for the other programs: --help lists every subcommand, --version the
// project's version, and every usage error exits 2.
void TestCli::oneParserWithEverySubcommandAndVersion() {
    QProcess p;
    p.start(UVIS_CLI, {"--help"});
    QVERIFY(p.waitForFinished(kHangMs));
    QCOMPARE(p.exitCode(), 0);
    const QString help = QString::fromUtf8(p.readAllStandardOutput());
    for (const char* command : {"infer", "ood", "info", "validate-model"}) QVERIFY2(help.contains(command), command);
    p.start(UVIS_CLI, {"--version"});
    QVERIFY(p.waitForFinished(kHangMs));
    QCOMPARE(p.exitCode(), 0);
    QVERIFY(QString::fromUtf8(p.readAllStandardOutput()).startsWith(QString("uvis-cli ") + UVIS_VERSION_NUMBER));
    QCOMPARE(cli({"infer", "--no-such-option", kSamples + "/domainA"}).exitCode, 2);
    QCOMPARE(cli({"infer", "-T", "0", kSamples + "/domainA"}).exitCode, 2);
    QCOMPARE(cli({"infer", "-p", "1.5", kSamples + "/domainA"}).exitCode, 2);
    QCOMPARE(cli({"infer", "--size", "8x6", kSamples + "/domainA"}).exitCode, 2);
    QCOMPARE(cli({"frobnicate"}).exitCode, 2);
    QCOMPARE(cli({}).exitCode, 2);
    QCOMPARE(cli({"ood", kSamples + "/domainA"}).exitCode, 2);  // two folders
    const Run sub = cli({"infer", "--help"});
    QCOMPARE(sub.exitCode, 0);
}

// Files that crashed every command that loaded them: a corrupted pickle or code
// entry (LibTorch aborts), a card number that overflows (an uncaught JSON exception), a card
// nested 100,000 levels deep (a stack overflow), and a forward that never returns. Each is now a
// refusal, exit 4, naming the file, from validate-model, info and infer alike.
void TestCli::hostileModelsAreRefusedNotCrashed_data() {
    QTest::addColumn<QString>("model");
    for (const char* name : {"corrupt_pickle.pt", "corrupt_code.pt", "card_overflow.pt", "card_nested.pt", "hang.pt"})
        QTest::newRow(name) << QString(UVIS_TEST_DATA "/models/") + name;
}

void TestCli::hostileModelsAreRefusedNotCrashed() {
    QFETCH(QString, model);
    QTemporaryDir out;
    const QString image = kSamples + "/domainA/A_000000_rgb.png";
    const QString name = QFileInfo(model).fileName();
    const QList<QStringList> commands{{"validate-model", "--timeout", "3", model},
                                      {"info", "--timeout", "3", model},
                                      {"infer", "-q", "--timeout", "3", "-m", model, "-o", out.path(), image}};
    for (const QStringList& args : commands) {
        const Run r = cli(args);
        QVERIFY2(r.exitCode == 4, qPrintable(args.first() + QString(": exit %1\n").arg(r.exitCode) + r.err));
        QVERIFY2(r.err.contains(name), qPrintable(r.err));
        // The hang is stopped by the check's own limit, and said so.
        if (name == "hang.pt") QVERIFY2(r.err.contains("within 3 s"), qPrintable(r.err));
    }
    QVERIFY(holdsNothing(out.path()));
    // The card problems are named as such, not as a LibTorch crash.
    if (name.startsWith("card_")) {
        const Run r = cli({"validate-model", model});
        QVERIFY2(r.err.contains("model card"), qPrintable(r.err));
    }
}

// A model that loads but breaks the contract is refused once, before the first input, naming
// the model and the output — not once per image, blaming the image.
void TestCli::aModelIsCheckedBeforeAnyInput() {
    QTemporaryDir out;
    const Run r = cli({"infer", "-q", "-m", UVIS_TEST_DATA "/models/nan_output.pt", "-o", out.path(),
                       kSamples + "/domainA"});
    QCOMPARE(r.exitCode, 4);
    QVERIFY2(r.err.contains("nan_output.pt") && r.err.contains("depth_mean"), qPrintable(r.err));
    QVERIFY(!r.err.contains("A_000000_rgb.png"));
    QVERIFY(holdsNothing(out.path()));
    // --trust-model skips the check (the bundled model is trusted without it).
    QTemporaryDir trusted;
    QCOMPARE(cli({"infer", "-q", "-T", "2", "--trust-model", "-m", UVIS_TEST_DATA "/models/encode_decode.pt", "-o",
                  trusted.path(), kSamples + "/domainA/A_000000_rgb.png"})
                 .exitCode,
             0);
}

void TestCli::edgeArgumentsAndNames() {
    const QString image = kSamples + "/domainA/A_000000_rgb.png";
    // An empty output folder would mean the working directory.
    const Run empty = cli({"infer", "-q", "-o", "", image});
    QCOMPARE(empty.exitCode, 2);
    QVERIFY2(empty.err.contains("--out"), qPrintable(empty.err));
    // info's refusal goes to stderr, like validate-model's; nothing to stdout.
    const Run info = cli({"info", UVIS_TEST_DATA "/models/not_a_model.pt"});
    QCOMPARE(info.exitCode, 4);
    QVERIFY(info.out.isEmpty());
    QVERIFY(info.err.contains("not_a_model.pt"));
    // A valid 250-character file name: the hidden temporaries are short, whatever the name.
    QTemporaryDir dir;
    const QString longName = dir.filePath(QString(246, 'n') + ".png");
    QVERIFY(QFile::copy(image, longName));
    const Run r = cli({"infer", "-q", "-T", "1", "-o", dir.filePath("out"), longName});
    QVERIFY2(r.exitCode == 0, qPrintable(r.err));
    QVERIFY(QFileInfo::exists(dir.filePath("out/" + QString(246, 'n') + "/depth_mean.npy")));
}

// Finite but meaningless outputs once gave exit 0 with all-inf maps summarised as 0.0: a log
// variance of +89 or +1000 (exp overflows) and a depth of −1e30 m. They are refused, naming the
// output, by the check and — for a trusted model — by the engine on its first chunk; either way
// it is the model's failure (exit 4), never the input's (3).
void TestCli::garbageOutputsAreRefusedNotSummarised_data() {
    QTest::addColumn<QString>("model");
    QTest::addColumn<QString>("output");
    QTest::newRow("depth log variance 89") << "depth_logvar_89.pt" << "depth_logvar";
    QTest::newRow("logit log variance 1000") << "seg_logvar_1000.pt" << "seg_logvar";
    QTest::newRow("depth -1e30 m") << "negative_depth.pt" << "depth_mean";
}

void TestCli::garbageOutputsAreRefusedNotSummarised() {
    QFETCH(QString, model);
    QFETCH(QString, output);
    const QString path = UVIS_TEST_DATA "/models/" + model;
    const QString image = kSamples + "/domainA/A_000000_rgb.png";
    QTemporaryDir out;
    const Run checked = cli({"infer", "-q", "-T", "2", "-m", path, "-o", out.path(), image});
    QCOMPARE(checked.exitCode, 4);
    QVERIFY2(checked.err.contains(model) && checked.err.contains(output), qPrintable(checked.err));
    const Run trusted = cli({"infer", "-q", "-T", "2", "--trust-model", "-m", path, "-o", out.path(), image});
    QCOMPARE(trusted.exitCode, 4);  // the engine refuses the result: the model's failure, not the input's
    QVERIFY2(trusted.err.contains(output), qPrintable(trusted.err));
    QVERIFY(holdsNothing(out.path()));
}

void TestCli::statisticsNeverHideNonFiniteValues() {
    const float nan = std::nanf(""), inf = INFINITY;
    const MapStatistics some = statistics(FloatMap{4, 1, {1.f, nan, inf, 3.f}});
    QCOMPARE(some.mean, 2.0);
    QCOMPARE(some.nonFinite, size_t(2));
    const MapStatistics none = statistics(FloatMap{2, 1, {nan, inf}});
    QVERIFY(std::isnan(none.mean) && std::isnan(none.median) && std::isnan(none.p95));
    QCOMPARE(none.nonFinite, size_t(2));
    QCOMPARE(statistics(FloatMap{2, 1, {0.f, 0.f}}).mean, 0.0);  // a real zero stays a zero
}

void TestCli::inputsThatAreNotWhatTheyClaim() {
    QTemporaryDir dir;
    QTemporaryDir out;
    // An empty folder, and an empty folder named like an image: nothing to do is a failure.
    QVERIFY(QDir(dir.path()).mkdir("empty") && QDir(dir.path()).mkdir("x.png"));
    for (const char* name : {"empty", "x.png"}) {
        const Run r = cli({"infer", "-q", "-o", out.path(), dir.filePath(name)});
        QCOMPARE(r.exitCode, 3);
        QVERIFY2(r.err.contains(name) && r.err.contains("no images or videos"), qPrintable(r.err));
    }
    // A FIFO exists but is not a file: say what it is (it used to be "no such file").
    const QString fifo = dir.filePath("pipe.png");
    QVERIFY(::mkfifo(fifo.toLocal8Bit().constData(), 0600) == 0);
    const Run f = cli({"infer", "-q", "-o", out.path(), fifo});
    QCOMPARE(f.exitCode, 3);
    QVERIFY2(f.err.contains("pipe.png") && f.err.contains("not a regular file"), qPrintable(f.err));
    // A PNG under a video's name, and a video with no frames: refused, nothing written (they used
    // to exit 0 with "complete": true and an overlay.avi that did not exist).
    const QString renamed = dir.filePath("picture.avi");
    QVERIFY(QFile::copy(kSamples + "/domainA/A_000000_rgb.png", renamed));
    const QString emptyVideo = dir.filePath("empty.avi");
    {
        cv::VideoWriter writer(emptyVideo.toStdString(), cv::VideoWriter::fourcc('M', 'J', 'P', 'G'), 10, cv::Size(64, 48));
        QVERIFY(writer.isOpened());
    }
    for (const QString& video : {renamed, emptyVideo}) {
        const Run r = cli({"infer", "-q", "-T", "1", "-o", out.path(), video});
        QCOMPARE(r.exitCode, 3);
        QVERIFY2(r.err.contains(QFileInfo(video).fileName()), qPrintable(r.err));
    }
    QVERIFY(holdsNothing(out.path()));
}

// SIGTERM (as SIGINT) stops a long run between MC chunks — it ends normally, says so, and leaves
// no folder of the input in flight — instead of running its minutes to the end.
void TestCli::sigtermStopsBetweenChunks() {
    QTemporaryDir out;
    QProcess p;
    p.start(UVIS_CLI, {"infer", "-T", "4096", "-o", out.path(), kSamples + "/domainA/A_000000_rgb.png"});
    QVERIFY(p.waitForStarted());
    QByteArray err;
    // "[1/1] …" is printed as the engine starts on the input: the model is loaded and sampling.
    QTRY_VERIFY_WITH_TIMEOUT((err += p.readAllStandardError()).contains("[1/1]"), kHangMs);
    QCOMPARE(p.state(), QProcess::Running);
    p.terminate();
    QVERIFY(p.waitForFinished(kHangMs));
    err += p.readAllStandardError();
    QCOMPARE(p.exitStatus(), QProcess::NormalExit);
    QVERIFY2(err.contains("interrupted"), err.constData());
    QVERIFY(holdsNothing(out.path()));
}

// A header that claims 10 gigapixels, and a real image over --max-pixels, are refused before
// decoding with "image too large (W×H …)"; a wide image is accepted and its maps are capped at a
// longer side of 4096, which summary.json says.
void TestCli::sizeBombsAreRefusedFromTheirHeader() {
    QTemporaryDir out;
    const Run lying = cli({"infer", "-q", "-o", out.path(), UVIS_TEST_DATA "/images/lying_header.png"});
    QCOMPARE(lying.exitCode, 3);
    QVERIFY2(lying.err.contains("lying_header.png: image too large (100000×100000"), qPrintable(lying.err));
    QTemporaryDir dir;
    const QString wide = dir.filePath("wide.png");
    cv::Mat image(200, 4400, CV_8UC3, cv::Scalar(40, 80, 120));
    QVERIFY(cv::imwrite(wide.toStdString(), image));
    const Run refused = cli({"infer", "-q", "--max-pixels", "800000", "-o", out.path(), wide});
    QCOMPARE(refused.exitCode, 3);
    QVERIFY2(refused.err.contains("image too large (4400×200"), qPrintable(refused.err));
    QVERIFY(holdsNothing(out.path()));
    const Run capped = cli({"infer", "-q", "-T", "1", "-o", out.path(), wide});
    QVERIFY2(capped.exitCode == 0, qPrintable(capped.err));
    std::ifstream in(out.filePath("wide/summary.json").toStdString());
    const nlohmann::json doc = nlohmann::json::parse(in);
    QCOMPARE(doc["map_size"][0].get<int>(), 4096);
    QCOMPARE(doc["map_size"][1].get<int>(), 186);
    QVERIFY(doc["map_size_note"].get<std::string>().find("4096") != std::string::npos);
    const NpyFloatResult depth = readNpyFloat(out.filePath("wide/depth_mean.npy").toStdString());
    QCOMPARE(depth.map.width, 4096);

    // A large JPEG is decoded reduced (libjpeg's 1/2 scale: 4500×150, never below 4096), shrunk
    // to 4096 wide, and its ground truth at the file's own size still applies (resampled, nearest).
    const QString large = dir.filePath("large.jpg");
    QVERIFY(cv::imwrite(large.toStdString(), cv::Mat(300, 9000, CV_8UC3, cv::Scalar(90, 60, 30))));
    FloatMap truth{9000, 300, std::vector<float>(9000 * 300, 12.f)};
    QCOMPARE(writeNpy(dir.filePath("large_depth.npy").toStdString(), truth), std::string());
    const Run reduced = cli({"infer", "-q", "-T", "1", "-o", out.path(), large});
    QVERIFY2(reduced.exitCode == 0, qPrintable(reduced.err));
    std::ifstream in2(out.filePath("large/summary.json").toStdString());
    const nlohmann::json doc2 = nlohmann::json::parse(in2);
    QCOMPARE(doc2["map_size"][0].get<int>(), 4096);
    QCOMPARE(doc2["map_size"][1].get<int>(), 137);
    QVERIFY2(doc2["map_size_note"].get<std::string>().find("9000×300") != std::string::npos,
             doc2["map_size_note"].dump().c_str());
    QVERIFY(doc2["metrics"].contains("depth"));
}

// A JPEG cut short decodes with its lower part grey and only libjpeg's stderr line: uvis-cli warns,
// summary.json lists it in input_warnings, and --strict refuses it. A whole JPEG warns nothing.
void TestCli::truncatedJpegsWarnOrAreRefused() {
    QTemporaryDir dir, out;
    const QString whole = dir.filePath("whole.jpg"), cut = dir.filePath("cut.jpg");
    QVERIFY(cv::imwrite(whole.toStdString(), cv::imread((kSamples + "/domainA/A_000000_rgb.png").toStdString())));
    QFile in(whole);
    QVERIFY(in.open(QIODevice::ReadOnly));
    const QByteArray bytes = in.readAll();
    QFile cutFile(cut);
    QVERIFY(cutFile.open(QIODevice::WriteOnly));
    cutFile.write(bytes.left(bytes.size() * 6 / 10));
    cutFile.close();
    const Run good = cli({"infer", "-q", "-T", "1", "-o", out.path(), whole});
    QCOMPARE(good.exitCode, 0);
    QVERIFY(!good.err.contains("warning"));
    const Run warned = cli({"infer", "-q", "-T", "1", "-o", out.path(), cut});
    QCOMPARE(warned.exitCode, 0);
    QVERIFY2(warned.err.contains("warning") && warned.err.contains("cut.jpg") && warned.err.contains("truncated"),
             qPrintable(warned.err));
    std::ifstream summary(out.filePath("cut/summary.json").toStdString());
    const nlohmann::json doc = nlohmann::json::parse(summary);
    QCOMPARE(doc["input_warnings"].size(), size_t(1));
    std::ifstream wholeSummary(out.filePath("whole/summary.json").toStdString());
    QVERIFY(nlohmann::json::parse(wholeSummary)["input_warnings"].empty());
    QTemporaryDir strictOut;
    const Run strict = cli({"infer", "-q", "-T", "1", "--strict", "-o", strictOut.path(), cut});
    QCOMPARE(strict.exitCode, 3);
    QVERIFY2(strict.err.contains("--strict"), qPrintable(strict.err));
}

void TestCli::groundTruthAddsMetricsToTheSummary() {
    QTemporaryDir out;
    const Run r = cli({"infer", "-T", "4", "-o", out.path(), kSamples + "/domainA/A_000002_rgb.png"});
    QVERIFY2(r.exitCode == 0, qPrintable(r.err));
    QVERIFY(r.err.contains("mIoU"));
    std::ifstream in(out.filePath("A_000002_rgb/summary.json").toStdString());
    const nlohmann::json doc = nlohmann::json::parse(in);
    for (const char* key : {"rmse", "abs_rel", "delta1", "nll", "ause_rmse", "ause_abs_rel", "coverage_68", "coverage_95"})
        QVERIFY2(doc["metrics"]["depth"].contains(key), key);
    for (const char* key : {"miou", "pixel_accuracy", "ece", "nll", "brier", "auroc_error"})
        QVERIFY2(doc["metrics"]["segmentation"].contains(key), key);
    QVERIFY(doc["metrics"]["segmentation"]["miou"].get<double>() > 0.5);  // the demo model on its own domain
    QVERIFY(QString::fromStdString(doc["ground_truth"]["labels"].get<std::string>()).endsWith("A_000002_labels.png"));
    // --no-gt: no metrics.
    const Run plain = cli({"infer", "-q", "-T", "2", "--no-gt", "--overwrite", "-o", out.path(),
                           kSamples + "/domainA/A_000002_rgb.png"});
    QCOMPARE(plain.exitCode, 0);
    std::ifstream again(out.filePath("A_000002_rgb/summary.json").toStdString());
    QVERIFY(!nlohmann::json::parse(again).contains("metrics"));
}

void TestCli::explicitGroundTruthIsCheckedAndNamed() {
    QTemporaryDir out;
    // Another image's truth of another size: refused, naming the file and both sizes.
    QVERIFY(writeNpy(out.filePath("small_depth.npy").toStdString(), FloatMap{8, 4, std::vector<float>(32, 1.f)}).empty());
    Run r = cli({"infer", "-q", "-T", "2", "-o", out.filePath("a"), "--gt-depth", out.filePath("small_depth.npy"),
                 kSamples + "/domainA/A_000002_rgb.png"});
    QCOMPARE(r.exitCode, 3);
    QVERIFY2(r.err.contains("small_depth.npy") && r.err.contains("8×4") && r.err.contains("256×192"), qPrintable(r.err));
    QVERIFY(!QFileInfo::exists(out.filePath("a/A_000002_rgb")));
    // A corrupt labels file.
    QFile bad(out.filePath("bad_labels.png"));
    QVERIFY(bad.open(QIODevice::WriteOnly));
    bad.write("not a png");
    bad.close();
    r = cli({"infer", "-q", "-T", "2", "-o", out.filePath("b"), "--gt-labels", out.filePath("bad_labels.png"),
             kSamples + "/domainA/A_000002_rgb.png"});
    QCOMPARE(r.exitCode, 3);
    QVERIFY(r.err.contains("bad_labels.png"));
    // Explicit truth for a folder is a usage error.
    QCOMPARE(cli({"infer", "--gt-depth", "x.npy", kSamples + "/domainA"}).exitCode, 2);
    // The right file given explicitly works like the one found beside it.
    r = cli({"infer", "-q", "-T", "2", "--no-gt", "-o", out.filePath("c"), "--gt-depth",
             kSamples + "/domainB/B_000000_depth.npy", kSamples + "/domainB/B_000000_rgb.png"});
    QVERIFY2(r.exitCode == 0, qPrintable(r.err));
    std::ifstream in(out.filePath("c/B_000000_rgb/summary.json").toStdString());
    const nlohmann::json doc = nlohmann::json::parse(in);
    QVERIFY(doc["metrics"].contains("depth") && !doc["metrics"].contains("segmentation"));
}

void TestCli::oodSeparatesTheDomains() {
    QTemporaryDir out;
    QProcess p;
    p.start(UVIS_CLI, {"ood", "-q", "-T", "4", "-o", out.path(), kSamples + "/domainA", kSamples + "/domainB"});
    QVERIFY(p.waitForFinished(kHangMs));
    QCOMPARE(p.exitCode(), 0);
    QVERIFY(p.readAllStandardOutput().contains("AUROC"));
    std::ifstream in(out.filePath("ood.json").toStdString());
    const nlohmann::json doc = nlohmann::json::parse(in);
    QCOMPARE(doc["in_distribution"]["images"].size(), size_t(4));
    // The bundled domain-B scenes (dusk, fog, other textures) are more uncertain than domain A.
    QVERIFY(doc["auroc_depth_epistemic"].get<double>() >= 0.75);
}

// SPEC §4: depth_logvar (and seg_logvar) are optional. A model with neither writes no aleatoric
// depth map and says so in summary.json; metrics use the epistemic variance and say that too.
void TestCli::modelWithoutVarianceHeadsSaysSo() {
    QTemporaryDir out;
    const Run run = cli({"infer", "-q", "-T", "4", "-m", UVIS_TEST_DATA "/models/no_variance.pt", "-o", out.path(),
                         kSamples + "/domainA/A_000000_rgb.png"});
    QVERIFY2(run.exitCode == 0, qPrintable(run.err));
    const QDir result(out.filePath("A_000000_rgb"));
    QVERIFY(result.exists("depth_mean.npy") && result.exists("depth_epistemic_var.npy"));
    QVERIFY(!result.exists("depth_aleatoric_var.npy") && !result.exists("depth_aleatoric_std.png"));
    QVERIFY(!result.exists("seg_logit_var.npy"));
    std::ifstream in(result.filePath("summary.json").toStdString());
    const nlohmann::json doc = nlohmann::json::parse(in);
    QVERIFY(doc["maps"]["depth_aleatoric_var"].contains("not_predicted"));
    const std::string notes = doc["metrics"]["notes"].dump();
    QVERIFY2(notes.find("epistemic variance alone") != std::string::npos, notes.c_str());
    QVERIFY(doc["metrics"]["depth"]["nll"].is_number());
}

void TestCli::datasetTableHoldsEveryImageAndPooledMetrics() {
    QTemporaryDir data, out;
    copySampleDataset(data.path());
    const Run r = cli({"infer", "-T", "2", "-o", out.path(), data.path()});
    QVERIFY2(r.exitCode == 0, qPrintable(r.err));
    QVERIFY2(r.err.contains("data set: 8 image(s) scored, 0 failed, of 8 input(s)"), qPrintable(r.err));
    QFile csv(out.filePath("dataset.csv"));
    QVERIFY(csv.open(QIODevice::ReadOnly));
    const QStringList lines = QString(csv.readAll()).trimmed().split('\n');
    QCOMPARE(lines.size(), 9);
    const QStringList header = lines[0].split(',');
    for (const char* column : {"image", "depth_epistemic_var_mean", "depth_epistemic_var_p95", "seg_mutual_info_p95",
                               "rmse", "abs_rel", "miou", "ece", "wrong_confident"})
        QVERIFY2(header.contains(column), column);
    QVERIFY(lines[1].startsWith("A/A_000000_rgb.png,256,192,"));
    const nlohmann::json table = readJson(out.filePath("dataset.json"));
    QCOMPARE(table["rows"].size(), size_t(8));
    // Each row holds its image's summary.json numbers; the pooled ones weigh every pixel once.
    double squared = 0, correct = 0;
    size_t depthPixels = 0, labelPixels = 0;
    for (const auto& row : table["rows"]) {
        const QString name = QString::fromStdString(row["image"].get<std::string>());
        const nlohmann::json summary = readJson(out.filePath(name.left(name.size() - 4) + "/summary.json"));
        const auto& d = summary["metrics"]["depth"];
        const auto& s = summary["metrics"]["segmentation"];
        QCOMPARE(row["rmse"].get<double>(), d["rmse"].get<double>());
        QCOMPARE(row["miou"].get<double>(), s["miou"].get<double>());
        const auto map = std::find_if(row["maps"].begin(), row["maps"].end(),
                                      [](const auto& m) { return m["map"] == "depth_epistemic_var"; });
        QVERIFY(map != row["maps"].end());
        QCOMPARE((*map)["p95"].get<double>(), summary["maps"]["depth_epistemic_var"]["p95"].get<double>());
        squared += std::pow(d["rmse"].get<double>(), 2) * d["valid_pixels"].get<double>();
        depthPixels += d["valid_pixels"].get<size_t>();
        correct += s["pixel_accuracy"].get<double>() * s["valid_pixels"].get<double>();
        labelPixels += s["valid_pixels"].get<size_t>();
    }
    const auto& pooled = table["pooled"];
    QVERIFY(std::abs(pooled["depth"]["rmse"].get<double>() - std::sqrt(squared / depthPixels)) < 1e-9);
    QVERIFY(std::abs(pooled["segmentation"]["pixel_accuracy"].get<double>() - correct / labelPixels) < 1e-9);
    QCOMPARE(pooled["segmentation"]["reliability"].size(), size_t(15));
    // Domain B is the harder one: its images are the wrong ones more often.
    QVERIFY(pooled["image_level"]["auroc_depth"].is_number());
}

void TestCli::shardedRunsMergeToTheUnshardedRun() {
    QTemporaryDir data, out;
    copySampleDataset(data.path());
    const QStringList common{"infer", "-q", "-T", "2", "--seed", "3", data.path()};
    QCOMPARE(cli(common + QStringList{"-o", out.filePath("all")}).exitCode, 0);
    // Three separate processes at once; the second finds its shard as a Slurm array task would.
    std::vector<std::unique_ptr<QProcess>> shards;
    for (int k = 0; k < 3; ++k) {
        auto p = std::make_unique<QProcess>();
        QStringList args = common + QStringList{"-o", out.filePath(QString("shard-%1").arg(k))};
        if (k == 1) {  // as a Slurm array task
            QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
            env.insert("SLURM_ARRAY_TASK_ID", "1");
            env.insert("SLURM_ARRAY_TASK_COUNT", "3");
            p->setProcessEnvironment(env);
            args << "--shard" << "auto";
        } else if (k == 2) {  // as a pod of a Kubernetes Indexed Job (docs/kubernetes)
            QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
            env.insert("JOB_COMPLETION_INDEX", "2");
            p->setProcessEnvironment(env);
            args << "--shard" << "auto" << "--shard-count" << "3";
        } else {
            args << "--shard" << QString("%1/3").arg(k);
        }
        p->start(UVIS_CLI, args);
        shards.push_back(std::move(p));
    }
    size_t rows = 0;
    for (auto& p : shards) {
        QVERIFY(p->waitForFinished(kHangMs));
        QVERIFY2(p->exitCode() == 0, p->readAllStandardError().constData());
    }
    for (int k = 0; k < 3; ++k) rows += readJson(out.filePath(QString("shard-%1/dataset.json").arg(k)))["rows"].size();
    QCOMPARE(rows, size_t(8));
    const Run merged = cli({"merge", out.filePath("merged"), out.filePath("shard-0"), out.filePath("shard-1"),
                            out.filePath("shard-2")});
    QVERIFY2(merged.exitCode == 0, qPrintable(merged.err));
    const nlohmann::json a = readJson(out.filePath("all/dataset.json")), b = readJson(out.filePath("merged/dataset.json"));
    QCOMPARE(a["rows"], b["rows"]);  // identical, number for number
    for (const char* task : {"depth", "segmentation"})
        for (const auto& [key, value] : a["pooled"][task].items())
            if (value.is_number())
                QVERIFY2(std::abs(value.get<double>() - b["pooled"][task][key].get<double>()) < 1e-9, key.c_str());
    QCOMPARE(a["pooled"]["segmentation"]["reliability"].size(), b["pooled"]["segmentation"]["reliability"].size());
    QCOMPARE(a["pooled"]["image_level"], b["pooled"]["image_level"]);
    // A missing shard and a shard given twice are named; nothing is written.
    const Run missing = cli({"merge", out.filePath("m2"), out.filePath("shard-0"), out.filePath("shard-2")});
    QCOMPARE(missing.exitCode, 3);
    QVERIFY2(missing.err.contains("shard 1/3 is missing"), qPrintable(missing.err));
    const Run twice = cli({"merge", out.filePath("m3"), out.filePath("shard-0"), out.filePath("shard-1"),
                           out.filePath("shard-1/dataset.json"), out.filePath("shard-2")});
    QCOMPARE(twice.exitCode, 3);
    QVERIFY2(twice.err.contains("is given twice"), qPrintable(twice.err));
    QVERIFY(!QFile::exists(out.filePath("m2/dataset.csv")) && !QFile::exists(out.filePath("m3/dataset.csv")));
    QCOMPARE(cli({"infer", "--shard", "3/3", data.path()}).exitCode, 2);
}

void TestCli::resumeAfterKill9LosesOnlyTheInputInFlight() {
    QTemporaryDir in, out, fresh;
    for (int i = 0; i < 8; ++i) {
        QFile::copy(kSamples + QString("/domainA/A_00000%1_rgb.png").arg(i % 4), in.filePath(QString("img%1_rgb.png").arg(i)));
        QFile::copy(kSamples + QString("/domainA/A_00000%1_depth.npy").arg(i % 4), in.filePath(QString("img%1_depth.npy").arg(i)));
    }
    const QStringList args{"infer", "-q", "-T", "48", "-o", out.path(), in.path()};
    QProcess p;
    p.start(UVIS_CLI, args);
    QVERIFY(p.waitForStarted());
    auto done = [&] {
        int n = 0;
        for (int i = 0; i < 8; ++i) n += QFile::exists(out.filePath(QString("img%1_rgb/scores.json").arg(i)));
        return n;
    };
    QTRY_VERIFY_WITH_TIMEOUT(done() >= 2, kHangMs);
    p.kill();  // SIGKILL: no handler runs
    p.waitForFinished();
    // However far it got (on a fast machine it may even have finished), --resume keeps what is
    // whole and redoes only the rest.
    const int kept = done();
    QVERIFY2(kept >= 2 && kept <= 8, qPrintable(QString::number(kept)));
    if (p.exitStatus() == QProcess::CrashExit) QVERIFY(!QFile::exists(out.filePath("dataset.json")));  // killed mid-run
    std::map<int, fs::file_time_type> stamps;
    for (int i = 0; i < 8; ++i)
        if (QFile::exists(out.filePath(QString("img%1_rgb/summary.json").arg(i))))
            stamps[i] = fs::last_write_time(out.filePath(QString("img%1_rgb/summary.json").arg(i)).toStdString());
    const Run resumed = cli({"infer", "-T", "48", "--resume", "-o", out.path(), in.path()});
    QVERIFY2(resumed.exitCode == 0, qPrintable(resumed.err));
    QVERIFY2(resumed.err.contains(QString("--resume: %1 result(s) kept, %2 to do").arg(stamps.size()).arg(8 - stamps.size())),
             qPrintable(resumed.err));
    for (const auto& [i, stamp] : stamps)  // the finished ones are not redone
        QCOMPARE(fs::last_write_time(out.filePath(QString("img%1_rgb/summary.json").arg(i)).toStdString()), stamp);
    // No unfinished folder of the killed run is left, and the table equals an uninterrupted run's.
    QCOMPARE(QDir(out.path()).entryList(QDir::Dirs | QDir::Hidden | QDir::NoDotAndDotDot).size(), 8);
    QCOMPARE(cli({"infer", "-q", "-T", "48", "-o", fresh.path(), in.path()}).exitCode, 0);
    QCOMPARE(readJson(out.filePath("dataset.json"))["rows"], readJson(fresh.filePath("dataset.json"))["rows"]);
    // Other settings are not mixed in: the kept results are named, not reused.
    const Run other = cli({"infer", "-q", "-T", "8", "--resume", "-o", out.path(), in.path()});
    QCOMPARE(other.exitCode, 3);
    QVERIFY2(other.err.contains("was made with other settings"), qPrintable(other.err));
}

void TestCli::labelIdsOfAnotherClassListAreReported() {
    // The 3-class fixture model (sky, road, car) on the bundled 8-class labels: matched by name
    // through the sample's manifest, and every class that does not match is said.
    QTemporaryDir out;
    const Run r = cli({"infer", "-T", "2", "-m", UVIS_TEST_DATA "/models/forward_only.pt", "-o", out.path(),
                       kSamples + "/domainA/A_000001_rgb.png"});
    QVERIFY2(r.exitCode == 0, qPrintable(r.err));
    QVERIFY2(r.err.contains("building, pole, sidewalk, vegetation, vehicle, pedestrian are not classes of the model"),
             qPrintable(r.err));
    const nlohmann::json summary = readJson(out.filePath("A_000001_rgb/summary.json"));
    QCOMPARE(summary["ground_truth"]["label_mapping"].get<std::string>(), std::string("by class name (the data set's class list)"));
    QString warnings = QString::fromStdString(summary["warnings"].dump());
    QVERIFY2(warnings.contains("the model's classes car are not in the data set's class list") &&
                 warnings.contains("of the labelled pixels have ids the model does not know"),
             qPrintable(warnings));
}

// A model without dropout (no "dropout" section in its card) is valid: MC dropout is refused with
// the reason and the method to use; test-time augmentation runs on it, and summary.json says the
// model has no trained dropout. A model's failure while it runs is exit 4.
void TestCli::deterministicModelsRunTheirMethods() {
    const QString model = UVIS_TEST_DATA "/models/deterministic.pt";
    const QString image = kSamples + "/domainA/A_000001_rgb.png";
    QTemporaryDir dir;
    const Run check = cli({"validate-model", model});
    QVERIFY2(check.exitCode == 0 && check.out.contains("methods: tta"), qPrintable(check.out + check.err));
    const Run mc = cli({"infer", "-q", "-m", model, "-o", dir.filePath("mc"), image});
    QCOMPARE(mc.exitCode, 2);
    QVERIFY2(mc.err.contains("has no dropout") && mc.err.contains("run with --method tta"), qPrintable(mc.err));
    QVERIFY(!QFileInfo::exists(dir.filePath("mc")) || QDir(dir.filePath("mc")).isEmpty());
    const Run tta = cli({"infer", "-q", "--method", "tta", "-T", "3", "-m", model, "-o", dir.filePath("tta"), image});
    QVERIFY2(tta.exitCode == 0, qPrintable(tta.err));
    const auto s = readJson(dir.filePath("tta") + "/A_000001_rgb/summary.json");
    QCOMPARE(s["method"].get<std::string>(), std::string("tta"));
    QVERIFY(s["trained_dropout"].is_null());
    QCOMPARE(s["samples_done"].get<int>(), 3);
}

void TestCli::methodsFromTheCommandLine() {
    // --method as a user types it: an ensemble folder and an ensemble card, T and p as each
    // method reads them, the method in summary.json, and the refusals. The members have random
    // weights (--trust-model: on a blank input their outputs saturate, which the contract check
    // reads as frozen dropout); the child-process check of a card runs on trained members below.
    QTemporaryDir dir;
    const QString members = dir.filePath("members");
    QDir().mkpath(members);
    std::vector<std::string> files;
    for (int k = 1; k <= 3; ++k) {
        files.push_back(members.toStdString() + "/m" + std::to_string(k) + ".uvis");
        QCOMPARE(saveModel(*createRandomNativeModel(8, 3, 64, 48, static_cast<std::uint64_t>(k)), files.back()),
                 std::string());
    }
    const QString image = kSamples + "/domainA/A_000001_rgb.png";
    auto summary = [&](const QString& out) { return readJson(out + "/A_000001_rgb/summary.json"); };

    const Run ensemble = cli({"infer", "-q", "--trust-model", "--method", "ensemble", "-m", members, "-o", dir.filePath("e"), image});
    QVERIFY2(ensemble.exitCode == 0, qPrintable(ensemble.err));
    auto s = summary(dir.filePath("e"));
    QCOMPARE(s["method"].get<std::string>(), std::string("ensemble"));
    QCOMPARE(s["samples_done"].get<int>(), 3);
    QCOMPARE(s["dropout"].get<double>(), 0.0);
    QVERIFY(s["maps"]["depth_epistemic_var"]["mean"].get<double>() > 0.0);  // the members disagree

    const QString card = dir.filePath("members.ensemble.json");
    {
        std::ofstream out(card.toStdString());
        out << R"({"uvis_ensemble": 1, "name": "three", "members": ["members/m1.uvis", "members/m2.uvis", "members/m3.uvis"]})";
    }
    const Run mc = cli({"infer", "-q", "--trust-model", "--method", "ensemble-mc", "-T", "2", "-m", card, "-o", dir.filePath("emc"), image});
    QVERIFY2(mc.exitCode == 0, qPrintable(mc.err));
    s = summary(dir.filePath("emc"));
    QCOMPARE(s["method"].get<std::string>(), std::string("ensemble-mc"));
    QCOMPARE(s["samples_done"].get<int>(), 6);  // T per member
    QCOMPARE(s["dropout"].get<double>(), 0.2);  // the members' training rate
    QCOMPARE(s["model"]["name"].get<std::string>(), std::string("three"));

    const Run tta = cli({"infer", "-q", "--method", "tta", "-T", "3", "-o", dir.filePath("tta"), image});
    QVERIFY2(tta.exitCode == 0, qPrintable(tta.err));
    s = summary(dir.filePath("tta"));
    QCOMPARE(s["method"].get<std::string>(), std::string("tta"));
    QCOMPARE(s["dropout"].get<double>(), 0.0);  // SPEC §2: p = 0 unless asked
    QCOMPARE(s["samples_done"].get<int>(), 3);
    QCOMPARE(summary(dir.filePath("e"))["model"]["name"].get<std::string>(), std::string("members"));

    const Run single = cli({"infer", "-q", "--method", "ensemble", "-o", dir.filePath("x"), image});
    QCOMPARE(single.exitCode, 2);
    QVERIFY2(single.err.contains("needs an ensemble of models"), qPrintable(single.err));
    QVERIFY(!QFileInfo::exists(dir.filePath("x/A_000001_rgb")));
    const Run unknown = cli({"infer", "-q", "--method", "bayes", "-o", dir.filePath("x"), image});
    QCOMPARE(unknown.exitCode, 2);
    QVERIFY2(unknown.err.contains("--method"), qPrintable(unknown.err));
    const Run dropout = cli({"infer", "-q", "--method", "ensemble", "-p", "0.3", "-m", members, "-o", dir.filePath("x"), image});
    QCOMPARE(dropout.exitCode, 2);
    QVERIFY2(dropout.err.contains("ensemble-mc"), qPrintable(dropout.err));

    const QString trained = dir.filePath("trained");
    QDir().mkpath(trained);
    for (const char* name : {"a.uvis", "b.uvis"})
        QVERIFY(QFile::copy(UVIS_RESOURCES "/models/uvis-street-demo.uvis", trained + "/" + name));
    const Run check = cli({"validate-model", trained});
    QVERIFY2(check.exitCode == 0 && check.out.contains("ensemble of 2"), qPrintable(check.out + check.err));
    const Run guarded = cli({"infer", "-q", "--method", "ensemble", "-m", trained, "-o", dir.filePath("g"), image});
    QVERIFY2(guarded.exitCode == 0, qPrintable(guarded.err));  // checked in a child process, then run
    fs::remove(files[1]);
    const Run broken = cli({"infer", "-q", "--method", "ensemble", "-m", card, "-o", dir.filePath("x"), image});
    QCOMPARE(broken.exitCode, 4);
    QVERIFY2(broken.err.contains("m2.uvis"), qPrintable(broken.err));
}

void TestCli::calibrateWritesBesideTheModelAndInferAppliesIt() {
    QTemporaryDir dir;
    const QString model = dir.filePath("demo.uvis");
    QVERIFY(QFile::copy(UVIS_RESOURCES "/models/uvis-street-demo.uvis", model));
    const Run fit = cli({"calibrate", "-q", "-m", model, "-T", "4", "--data", kSamples + "/domainB"});
    QVERIFY2(fit.exitCode == 0, qPrintable(fit.err));
    QVERIFY2(fit.out.contains("temperature") && fit.out.contains("before") && fit.out.contains("after"), qPrintable(fit.out));
    const QString file = dir.filePath("demo.calibration.json");
    QVERIFY(QFileInfo::exists(file));
    const auto entry = readJson(file)["methods"]["mc"];
    const double tau = entry["temperature"].get<double>(), c = entry["depth_variance_scale"].get<double>();
    QVERIFY(tau > 0 && c > 0 && c != 1.0);
    QCOMPARE(entry["fit_images"].get<int>(), 2);
    QCOMPARE(entry["check_images"].get<int>(), 2);
    QVERIFY(entry["after"].contains("coverage95") && entry["before"].contains("ece"));

    // infer applies it (and says so); --no-calibration does not. The variances differ by c exactly.
    const QString image = kSamples + "/domainB/B_000001_rgb.png";
    const Run on = cli({"infer", "-T", "4", "-m", model, "-o", dir.filePath("on"), image});
    QVERIFY2(on.exitCode == 0, qPrintable(on.err));
    QVERIFY2(on.err.contains("calibrated"), qPrintable(on.err));
    QCOMPARE(cli({"infer", "-q", "-T", "4", "--no-calibration", "-m", model, "-o", dir.filePath("off"), image}).exitCode, 0);
    const auto sOn = readJson(dir.filePath("on/B_000001_rgb/summary.json"));
    const auto sOff = readJson(dir.filePath("off/B_000001_rgb/summary.json"));
    QCOMPARE(sOn["calibration"]["applied"].get<bool>(), true);
    QCOMPARE(sOn["calibration"]["temperature"].get<double>(), tau);
    QCOMPARE(sOff["calibration"]["applied"].get<bool>(), false);
    const double ratio = sOn["maps"]["depth_aleatoric_var"]["mean"].get<double>() /
                         sOff["maps"]["depth_aleatoric_var"]["mean"].get<double>();
    QVERIFY2(std::abs(ratio / c - 1) < 1e-4, qPrintable(QString("%1 vs %2").arg(ratio).arg(c)));
    QVERIFY(sOn["maps"]["seg_entropy"]["mean"].get<double>() != sOff["maps"]["seg_entropy"]["mean"].get<double>());
    // Another method has no fit in the file: nothing applied.
    QCOMPARE(cli({"infer", "-q", "-T", "2", "--method", "tta", "-m", model, "-o", dir.filePath("tta"), image}).exitCode, 0);
    QCOMPARE(readJson(dir.filePath("tta/B_000001_rgb/summary.json"))["calibration"]["applied"].get<bool>(), false);

    // Refusals: no truth to fit on; a damaged calibration file.
    QTemporaryDir bare;
    QVERIFY(QFile::copy(image, bare.filePath("x.png")));
    QVERIFY(QFile::copy(kSamples + "/domainB/B_000002_rgb.png", bare.filePath("y.png")));
    const Run noTruth = cli({"calibrate", "-q", "-m", model, "--data", bare.path()});
    QCOMPARE(noTruth.exitCode, 3);
    QVERIFY2(noTruth.err.contains("ground truth"), qPrintable(noTruth.err));
    {
        std::ofstream out(file.toStdString());
        out << "{broken";
    }
    const Run damaged = cli({"infer", "-q", "-m", model, "-o", dir.filePath("d"), image});
    QCOMPARE(damaged.exitCode, 4);
    QVERIFY2(damaged.err.contains("demo.calibration.json") && damaged.err.contains("--no-calibration"), qPrintable(damaged.err));
    QCOMPARE(cli({"infer", "-q", "--no-calibration", "-m", model, "-o", dir.filePath("d"), image}).exitCode, 0);
}

void TestCli::compareTabulatesTheMethods() {
    // The comparison command on the bundled samples: every method's row, uncalibrated and fitted
    // on domain A, with the documented numbers, as a Markdown table and as JSON.
    QTemporaryDir dir;
    const QString ensemble = dir.filePath("pair");
    QDir().mkpath(ensemble);
    for (const char* name : {"a.uvis", "b.uvis"})
        QVERIFY(QFile::copy(UVIS_RESOURCES "/models/uvis-street-demo.uvis", ensemble + "/" + name));
    const QString json = dir.filePath("compare.json");
    const Run r = cli({"compare", "-q", "--mc-samples", "2", "--tta-samples", "2", "--ensemble", ensemble,
                       "--ensemble-mc-samples", "1", "--fit", kSamples + "/domainA", "--json", json,
                       kSamples + "/domainA", kSamples + "/domainB"},
                      300000);
    QVERIFY2(r.exitCode == 0, qPrintable(r.err));
    for (const char* row : {"| MC dropout | 2 | no | A |", "| TTA | 2 | yes | B |", "| ensemble K = 2 | 2 | no | A |",
                            "| ensemble K = 2 + MC | 2 | yes | B |"})
        QVERIFY2(r.out.contains(row), qPrintable(r.out));
    const auto doc = readJson(json);
    QCOMPARE(doc["rows"].size(), size_t(8));  // 4 configurations × (uncalibrated, calibrated)
    for (const auto& row : doc["rows"]) {
        for (const char* domain : {"A", "B"}) {
            QCOMPARE(row[domain]["images"].get<int>(), 4);
            for (const char* key : {"ause_rmse", "depth_nll", "coverage95", "ece", "seg_nll", "seg_error_auroc"})
                QVERIFY2(std::isfinite(row[domain][key].get<double>()), key);
        }
        QCOMPARE(row["calibrated"].get<bool>(), !row["calibration"].is_null());
        QVERIFY(row["ood_auroc_mutual_info"].get<double>() >= 0.5);  // B is the stranger domain
    }
    QCOMPARE(doc["rows"][0]["method"].get<std::string>(), std::string("mc"));
    QCOMPARE(cli({"compare", "-q", "--ensemble", kSamples + "/domainA/A_000000_rgb.png", kSamples + "/domainA",
                  kSamples + "/domainB"}).exitCode, 4);  // not a model: refused by the check
}

// A folder or class name in another encoding than UTF-8 (bytes 0xFF 0xFE) once made every JSON
// writer throw. Each writer takes it — the calibration file, compare's table (written into such
// a folder from the command line), the ensemble card of ensemble training, a model card, the
// evaluation's metrics — and writes valid JSON with U+FFFD in its place.
void TestCli::namesThatAreNotUtf8NeverBreakAJsonFile() {
    QTemporaryDir dir;
    const std::string bad = dir.path().toStdString() + "/data\xff\xfe";
    QVERIFY(fs::create_directories(bad));
    CalibrationFile calibration;
    CalibrationRecord record;
    record.method = "mc";
    record.data = bad;
    calibration.methods["mc"] = record;
    const JsonRead written = parseJson(calibrationJson(calibration), "the calibration file");
    QVERIFY2(written.ok(), written.error.c_str());
    QCOMPARE(written.value["methods"]["mc"]["data"].get<std::string>(), dir.path().toStdString() + "/data\uFFFD\uFFFD");

    // QProcess's arguments are text: the shell makes the bytes (printf '\377\376').
    QProcess p;
    p.setWorkingDirectory(dir.path());
    p.start("/bin/sh", {"-c", "\"$0\" compare -q --mc-samples 2 --tta-samples 0 --ensemble-mc-samples 0 "
                              "--json \"data$(printf '\\377\\376')/compare.json\" \"$1\" \"$1\"",
                       UVIS_CLI, kSamples + "/domainA"});
    QVERIFY(p.waitForFinished(kHangMs));
    QVERIFY2(p.exitCode() == 0, p.readAllStandardError().constData());
    const JsonRead compared = readJsonFile(bad + "/compare.json");
    QVERIFY2(compared.ok(), compared.error.c_str());

    const std::string card = ensembleCardJson(bad + "/e.json", "ens\xff", {bad + "/m1.uvis", bad + "/m2.uvis"});
    QVERIFY(parseJson(card, "the ensemble card").ok());
    ModelCard model = *parseModelCard(modelCardToJson(*parseModelCard(
        R"({"name": "x", "tasks": ["depth"], "input": {"width": 8, "height": 8, "mean": [0,0,0], "std": [1,1,1]},
            "depth": {"min": 0.1, "max": 10}})", "x").card), "x").card;
    model.name = "name\xff";
    QVERIFY(parseJson(modelCardToJson(model), "the model card").ok());
    EvalMetrics metrics;
    metrics.classIoU = {0.5};
    QVERIFY(parseJson(metricsToJson(metrics, {"class\xfe"}), "the metrics").ok());
}

QTEST_MAIN(TestCli)
#include "tst_cli.moc"
