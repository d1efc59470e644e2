// The uncertainty methods of SPEC §2 as samplers of one engine: deep ensembles (one pass per
// member), ensembles with MC dropout inside (T passes per member, each member weighted alike),
// test-time augmentation (each pass mapped back to the image) — against fixtures whose
// statistics are known, and the ensemble files (folder, card, streamed members).

#include <QtTest>

#include <cmath>
#include <filesystem>
#include <fstream>

#include "core/model/ensemble_card.h"
#include "core/engine/uncertainty_engine.h"
#include "core/model/model_loader.h"
#include "core/engine/preprocess.h"
#include "test_models.h"

using namespace uvis;
namespace fs = std::filesystem;

namespace {

constexpr int kW = 16, kH = 12;

SamplingSettings methodSettings(UncertaintyMethod method, int samples, double p, std::uint64_t seed = 1, int chunk = 0) {
    SamplingSettings s;
    s.method = method;
    s.samples = samples;
    s.dropout = p;
    s.seed = seed;
    s.chunkSize = chunk;
    return s;
}

std::shared_ptr<Model> constantMember(float depth, float logVar, std::vector<float> logits) {
    test::ConstantOutputs o;
    o.depthMean = depth;
    o.depthLogVar = logVar;
    o.logits = std::move(logits);
    o.logitLogVar = 0.f;
    return test::makeConstantModel(kW, kH, o);
}

std::vector<double> softmax(const std::vector<float>& f) {
    double z = 0, mx = *std::max_element(f.begin(), f.end());
    std::vector<double> p;
    for (float v : f) z += std::exp(v - mx);
    for (float v : f) p.push_back(std::exp(v - mx) / z);
    return p;
}

double entropyOf(const std::vector<double>& p) {
    double h = 0;
    for (double v : p)
        if (v > 0) h -= v * std::log(v);
    return h;
}

double maxAbsDifference(const FloatMap& a, const FloatMap& b) {
    double worst = 0;
    for (size_t i = 0; i < a.values.size(); ++i) worst = std::max(worst, double(std::abs(a.values[i] - b.values[i])));
    return worst;
}

// A horizontal edge: the left half black, the right half white (normalised by the echo model's
// mean 0.5, std 0.5 to −1 and +1).
ImageTensor edgeImage(int w, int h) {
    ImageTensor image = test::blankImage(w, h);
    for (int c = 0; c < 3; ++c)
        for (int y = 0; y < h; ++y)
            for (int x = 0; x < w; ++x) image.values[(static_cast<size_t>(c) * h + y) * w + x] = x < w / 2 ? -1.f : 1.f;
    return image;
}

// Three saved native members (random weights, seeds 1–3) in `dir`.
std::vector<std::string> saveMembers(const QString& dir) {
    std::vector<std::string> paths;
    for (int k = 1; k <= 3; ++k) {
        auto model = createRandomNativeModel(8, 3, 64, 48, static_cast<std::uint64_t>(k));
        const std::string path = dir.toStdString() + "/member" + std::to_string(k) + ".uvis";
        if (!saveModel(*model, path).empty()) return {};
        paths.push_back(path);
    }
    return paths;
}

}  // namespace

class TestMethods : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void theBundledEnsembleIsTheDemoModelAndTwoMore();
    void methodNamesRoundTrip();
    void ensembleGivesTheMembersStatistics();
    void ensembleMcRunsTPassesPerMemberWithMcSamples();
    void ensembleChunkingDoesNotChangeTheMaps();
    void ensembleMethodsNeedAnEnsemble();
    void ensembleMembersMustShareTheContract();
    void ensembleFolderCardAndStreamedMembersAgree();
    void badEnsembleFilesAreNamed();
    void ttaMapsEveryPassBackToTheImage_data();
    void ttaMapsEveryPassBackToTheImage();
    void ttaIsReproducibleAndSpreadsWithJitter();
};

void TestMethods::methodNamesRoundTrip() {
    for (auto m : {UncertaintyMethod::McDropout, UncertaintyMethod::Ensemble, UncertaintyMethod::EnsembleMc,
                   UncertaintyMethod::Tta}) {
        UncertaintyMethod back{};
        QVERIFY(parseMethod(methodName(m), &back));
        QCOMPARE(int(back), int(m));
    }
    UncertaintyMethod unused{};
    QVERIFY(!parseMethod("bayes", &unused));
    QCOMPARE(methodNames(), std::string("mc, ensemble, ensemble-mc or tta"));
    QCOMPARE(defaultDropout(UncertaintyMethod::Tta, 0.2), 0.0);
    QCOMPARE(defaultDropout(UncertaintyMethod::EnsembleMc, 0.2), 0.2);
    SamplingSettings s = methodSettings(UncertaintyMethod::EnsembleMc, 8, 0.2);
    QCOMPARE(totalPasses(s, 3), 24);
    s.method = UncertaintyMethod::Ensemble;
    QCOMPARE(totalPasses(s, 3), 3);
}

void TestMethods::ensembleGivesTheMembersStatistics() {
    // Members 4, 5 and 9 m with log variances −1, 0, 1: μ̄ = 6, E = ((−2)² + (−1)² + 3²)/3 = 14/3,
    // A = (e⁻¹ + 1 + e)/3; p̄ the mean of the members' softmaxes, MI = H[p̄] − mean H[p_k].
    const std::vector<std::vector<float>> logits{{2.f, 0.f, -1.f}, {0.f, 2.f, 0.f}, {1.f, 1.f, 1.f}};
    LoadedModel e = makeEnsemble({constantMember(4.f, -1.f, logits[0]), constantMember(5.f, 0.f, logits[1]),
                                  constantMember(9.f, 1.f, logits[2])},
                                 "three");
    QVERIFY2(e, e.error.c_str());
    QCOMPARE(ensembleSize(*e.model), 3);
    UncertaintyEngine engine(e.model);
    const SamplingResult r = engine.run(test::blankImage(kW, kH), methodSettings(UncertaintyMethod::Ensemble, 16, 0.0));
    QVERIFY2(r.ok(), r.error.c_str());
    QCOMPARE(r.maps.samplesDone, 3);  // T = K, whatever T asked
    QCOMPARE(r.maps.samplesRequested, 3);
    std::vector<double> pMean(3, 0);
    double expected = 0;
    for (const auto& f : logits) {
        const auto p = softmax(f);
        for (int k = 0; k < 3; ++k) pMean[k] += p[k] / 3;
        expected += entropyOf(p) / 3;
    }
    const double mi = entropyOf(pMean) - expected;
    for (int i = 0; i < kW * kH; ++i) {
        QVERIFY(std::abs(r.maps.depthMean.values[i] - 6.0) < 1e-5);
        QVERIFY(std::abs(r.maps.depthEpistemicVar.values[i] - 14.0 / 3) < 1e-5);
        QVERIFY(std::abs(r.maps.depthAleatoricVar.values[i] - (std::exp(-1.0) + 1 + std::exp(1.0)) / 3) < 1e-5);
        QVERIFY(std::abs(r.maps.segMutualInfo.values[i] - mi) < 1e-5);
        QVERIFY(std::abs(r.maps.segEntropy.values[i] - entropyOf(pMean)) < 1e-5);
    }
}

void TestMethods::ensembleMcRunsTPassesPerMemberWithMcSamples() {
    // T = 12 dropout passes per member; member 1's passes are exactly what `mc` draws from that
    // model with the same seed (so a one-member view of the ensemble is MC dropout).
    auto rec1 = std::make_shared<test::Recording>(), rec2 = std::make_shared<test::Recording>();
    auto m1 = test::makeRecordingModel(test::makeDropoutConstantModel(kW, kH, 2.f, {1.f, 0.f}), rec1);
    auto m2 = test::makeRecordingModel(test::makeDropoutConstantModel(kW, kH, 6.f, {0.f, 1.f}), rec2);
    LoadedModel e = makeEnsemble({m1, m2}, "pair");
    QVERIFY2(e, e.error.c_str());
    const SamplingResult r = UncertaintyEngine(e.model).run(test::blankImage(kW, kH), methodSettings(UncertaintyMethod::EnsembleMc, 12, 0.3, 5));
    QVERIFY2(r.ok(), r.error.c_str());
    QCOMPARE(r.maps.samplesDone, 24);
    QCOMPARE(int(rec1->depthMean.size()), 12);
    QCOMPARE(int(rec2->depthMean.size()), 12);
    // The predictive mean is the mean over all 24 recorded passes: both members weigh alike.
    for (int pixel : {0, 50, 191}) {
        double sum = 0;
        for (const auto* rec : {rec1.get(), rec2.get()})
            for (const auto& pass : rec->depthMean) sum += pass[pixel];
        QVERIFY(std::abs(r.maps.depthMean.values[pixel] - sum / 24) < 1e-5);
    }
    auto alone = std::make_shared<test::Recording>();
    UncertaintyEngine single(test::makeRecordingModel(test::makeDropoutConstantModel(kW, kH, 2.f, {1.f, 0.f}), alone));
    QVERIFY(single.run(test::blankImage(kW, kH), methodSettings(UncertaintyMethod::McDropout, 12, 0.3, 5)).ok());
    QCOMPARE(alone->depthMean, rec1->depthMean);
}

void TestMethods::ensembleChunkingDoesNotChangeTheMaps() {
    LoadedModel e = makeEnsemble({test::makeNoisyModel(kW, kH, 4), test::makeNoisyModel(kW, kH, 4)}, "pair");
    QVERIFY2(e, e.error.c_str());
    UncertaintyEngine engine(e.model);
    const SamplingResult one = engine.run(test::blankImage(kW, kH), methodSettings(UncertaintyMethod::EnsembleMc, 10, 0.2, 3, 1));
    const SamplingResult seven = engine.run(test::blankImage(kW, kH), methodSettings(UncertaintyMethod::EnsembleMc, 10, 0.2, 3, 7));
    QVERIFY(one.ok() && seven.ok());
    QVERIFY(maxAbsDifference(one.maps.depthEpistemicVar, seven.maps.depthEpistemicVar) < 1e-6);
    QVERIFY(maxAbsDifference(one.maps.segMutualInfo, seven.maps.segMutualInfo) < 1e-6);
    const SamplingResult other = engine.run(test::blankImage(kW, kH), methodSettings(UncertaintyMethod::EnsembleMc, 10, 0.2, 4, 7));
    QVERIFY(maxAbsDifference(one.maps.depthEpistemicVar, other.maps.depthEpistemicVar) > 1e-6);  // the seed counts
}

void TestMethods::ensembleMethodsNeedAnEnsemble() {
    UncertaintyEngine engine(test::makeNoisyModel(kW, kH, 3));
    for (auto m : {UncertaintyMethod::Ensemble, UncertaintyMethod::EnsembleMc}) {
        const SamplingResult r = engine.run(test::blankImage(kW, kH), methodSettings(m, 4, 0.0));
        QVERIFY(!r.ok());
        QVERIFY2(r.error.find("needs a deep ensemble") != std::string::npos, r.error.c_str());
        QVERIFY(r.maps.depthMean.empty());
    }
    // `mc` on an ensemble is MC dropout with its first member.
    LoadedModel e = makeEnsemble({test::makeNoisyModel(kW, kH, 3), test::makeNoisyModel(kW, kH, 3)}, "two");
    const SamplingResult r = UncertaintyEngine(e.model).run(test::blankImage(kW, kH), methodSettings(UncertaintyMethod::McDropout, 4, 0.2));
    QVERIFY2(r.ok(), r.error.c_str());
    QCOMPARE(r.maps.samplesDone, 4);
}

void TestMethods::ensembleMembersMustShareTheContract() {
    LoadedModel e = makeEnsemble({test::makeNoisyModel(kW, kH, 3), test::makeNoisyModel(kW, kH, 4)}, "odd");
    QVERIFY(!e);
    QVERIFY2(e.error.find("4 classes") != std::string::npos, e.error.c_str());
    LoadedModel sizes = makeEnsemble({test::makeNoisyModel(kW, kH, 3), test::makeNoisyModel(kW * 2, kH, 3)}, "sizes");
    QVERIFY(!sizes);
    QVERIFY2(sizes.error.find("input") != std::string::npos, sizes.error.c_str());
    QVERIFY(!makeEnsemble({test::makeNoisyModel(kW, kH, 3)}, "one"));
}

void TestMethods::ensembleFolderCardAndStreamedMembersAgree() {
    QTemporaryDir dir;
    const auto members = saveMembers(dir.path());
    QCOMPARE(int(members.size()), 3);
    const std::string card = dir.filePath("street.ensemble.json").toStdString();
    {
        std::ofstream out(card);
        out << ensembleCardJson(card, "street ensemble", members);
    }
    QVERIFY(isEnsemblePath(card) && isEnsemblePath(dir.path().toStdString()));
    QVERIFY(!isEnsemblePath(members[0]));
    const EnsembleListing listing = listEnsemble(card);
    QCOMPARE(listing.name, std::string("street ensemble"));
    QCOMPARE(listing.members, members);

    LoadedModel resident = loadModel(card);
    LoadedModel streamed = loadModel(card, DeviceKind::Cpu, 0);  // no budget: every member streamed
    LoadedModel folder = loadModel(dir.path().toStdString());
    QVERIFY2(resident && streamed && folder, (resident.error + streamed.error + folder.error).c_str());
    QCOMPARE(ensembleSize(*resident.model), 3);
    QCOMPARE(residentMembers(*resident.model), 3);
    QCOMPARE(residentMembers(*streamed.model), 0);
    QCOMPARE(modelCard(*resident.model).name, std::string("street ensemble"));
    const SamplingSettings s = methodSettings(UncertaintyMethod::EnsembleMc, 4, 0.3, 9);
    const ImageTensor image = test::blankImage(64, 48);
    const SamplingResult a = UncertaintyEngine(resident.model).run(image, s);
    const SamplingResult b = UncertaintyEngine(streamed.model).run(image, s);
    const SamplingResult c = UncertaintyEngine(folder.model).run(image, s);
    QVERIFY2(a.ok() && b.ok() && c.ok(), (a.error + b.error + c.error).c_str());
    QCOMPARE(a.maps.samplesDone, 12);
    // The same samples in another order: equal up to the rounding of the running means.
    QVERIFY(maxAbsDifference(a.maps.depthEpistemicVar, b.maps.depthEpistemicVar) < 1e-5);
    QVERIFY(maxAbsDifference(a.maps.segMutualInfo, b.maps.segMutualInfo) < 1e-5);
    QVERIFY(maxAbsDifference(a.maps.depthMean, c.maps.depthMean) < 1e-5);
    QVERIFY(a.maps.segMutualInfo.values[0] > 0.f);  // the members disagree
}

void TestMethods::badEnsembleFilesAreNamed() {
    QTemporaryDir dir;
    const auto members = saveMembers(dir.path());
    auto write = [&](const char* name, const std::string& text) {
        const std::string path = dir.filePath(name).toStdString();
        std::ofstream(path) << text;
        return path;
    };
    const std::string missing = write("missing.json", R"({"uvis_ensemble": 1, "members": ["member1.uvis", "gone.uvis"]})");
    LoadedModel m = loadModel(missing);
    QVERIFY(!m);
    QVERIFY2(m.error.find("member 2 of 2") != std::string::npos && m.error.find("gone.uvis") != std::string::npos,
             m.error.c_str());
    LoadedModel one = loadModel(write("one.json", R"({"uvis_ensemble": 1, "members": ["member1.uvis"]})"));
    QVERIFY2(!one && one.error.find("2 to 64") != std::string::npos, one.error.c_str());
    std::string many = R"({"uvis_ensemble": 1, "members": [)";
    for (int i = 0; i < 10000; ++i) many += std::string(i ? "," : "") + "\"member1.uvis\"";
    LoadedModel bomb = loadModel(write("bomb.json", many + "]}"));
    // Refused from the card's member count, before any member is loaded.
    QVERIFY2(!bomb && bomb.error.find("2 to 64") != std::string::npos, bomb.error.c_str());
    LoadedModel self = loadModel(write("self.json", R"({"uvis_ensemble": 1, "members": ["member1.uvis", "self.json"]})"));
    QVERIFY2(!self && self.error.find("itself an ensemble") != std::string::npos, self.error.c_str());
    QTemporaryDir empty;
    LoadedModel none = loadModel(empty.path().toStdString());
    QVERIFY2(!none && none.error.find("at least two model files") != std::string::npos, none.error.c_str());
    // A JSON file that is not an ensemble card is not a model either.
    LoadedModel plain = loadModel(write("plain.json", R"({"name": "x"})"));
    QVERIFY(!plain);
}

void TestMethods::ttaMapsEveryPassBackToTheImage_data() {
    QTest::addColumn<bool>("variableSize");
    QTest::addColumn<int>("samples");
    QTest::newRow("flip only, fixed size") << false << 2;
    QTest::newRow("flips and jitter, fixed size") << false << 8;
    QTest::newRow("flips, scales and jitter, native size") << true << 8;
}

void TestMethods::ttaMapsEveryPassBackToTheImage() {
    // The echo model answers the edge where it sees it: only passes mapped back to the image
    // (un-flipped, rescaled) agree on which side is which. A pass left flipped would put the
    // two classes at p̄ = 0.5 on both sides; one left scaled would move the edge.
    QFETCH(bool, variableSize);
    QFETCH(int, samples);
    const int w = 64, h = 48;
    UncertaintyEngine engine(test::makeEchoModel(w, h, variableSize));
    const SamplingResult r = engine.run(edgeImage(w, h), methodSettings(UncertaintyMethod::Tta, samples, 0.0, 2));
    QVERIFY2(r.ok(), r.error.c_str());
    QCOMPARE(r.maps.samplesDone, samples);
    for (int y = 0; y < h; ++y)
        for (int x = 0; x < w; ++x) {
            if (std::abs(x - w / 2) < 3) continue;  // the edge itself is blurred by the rescaling
            const size_t i = static_cast<size_t>(y) * w + x;
            QCOMPARE(int(r.maps.segClass.values[i]), x < w / 2 ? 1 : 0);
            QVERIFY2(r.maps.segConfidence.values[i] > 0.999f, qPrintable(QString::number(r.maps.segConfidence.values[i])));
        }
    if (samples == 2)  // identity and flip, exactly undone: no spread at all
        for (float v : r.maps.depthEpistemicVar.values) QCOMPARE(v, 0.f);
}

void TestMethods::ttaIsReproducibleAndSpreadsWithJitter() {
    const int w = 64, h = 48;
    UncertaintyEngine engine(test::makeEchoModel(w, h, true));
    const ImageTensor image = edgeImage(w, h);
    const SamplingResult a = engine.run(image, methodSettings(UncertaintyMethod::Tta, 6, 0.0, 7));
    const SamplingResult b = engine.run(image, methodSettings(UncertaintyMethod::Tta, 6, 0.0, 7, 1));
    const SamplingResult c = engine.run(image, methodSettings(UncertaintyMethod::Tta, 6, 0.0, 8));
    QVERIFY(a.ok() && b.ok() && c.ok());
    QCOMPARE(a.maps.depthEpistemicVar.values, b.maps.depthEpistemicVar.values);  // same seed, any chunking
    QVERIFY(maxAbsDifference(a.maps.depthEpistemicVar, c.maps.depthEpistemicVar) > 1e-6);
    // Photometric jitter moves the echoed values: the white side's depth spreads, but only by the
    // jitter's reach (contrast and brightness within ±10 % keep 5 + x₀ within [5.7, 6]).
    const size_t right = static_cast<size_t>(h / 2) * w + w - 4;
    QVERIFY(a.maps.depthEpistemicVar.values[right] > 0.f);
    QVERIFY(a.maps.depthMean.values[right] > 5.7f && a.maps.depthMean.values[right] <= 6.0f);
}

// The ensemble that ships: three members of the demo recipe with seeds 1, 2, 3,
// the first being the demo model itself, so MC dropout on the ensemble is the demo model's.
void TestMethods::theBundledEnsembleIsTheDemoModelAndTwoMore() {
    const std::string dir = UVIS_RESOURCES "/models/";
    LoadedModel ensemble = loadModel(dir + "uvis-street-demo.ensemble.json");
    QVERIFY2(ensemble, ensemble.error.c_str());
    QCOMPARE(ensembleSize(*ensemble.model), 3);
    UncertaintyEngine onEnsemble(ensemble.model);
    QCOMPARE(onEnsemble.card().name, std::string("uvis-street-demo-ensemble3"));
    LoadedModel demo = loadModel(dir + "uvis-street-demo.uvis");
    QVERIFY(demo);
    UncertaintyEngine onDemo(demo.model);
    const int w = onDemo.card().input.width, h = onDemo.card().input.height;
    RgbImage image{w, h, std::vector<std::uint8_t>(static_cast<size_t>(w) * h * 3)};
    for (int y = 0; y < h; ++y)  // a horizon: sky above, road below
        for (int x = 0; x < w; ++x)
            for (int c = 0; c < 3; ++c)
                image.pixels[(static_cast<size_t>(y) * w + x) * 3 + c] =
                    static_cast<std::uint8_t>(y < h / 2 ? 150 + c * 30 : 60 + (x * 40) / w);
    const ImageTensor input = toModelInput(image, onDemo.card().input);
    const SamplingResult mcEnsemble = onEnsemble.run(input, methodSettings(UncertaintyMethod::McDropout, 4, 0.2, 3));
    const SamplingResult mcDemo = onDemo.run(input, methodSettings(UncertaintyMethod::McDropout, 4, 0.2, 3));
    QCOMPARE(mcEnsemble.maps.depthMean.values, mcDemo.maps.depthMean.values);
    // The members disagree: the ensemble's mean is not the demo's, its spread is not zero.
    const SamplingResult k3 = onEnsemble.run(input, methodSettings(UncertaintyMethod::Ensemble, 3, 0.0));
    QCOMPARE(k3.maps.samplesDone, 3);
    QVERIFY(maxAbsDifference(k3.maps.depthMean, mcDemo.maps.depthMean) > 1e-3);
    QVERIFY(*std::max_element(k3.maps.depthEpistemicVar.values.begin(), k3.maps.depthEpistemicVar.values.end()) > 1e-4f);
}

QTEST_MAIN(TestMethods)
#include "tst_methods.moc"
