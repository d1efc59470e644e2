// .npy maps (SPEC §5) and atomic writes: exact bytes, round trips and clear errors.

#include <QtTest>

#include <fstream>

#include "core/io/atomic_file.h"
#include "core/io/image_io.h"
#include "core/io/npy.h"

using namespace uvis;

class TestNpy : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void headerIsNumpyFormat();
    void roundTrips();
    void errorsNameTheFile_data();
    void errorsNameTheFile();
    void atomicWriteRefusesToOverwriteWhenAsked();
    void corruptImagesAreReported();
};

void TestNpy::headerIsNumpyFormat() {
    const std::string bytes = npyBytes(FloatMap{3, 2, {1, 2, 3, 4, 5, 6}});
    QCOMPARE(bytes.substr(0, 8), std::string("\x93NUMPY\x01\x00", 8));
    const size_t headerLength = static_cast<unsigned char>(bytes[8]) | (static_cast<unsigned char>(bytes[9]) << 8);
    QCOMPARE((10 + headerLength) % 64, size_t(0));  // data aligned as numpy writes it
    const std::string dict = bytes.substr(10, headerLength);
    QVERIFY(dict.find("'descr': '<f4'") != std::string::npos);
    QVERIFY(dict.find("'fortran_order': False") != std::string::npos);
    QVERIFY(dict.find("'shape': (2, 3)") != std::string::npos);
    QCOMPARE(dict.back(), '\n');
    QCOMPARE(bytes.size(), 10 + headerLength + 6 * 4);
    QVERIFY(npyBytes(ClassMap{1, 1, {7}}).find("'descr': '|u1'") != std::string::npos);
}

void TestNpy::roundTrips() {
    QTemporaryDir dir;
    const FloatMap f{4, 3, {0.f, 1.5f, -2.f, 1e6f, 3.25f, 0.001f, 7, 8, 9, 10, 11, 12}};
    const std::string fp = dir.filePath("f.npy").toStdString();
    QCOMPARE(writeNpy(fp, f), std::string());
    NpyFloatResult rf = readNpyFloat(fp);
    QVERIFY2(rf.error.empty(), rf.error.c_str());
    QCOMPARE(rf.map.width, 4);
    QCOMPARE(rf.map.height, 3);
    QCOMPARE(rf.map.values, f.values);
    const ClassMap c{2, 2, {0, 1, 7, 255}};
    const std::string cp = dir.filePath("c.npy").toStdString();
    QCOMPARE(writeNpy(cp, c), std::string());
    NpyClassResult rc = readNpyClasses(cp);
    QVERIFY2(rc.error.empty(), rc.error.c_str());
    QCOMPARE(rc.map.values, c.values);
}

void TestNpy::errorsNameTheFile_data() {
    QTest::addColumn<QByteArray>("content");
    QTest::addColumn<QString>("words");
    const std::string good = npyBytes(FloatMap{2, 2, {1, 2, 3, 4}});
    QTest::newRow("text") << QByteArray("hello world, not numpy") << "not a NumPy .npy file";
    QTest::newRow("truncated data") << QByteArray::fromStdString(good.substr(0, good.size() - 3)) << "truncated";
    QTest::newRow("truncated header") << QByteArray::fromStdString(good.substr(0, 30)) << "truncated .npy header";
    std::string threeD = good;
    threeD.replace(threeD.find("(2, 2)"), 6, "(2,2,1)");
    QTest::newRow("3-D") << QByteArray::fromStdString(threeD) << "2-D array";
    std::string ints = good;
    ints.replace(ints.find("<f4"), 3, "<i8");
    QTest::newRow("int64") << QByteArray::fromStdString(ints) << "is not float32";
}

void TestNpy::errorsNameTheFile() {
    QFETCH(QByteArray, content);
    QFETCH(QString, words);
    QTemporaryDir dir;
    const std::string path = dir.filePath("bad.npy").toStdString();
    std::ofstream(path, std::ios::binary).write(content.data(), content.size());
    NpyFloatResult r = readNpyFloat(path);
    QVERIFY(!r.error.empty());
    QVERIFY2(QString::fromStdString(r.error).contains(QString::fromStdString(path)), r.error.c_str());
    QVERIFY2(QString::fromStdString(r.error).contains(words), r.error.c_str());
    QVERIFY(!readNpyFloat(dir.filePath("absent.npy").toStdString()).error.empty());
}

void TestNpy::atomicWriteRefusesToOverwriteWhenAsked() {
    QTemporaryDir dir;
    const std::string path = dir.filePath("x.txt").toStdString();
    QCOMPARE(writeFileAtomically(path, "first"), std::string());
    QVERIFY(!writeFileAtomically(path, "second", /*overwrite=*/false).empty());
    std::ifstream in(path);
    std::string text;
    in >> text;
    QCOMPARE(text, std::string("first"));
    QCOMPARE(QDir(dir.path()).entryList(QDir::Files).size(), 1);  // no temporary left behind
    QVERIFY(!writeFileAtomically(dir.filePath("no/such/dir/x").toStdString(), "y").empty());
}

void TestNpy::corruptImagesAreReported() {
    QTemporaryDir dir;
    const std::string path = dir.filePath("corrupt.png").toStdString();
    std::ofstream(path, std::ios::binary) << "\x89PNG\r\n\x1a\n garbage";
    RgbImageResult r = readRgbImage(path);
    QVERIFY(!r.error.empty());
    QVERIFY2(QString::fromStdString(r.error).contains("corrupt.png"), r.error.c_str());
    QVERIFY(QString::fromStdString(readRgbImage(dir.filePath("none.png").toStdString()).error).contains("no such file"));
}

QTEST_MAIN(TestNpy)
#include "tst_npy.moc"
