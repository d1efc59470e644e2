// The hostile corpus: about 700 broken or hostile inputs — images in five formats cut,
// flipped and forged; random files under image, video and model names; lying headers; the demo
// model and fixture models damaged; the sample video cut and flipped; ground truth of every wrong
// kind; odd arguments — regenerated on every run from the repository's own samples with a fixed
// seed (nothing of it is in git), and run through uvis-cli. What must hold for every input:
// no crash (a signal), no hang past the limit, no partial output left behind, and no silent
// success on garbage (an input that cannot be a picture, a model or a video is refused, naming it).
// UVIS_CORPUS_KEEP=DIR writes the corpus and the results there instead of a temporary folder.

#include <QtTest>

#include <nlohmann/json.hpp>
#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>

#include <fstream>
#include <random>

#include "core/io/npy.h"

namespace {

const QString kSamples = UVIS_RESOURCES "/samples";
const QString kModel = UVIS_RESOURCES "/models/uvis-street-demo.uvis";
const QString kModels = UVIS_TEST_DATA "/models";

enum class Expect { MustFail, MaySucceed, MustSucceed };

struct Case {
    QString path;
    Expect expect;
};

struct Run {
    int exitCode = -1;  // -1: killed by a signal, or still running at the limit
    bool timedOut = false;
    QString err;
};

QByteArray readAll(const QString& path) {
    QFile f(path);
    return f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray();
}

void write(const QString& path, const QByteArray& bytes) {
    QFile f(path);
    QVERIFY2(f.open(QIODevice::WriteOnly), qPrintable(path));
    f.write(bytes);
}

// A process still running after this long hangs. The limit only catches a hang (each of these runs
// takes a second or two on a quiet machine): it is generous enough for a machine whose cores are
// busy with other work, and nothing is asserted about how long a run takes.
constexpr int kHangMs = 600000;

// Runs uvis-cli with each argument list, two at a time (the machine has two cores).
std::vector<Run> runAll(const std::vector<QStringList>& commands, int timeoutMs = kHangMs, const QString& workDir = {}) {
    std::vector<Run> runs(commands.size());
    for (size_t i = 0; i < commands.size(); i += 2) {
        QProcess a, b;
        QProcess* ps[2] = {&a, &b};
        for (size_t k = 0; k < 2 && i + k < commands.size(); ++k) {
            if (!workDir.isEmpty()) ps[k]->setWorkingDirectory(workDir);
            ps[k]->start(UVIS_CLI, commands[i + k]);
        }
        for (size_t k = 0; k < 2 && i + k < commands.size(); ++k) {
            QProcess& p = *ps[k];
            Run& r = runs[i + k];
            r.timedOut = !p.waitForFinished(timeoutMs);
            if (r.timedOut) {
                p.kill();
                p.waitForFinished(5000);
            }
            r.exitCode = !r.timedOut && p.exitStatus() == QProcess::NormalExit ? p.exitCode() : -1;
            r.err = QString::fromUtf8(p.readAllStandardError());
        }
    }
    return runs;
}

// Hidden partial folders (".uvis-partial-…") anywhere under `dir`.
QStringList partialFolders(const QString& dir) {
    QStringList found;
    QDirIterator it(dir, QDir::Dirs | QDir::Hidden | QDir::NoDotAndDotDot, QDirIterator::Subdirectories);
    while (it.hasNext()) {
        const QString path = it.next();
        if (QFileInfo(path).fileName().startsWith(".uvis-partial")) found << path;
    }
    return found;
}

class Mutator {
public:
    explicit Mutator(std::uint32_t seed) : rng_(seed) {}
    QByteArray cut(const QByteArray& b, double fraction) const {
        return b.left(static_cast<int>(b.size() * fraction));
    }
    QByteArray flip(QByteArray b, int count) {
        std::uniform_int_distribution<int> at(0, b.size() - 1), bit(0, 7);
        for (int i = 0; i < count; ++i) b[at(rng_)] = static_cast<char>(b[at(rng_)] ^ (1 << bit(rng_)));
        return b;
    }
    QByteArray noise(int size) {
        QByteArray b(size, '\0');
        std::uniform_int_distribution<int> byte(0, 255);
        for (char& c : b) c = static_cast<char>(byte(rng_));
        return b;
    }
    QByteArray overwrite(QByteArray b, int from, const QByteArray& with) {
        for (int i = 0; i < with.size() && from + i < b.size(); ++i) b[from + i] = with[i];
        return b;
    }
    int below(int n) { return std::uniform_int_distribution<int>(0, n - 1)(rng_); }

private:
    std::mt19937 rng_;
};

// A PNG whose header says width × height, with a few bytes of data.
QByteArray lyingPng(quint32 width, quint32 height) {
    auto be = [](quint32 v) {
        QByteArray b(4, '\0');
        for (int i = 0; i < 4; ++i) b[i] = static_cast<char>(v >> (24 - 8 * i));
        return b;
    };
    auto chunk = [&](const QByteArray& kind, const QByteArray& data) {
        const QByteArray body = kind + data;
        quint32 crc = 0xFFFFFFFFu;  // the PNG CRC-32, as zlib computes it
        for (unsigned char c : body) {
            crc ^= c;
            for (int k = 0; k < 8; ++k) crc = (crc >> 1) ^ (0xEDB88320u & (0u - (crc & 1u)));
        }
        return be(static_cast<quint32>(data.size())) + body + be(crc ^ 0xFFFFFFFFu);
    };
    const QByteArray ihdr = be(width) + be(height) + QByteArray("\x08\x02\x00\x00\x00", 5);
    return QByteArray("\x89PNG\r\n\x1a\n", 8) + chunk("IHDR", ihdr) + chunk("IDAT", qCompress(QByteArray(12, '\0')).mid(4)) +
           chunk("IEND", {});
}

// One category's folder of generated inputs, numbered in the order they are made.
struct CorpusFolder {
    explicit CorpusFolder(QString path) : dir(std::move(path)) { QDir().mkpath(dir); }
    void add(const QString& ext, const QByteArray& bytes, Expect expect, const char* what) {
        const QString path = QString("%1/%2_%3.%4").arg(dir).arg(n++, 4, 10, QChar('0')).arg(what).arg(ext);
        write(path, bytes);
        cases.push_back({path, expect});
    }
    QString dir;
    std::vector<Case> cases;
    int n = 0;
};

}  // namespace

class TestHostileCorpus : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void images();
    void groundTruth();
    void models();
    void videos();
    void arguments();
    void cleanupTestCase();

private:
    QString root_;
    std::unique_ptr<QTemporaryDir> temp_;
    int total_ = 0;
    cv::Mat sample_;
    // Checks one batch run over many inputs: per input, refused (no result folder, named on
    // stderr) or analysed (a complete summary.json).
    void checkBatch(const std::vector<Case>& cases, const Run& run, const QString& out);
};

void TestHostileCorpus::initTestCase() {
    const QByteArray keep = qgetenv("UVIS_CORPUS_KEEP");
    if (keep.isEmpty()) {
        temp_ = std::make_unique<QTemporaryDir>();
        root_ = temp_->path();
    } else {
        root_ = QString::fromLocal8Bit(keep);
        QDir(root_).removeRecursively();
        QDir().mkpath(root_);
    }
    sample_ = cv::imread((kSamples + "/domainA/A_000000_rgb.png").toStdString());
    QVERIFY(!sample_.empty());
}

void TestHostileCorpus::checkBatch(const std::vector<Case>& cases, const Run& run, const QString& out) {
    QVERIFY2(!run.timedOut, "the batch hung");
    QVERIFY2(run.exitCode == 0 || run.exitCode == 3, qPrintable(QString("exit %1: %2").arg(run.exitCode).arg(run.err.right(2000))));
    QVERIFY2(partialFolders(out).isEmpty(), qPrintable(partialFolders(out).join(", ")));
    int refused = 0, analysed = 0;
    for (const Case& c : cases) {
        const QFileInfo info(c.path);
        const QString result = QDir(out).filePath(info.completeBaseName());
        const bool written = QFileInfo::exists(result + "/summary.json");
        if (written) {
            ++analysed;
            std::ifstream in((result + "/summary.json").toStdString());
            const nlohmann::json doc = nlohmann::json::parse(in, nullptr, false);
            QVERIFY2(!doc.is_discarded(), qPrintable(result));
        } else {
            ++refused;
            QVERIFY2(!QFileInfo::exists(result), qPrintable(result + ": a folder without summary.json"));
            // Named: the input, or the file beside it that holds the problem (its ground truth).
            QVERIFY2(run.err.contains(info.completeBaseName()), qPrintable(info.fileName() + ": refused without its name"));
        }
        if (c.expect == Expect::MustFail) QVERIFY2(!written, qPrintable(c.path + ": garbage analysed as a picture"));
        if (c.expect == Expect::MustSucceed) QVERIFY2(written, qPrintable(c.path + ": a valid input refused"));
    }
    qInfo("%d inputs: %d analysed, %d refused", static_cast<int>(cases.size()), analysed, refused);
    total_ += static_cast<int>(cases.size());
}

void TestHostileCorpus::images() {
    const QString dir = root_ + "/images", out = root_ + "/images-out";
    Mutator m(11);
    CorpusFolder folder(dir);
    std::vector<Case>& cases = folder.cases;
    for (const char* ext : {"png", "jpg", "bmp", "tiff", "webp"}) {
        std::vector<uchar> encoded;
        if (!cv::imencode(std::string(".") + ext, sample_, encoded)) continue;  // a codec this OpenCV lacks
        const QByteArray seed(reinterpret_cast<const char*>(encoded.data()), static_cast<int>(encoded.size()));
        folder.add(ext, seed, Expect::MustSucceed, "whole");
        for (int bytes : {0, 1, 8, 16, 33, 64}) folder.add(ext, seed.left(bytes), Expect::MustFail, "header-cut");
        for (double f : {0.07, 0.15, 0.3, 0.45, 0.6, 0.75, 0.9, 0.97, 0.99, 0.9999})
            folder.add(ext, m.cut(seed, f), Expect::MaySucceed, "cut");
        for (int k = 0; k < 60; ++k) folder.add(ext, m.flip(seed, 1 + k % 10), Expect::MaySucceed, "flip");
        folder.add(ext, m.overwrite(seed, 0, QByteArray(16, '\0')), Expect::MustFail, "zero-magic");
        folder.add(ext, m.overwrite(seed, 0, m.noise(32)), Expect::MustFail, "noise-magic");
        folder.add(ext, m.overwrite(seed, seed.size() / 3, QByteArray(seed.size() / 3, '\0')), Expect::MaySucceed, "zeroed");
        folder.add(ext, seed + m.noise(4096), Expect::MaySucceed, "trailing");
    }
    for (int k = 0; k < 90; ++k) {
        const char* exts[] = {"png", "jpg", "jpeg", "bmp", "tif", "webp"};
        folder.add(exts[k % 6], m.noise(k * k * 17 % 65536 + 1), Expect::MustFail, "noise");
    }
    for (const char* ext : {"png", "jpg", "bmp", "tiff", "webp"}) {
        folder.add(ext, QByteArray(), Expect::MustFail, "empty");
        folder.add(ext, "This is a text file with an image's name.\n", Expect::MustFail, "text");
    }
    for (auto [w, h] : std::vector<std::pair<quint32, quint32>>{{100000, 100000}, {1, 100000000}, {100000000, 1},
                                                                 {65535, 65535}, {2147483647, 2147483647},
                                                                 {0, 0}, {0, 100}, {4294967295u, 1}, {50000, 1001}})
        folder.add("png", lyingPng(w, h), Expect::MustFail, "lying");
    // Valid pictures of odd shapes and kinds: they must all be analysed.
    for (auto [w, h] : std::vector<std::pair<int, int>>{{1, 1}, {1, 700}, {700, 1}, {3, 3}, {500, 200}, {200, 500}}) {
        cv::Mat image;
        cv::resize(sample_, image, cv::Size(w, h), 0, 0, cv::INTER_AREA);
        std::vector<uchar> encoded;
        QVERIFY(cv::imencode(".png", image, encoded));
        folder.add("png", QByteArray(reinterpret_cast<const char*>(encoded.data()), static_cast<int>(encoded.size())),
            Expect::MustSucceed, "odd-size");
    }
    for (int kind : {0, 1, 2}) {  // grey, 16-bit, with alpha
        cv::Mat image;
        if (kind == 0) cv::cvtColor(sample_, image, cv::COLOR_BGR2GRAY);
        if (kind == 1) sample_.convertTo(image, CV_16UC3, 257);
        if (kind == 2) cv::cvtColor(sample_, image, cv::COLOR_BGR2BGRA);
        std::vector<uchar> encoded;
        QVERIFY(cv::imencode(".png", image, encoded));
        folder.add("png", QByteArray(reinterpret_cast<const char*>(encoded.data()), static_cast<int>(encoded.size())),
            Expect::MustSucceed, "kind");
    }
    const Run run = runAll({{"infer", "-q", "-T", "1", "--no-gt", "--trust-model", "-o", out, dir}}, 1800000).front();
    checkBatch(cases, run, out);
}

void TestHostileCorpus::groundTruth() {
    const QString dir = root_ + "/truth", out = root_ + "/truth-out";
    QDir().mkpath(dir);
    Mutator m(12);
    const QByteArray image = readAll(kSamples + "/domainA/A_000000_rgb.png");
    const QByteArray depth = readAll(kSamples + "/domainA/A_000000_depth.npy");
    const QByteArray labels = readAll(kSamples + "/domainA/A_000000_labels.png");
    QVERIFY(!image.isEmpty() && !depth.isEmpty() && !labels.isEmpty());
    std::vector<Case> cases;
    int n = 0;
    // One input per case: the image, and one damaged truth file beside it (the other one intact).
    auto add = [&](const QString& suffix, const QByteArray& bytes, Expect expect) {
        const QString stem = QString("%1/gt_%2").arg(dir).arg(n++, 3, 10, QChar('0'));
        write(stem + ".png", image);
        write(stem + suffix, bytes);
        cases.push_back({stem + ".png", expect});
    };
    auto npy = [](int w, int h, float value) {
        const uvis::FloatMap map{w, h, std::vector<float>(static_cast<size_t>(w) * h, value)};
        QTemporaryDir t;
        const QString path = t.filePath("x.npy");
        if (!uvis::writeNpy(path.toStdString(), map).empty()) return QByteArray();
        return readAll(path);
    };
    for (auto [w, h] : std::vector<std::pair<int, int>>{{1, 1}, {255, 192}, {256, 191}, {192, 256}, {512, 385}, {128, 95}})
        add("_depth.npy", npy(w, h, 10.f), Expect::MustFail);
    add("_depth.npy", npy(256, 192, std::nanf("")), Expect::MaySucceed);  // no valid pixel: no depth metrics
    add("_depth.npy", npy(256, 192, -5.f), Expect::MaySucceed);
    add("_depth.npy", npy(256, 192, INFINITY), Expect::MaySucceed);
    for (double f : {0.0, 0.01, 0.05, 0.1, 0.3, 0.5, 0.8, 0.99}) add("_depth.npy", m.cut(depth, f), Expect::MustFail);
    for (int k = 0; k < 16; ++k) add("_depth.npy", m.overwrite(depth, k * 8, m.noise(8)), Expect::MaySucceed);
    for (const char* descr : {"<f8", "<i1", "|b1", "<c8", ">f4", "<U4", "|O"}) {
        QByteArray forged = depth;
        const int at = forged.indexOf("'descr': '") + 10;
        add("_depth.npy", m.overwrite(forged, at, QByteArray(descr).leftJustified(3, ' ')), Expect::MaySucceed);
    }
    for (const char* shape : {"(256, 192, 3)", "(100000, 100000)", "(0, 0)", "(-1, 192)", "()", "(192,)", "(256 192)"}) {
        QByteArray forged = depth;
        const int from = forged.indexOf("'shape': (") + 9, to = forged.indexOf(')', from) + 1;
        forged.replace(from, to - from, shape);
        add("_depth.npy", forged, Expect::MustFail);
    }
    add("_depth.npy", QByteArray(), Expect::MustFail);
    add("_depth.npy", m.noise(4000), Expect::MustFail);
    add("_depth.png", labels, Expect::MustFail);  // 8-bit: not millimetres
    add("_depth.exr", m.noise(3000), Expect::MustFail);
    for (double f : {0.0, 0.1, 0.5, 0.9}) add("_labels.png", m.cut(labels, f), Expect::MustFail);
    for (int k = 0; k < 8; ++k) add("_labels.png", m.flip(labels, 1 + k), Expect::MaySucceed);
    add("_labels.png", lyingPng(256, 192), Expect::MaySucceed);
    add("_labels.png", image, Expect::MustFail);  // a photo: no class colours
    add("_labels.npy", npy(256, 192, 1.f), Expect::MustFail);  // float, not uint8
    add("_labels.png", m.noise(2000), Expect::MustFail);
    cv::Mat wide(192, 300, CV_8UC1, cv::Scalar(1));
    std::vector<uchar> encoded;
    QVERIFY(cv::imencode(".png", wide, encoded));
    add("_labels.png", QByteArray(reinterpret_cast<const char*>(encoded.data()), static_cast<int>(encoded.size())),
        Expect::MustFail);
    const Run run = runAll({{"infer", "-q", "-T", "1", "--trust-model", "-o", out, dir}}, 1800000).front();
    checkBatch(cases, run, out);
}

void TestHostileCorpus::models() {
    const QString dir = root_ + "/models";
    Mutator m(13);
    CorpusFolder folder(dir);
    std::vector<Case>& cases = folder.cases;
    const QByteArray demo = readAll(kModel);
    QVERIFY(!demo.isEmpty());
    for (int k = 0; k < 50; ++k) folder.add("uvis", m.flip(demo, 10), Expect::MustFail, "demo-flip");  // sealed weights
    for (double f : {0.0, 0.001, 0.01, 0.1, 0.3, 0.5, 0.7, 0.9, 0.99, 0.9999})
        folder.add("uvis", m.cut(demo, f), Expect::MustFail, "demo-cut");
    for (int k = 0; k < 10; ++k) {
        const char* exts[] = {"pt", "uvis", "pth", "ts", "zip"};
        folder.add(exts[k % 5], m.noise(1 + k * 997), Expect::MustFail, "noise");
    }
    const QStringList bad{"card_missing_field", "card_nested", "card_overflow", "corrupt_code", "corrupt_pickle",
                          "depth_logvar_89", "hang", "missing_output", "nan_output", "negative_depth", "not_a_model",
                          "seg_logvar_1000", "wrong_shape"};
    for (const QString& name : QDir(kModels).entryList({"*.pt"})) {
        const QString stem = QFileInfo(name).completeBaseName();
        const QByteArray bytes = readAll(kModels + "/" + name);
        folder.add("pt", bytes, bad.contains(stem) ? Expect::MustFail : Expect::MaySucceed, qPrintable(stem));
        if (!bad.contains(stem))  // TorchScript archives have no seal: flips may load (never crash)
            for (int k = 0; k < 2; ++k) folder.add("pt", m.flip(bytes, 3), Expect::MaySucceed, "fixture-flip");
    }
    std::vector<QStringList> commands;
    for (const Case& c : cases) commands.push_back({"validate-model", "--timeout", "5", c.path});
    const std::vector<Run> runs = runAll(commands);
    int refused = 0;
    for (size_t i = 0; i < cases.size(); ++i) {
        const Run& r = runs[i];
        const QString name = QFileInfo(cases[i].path).fileName();
        QVERIFY2(!r.timedOut, qPrintable(name + ": hung"));
        QVERIFY2(r.exitCode == 0 || r.exitCode == 4, qPrintable(name + QString(": exit %1 ").arg(r.exitCode) + r.err));
        if (r.exitCode == 4) {
            ++refused;
            QVERIFY2(r.err.contains(name), qPrintable(name + ": refused without its name: " + r.err));
        }
        if (cases[i].expect == Expect::MustFail) QVERIFY2(r.exitCode == 4, qPrintable(name + ": a bad model passed"));
    }
    // A few damaged models through infer too: exit 4 naming the model, no output at all.
    const QString out = root_ + "/models-out";
    const QString image = kSamples + "/domainA/A_000000_rgb.png";
    std::vector<QStringList> infer;
    for (size_t i = 0; i < 6; ++i) infer.push_back({"infer", "-q", "-T", "1", "--timeout", "5", "-m", cases[i].path, "-o", out, image});
    for (const Run& r : runAll(infer)) QVERIFY2(r.exitCode == 4, qPrintable(r.err));
    QVERIFY(!QFileInfo::exists(out) || QDir(out).entryList(QDir::AllEntries | QDir::NoDotAndDotDot | QDir::Hidden).isEmpty());
    qInfo("%d models: %d refused", static_cast<int>(cases.size()), refused);
    total_ += static_cast<int>(cases.size());
}

void TestHostileCorpus::videos() {
    const QString dir = root_ + "/videos", out = root_ + "/videos-out";
    Mutator m(14);
    const QByteArray video = readAll(kSamples + "/video/sequence.avi");
    QVERIFY(!video.isEmpty());
    CorpusFolder folder(dir);
    std::vector<Case>& cases = folder.cases;
    for (double f : {0.0, 0.0001, 0.001, 0.01, 0.05, 0.1, 0.2, 0.35, 0.5, 0.65, 0.8, 0.9, 0.95, 0.99, 0.9999})
        folder.add("avi", m.cut(video, f), f < 0.01 ? Expect::MustFail : Expect::MaySucceed, "cut");
    for (int k = 0; k < 30; ++k) folder.add("avi", m.flip(video, 1 + k % 15), Expect::MaySucceed, "flip");
    folder.add("avi", readAll(kSamples + "/domainA/A_000000_rgb.png"), Expect::MustFail, "png-named-avi");
    for (const char* ext : {"avi", "mp4", "mkv", "mov", "webm"}) folder.add(ext, m.noise(50000), Expect::MustFail, "noise");
    folder.add("mp4", "not a video\n", Expect::MustFail, "text");
    std::vector<QStringList> commands;
    for (size_t i = 0; i < cases.size(); ++i)
        commands.push_back({"infer", "-q", "-T", "1", "--every", "40", "--trust-model", "-o",
                            out + QString("/%1").arg(i), cases[i].path});
    const std::vector<Run> runs = runAll(commands);
    int refused = 0;
    for (size_t i = 0; i < cases.size(); ++i) {
        const Run& r = runs[i];
        const QString name = QFileInfo(cases[i].path).fileName();
        const QString result = out + QString("/%1/").arg(i) + QFileInfo(cases[i].path).completeBaseName();
        QVERIFY2(!r.timedOut, qPrintable(name + ": hung"));
        QVERIFY2(r.exitCode == 0 || r.exitCode == 3, qPrintable(name + QString(": exit %1 ").arg(r.exitCode) + r.err));
        QVERIFY2(partialFolders(out + QString("/%1").arg(i)).isEmpty(), qPrintable(name));
        if (r.exitCode == 3) {
            ++refused;
            QVERIFY2(r.err.contains(name), qPrintable(name + ": refused without its name: " + r.err));
        }
        if (QFileInfo::exists(result)) {  // kept: a summary that says whether it is complete
            std::ifstream in((result + "/summary.json").toStdString());
            const nlohmann::json doc = nlohmann::json::parse(in, nullptr, false);
            QVERIFY2(!doc.is_discarded() && doc.contains("complete"), qPrintable(name));
            QVERIFY2(doc.value("frames_analysed", 0) > 0, qPrintable(name + ": a result with no frame"));
            if (r.exitCode == 3) QVERIFY2(!doc["complete"].get<bool>(), qPrintable(name));
        }
        if (cases[i].expect == Expect::MustFail) QVERIFY2(r.exitCode == 3 && !QFileInfo::exists(result), qPrintable(name));
    }
    qInfo("%d videos: %d refused", static_cast<int>(cases.size()), refused);
    total_ += static_cast<int>(cases.size());
}

void TestHostileCorpus::arguments() {
    const QString work = root_ + "/arguments";
    QDir().mkpath(work);
    const QString image = kSamples + "/domainA/A_000000_rgb.png";
    const std::vector<QStringList> odd{
        {"infer", "-T", "0", image},           {"infer", "-T", "99999", image},
        {"infer", "-T", "-3", image},          {"infer", "-T", "abc", image},
        {"infer", "-p", "1", image},           {"infer", "-p", "-0.5", image},
        {"infer", "-p", "nan", image},         {"infer", "-p", "inf", image},
        {"infer", "--size", "1x1", image},     {"infer", "--size", "abc", image},
        {"infer", "--size", "0x0", image},     {"infer", "--size", "99999x99999", image},
        {"infer", "--size", "-8x-8", image},   {"infer", "--frames", "x", image},
        {"infer", "--frames", "9:3", image},   {"infer", "--every", "0", image},
        {"infer", "--bogus", image},
        {"infer", "-o", "", image},            {"infer"},
        {"infer", "--max-pixels", "0", image}, {"infer", "--timeout", "0", image},
        {"infer", "--device", "tpu", image},   {"infer", "-m", "", image},
        {"infer", "-m", "/nonexistent.uvis", image}, {"infer", "/nonexistent.png"},
        {"infer", "--gt-depth", image, image, image}, {"infer", "/dev/zero"},
        {"infer", "/dev/null"},                {"validate-model"},
        {"validate-model", "/dev/zero"},       {"info", "--timeout", "-1", kModel},
        {"bogus-command"},                     {"--threads", "-1", "info"},
        {"infer", "--input-timeout", "-5", image}, {QString(5000, 'x')},
        {"infer", "--seed", "-1", image},      {"infer", "--seed", "18446744073709551616", image},
        {"infer", "-p", "0.2x", image},        {"infer", "--every", "-3", image},
        {"infer", "--size", "640x", image},    {"infer", "--size", "16385x100", image},
        {"infer", "--strict", "--frames", ":", "/nonexistent.avi"},
    };
    const std::vector<Run> runs = runAll(odd, kHangMs, work);
    for (size_t i = 0; i < odd.size(); ++i) {
        const QString args = odd[i].join(' ').left(80);
        QVERIFY2(!runs[i].timedOut, qPrintable(args + ": hung"));
        QVERIFY2(runs[i].exitCode >= 1 && runs[i].exitCode <= 4,
                 qPrintable(args + QString(": exit %1 ").arg(runs[i].exitCode) + runs[i].err));
        QVERIFY2(!runs[i].err.trimmed().isEmpty(), qPrintable(args + ": refused without a word"));
    }
    // Nothing was written where the programs ran (-o "" was refused, not taken as ".").
    QVERIFY2(QDir(work).entryList(QDir::AllEntries | QDir::NoDotAndDotDot | QDir::Hidden).isEmpty(),
             qPrintable(QDir(work).entryList(QDir::AllEntries | QDir::NoDotAndDotDot | QDir::Hidden).join(", ")));
    total_ += static_cast<int>(odd.size());
}

void TestHostileCorpus::cleanupTestCase() {
    qInfo("hostile corpus: %d inputs", total_);
    QVERIFY2(total_ >= 690, "the corpus has about 690 inputs");
}

QTEST_MAIN(TestHostileCorpus)
#include "tst_hostile_corpus.moc"
