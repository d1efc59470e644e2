// The built-in network: SPEC §1 outputs, the encode/decode split, run-time dropout, and
// save/load with its card, including the errors a bad file gives.

#include <QtTest>

#include <torch/torch.h>

#include <nlohmann/json.hpp>

#include <filesystem>
#include <fstream>

#include "core/engine/uncertainty_engine.h"
#include "core/model/model_loader.h"
#include "core/model/internal/native_network.h"

using namespace uvis;

namespace {

constexpr int kW = 64, kH = 48;

std::shared_ptr<NativeModel> randomModel(int width = 8, int classes = 5) {
    return std::static_pointer_cast<NativeModel>(createRandomNativeModel(width, classes, kW, kH, 3));
}

torch::Tensor image() {
    torch::manual_seed(5);
    return torch::randn({1, 3, kH, kW});
}

QString tempPath(const QTemporaryDir& dir, const char* name) { return dir.filePath(name); }

}  // namespace

class TestNativeNetwork : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void initTestCase() { at::set_num_threads(2); }
    void outputsFollowTheSpec();
    void decodeOfEncodeEqualsForwardAtZeroDropout();
    void dropoutIsARunTimeArgument();
    void masksDoNotDependOnChunking();
    void engineRunsTheNativeModel();
    void saveAndLoadRoundTrip();
    void loadErrorsNameTheFileAndProblem();
    void flippedWeightBytesAreRefused();
    void theBundledModelIsSealed();
    void encoderDropoutMovesTheLastStageIntoThePasses();
    void siteRatesScaleWithTheRunTimeRate();
    void siteRatesTravelInTheCard();
};

void TestNativeNetwork::outputsFollowTheSpec() {
    auto model = randomModel();
    c10::InferenceMode guard;
    auto features = model->encode(image());
    QCOMPARE(int(features.size()), 3);
    QCOMPARE(features[2].size(2), int64_t(kH / 16));  // dropout acts at 1/16 ...
    QCOMPARE(features[1].size(2), int64_t(kH / 8));   // ... and 1/8 resolution
    at::Generator rng = at::detail::createCPUGenerator(1);
    ModelOutputs out = model->decode(features, 0.2, 3, rng);
    QCOMPARE(out.depthMean.sizes().vec(), (std::vector<int64_t>{3, 1, kH / 4, kW / 4}));
    QCOMPARE(out.depthLogVar.sizes().vec(), (std::vector<int64_t>{3, 1, kH / 4, kW / 4}));
    QCOMPARE(out.segLogits.sizes().vec(), (std::vector<int64_t>{3, 5, kH / 4, kW / 4}));
    QCOMPARE(out.segLogVar.sizes().vec(), (std::vector<int64_t>{3, 1, kH / 4, kW / 4}));
    QVERIFY(out.depthMean.gt(0).all().item<bool>());  // metres: always positive
}

void TestNativeNetwork::decodeOfEncodeEqualsForwardAtZeroDropout() {
    auto model = randomModel();
    c10::InferenceMode guard;
    at::Generator a = at::detail::createCPUGenerator(1), b = at::detail::createCPUGenerator(2);
    ModelOutputs split = model->decode(model->encode(image()), 0.0, 3, a);
    ModelOutputs full = model->forward(image(), 0.0, 1, b);
    for (int t = 0; t < 3; ++t) {
        QVERIFY(torch::allclose(split.depthMean[t], full.depthMean[0], 1e-5, 1e-6));
        QVERIFY(torch::allclose(split.segLogits[t], full.segLogits[0], 1e-5, 1e-6));
    }
}

void TestNativeNetwork::dropoutIsARunTimeArgument() {
    auto model = randomModel();
    c10::InferenceMode guard;
    auto features = model->encode(image());
    at::Generator rng = at::detail::createCPUGenerator(1);
    ModelOutputs light = model->decode(features, 0.1, 8, rng);
    ModelOutputs heavy = model->decode(features, 0.7, 8, rng);
    auto spread = [](const torch::Tensor& t) { return t.var(0).mean().item<double>(); };
    QVERIFY(spread(light.segLogits) > 0);
    QVERIFY(spread(heavy.segLogits) > spread(light.segLogits));
}

void TestNativeNetwork::masksDoNotDependOnChunking() {
    auto model = randomModel();
    c10::InferenceMode guard;
    auto features = model->encode(image());
    at::Generator a = at::detail::createCPUGenerator(9), b = at::detail::createCPUGenerator(9);
    ModelOutputs batched = model->decode(features, 0.5, 4, a);
    for (int t = 0; t < 4; ++t) {
        ModelOutputs single = model->decode(features, 0.5, 1, b);
        QVERIFY(torch::allclose(batched.depthMean[t], single.depthMean[0], 1e-5, 1e-6));
        QVERIFY(torch::allclose(batched.segLogits[t], single.segLogits[0], 1e-4, 1e-5));
    }
}

void TestNativeNetwork::engineRunsTheNativeModel() {
    auto model = randomModel();
    UncertaintyEngine engine(model);
    ImageTensor input{3, kH, kW, std::vector<float>(3 * kH * kW, 0.1f)};
    SamplingSettings s;
    s.samples = 6;
    s.dropout = 0.3;
    SamplingResult r = engine.run(input, s);
    QVERIFY2(r.ok(), r.error.c_str());
    QCOMPARE(r.maps.depthMean.width, kW);  // upsampled from 1/4 to the input size
    QCOMPARE(r.maps.segClass.height, kH);
    QCOMPARE(r.maps.classCount, 5);
    double epistemic = 0;
    for (float v : r.maps.depthEpistemicVar.values) {
        QVERIFY(std::isfinite(v) && v >= 0);
        epistemic += v;
    }
    QVERIFY(epistemic > 0);
}

void TestNativeNetwork::saveAndLoadRoundTrip() {
    QTemporaryDir dir;
    auto model = randomModel(8, 4);
    const std::string path = tempPath(dir, "m.uvis").toStdString();
    QCOMPARE(saveModel(*model, path), std::string());
    QVERIFY(!QFile::exists(QString::fromStdString(path + ".part")));
    LoadedModel loaded = loadNativeModel(path);
    QVERIFY2(loaded, loaded.error.c_str());
    QCOMPARE(modelCard(*loaded.model).native->width, 8);
    QCOMPARE(int(modelCard(*loaded.model).classes.size()), 4);
    c10::InferenceMode guard;
    at::Generator a = at::detail::createCPUGenerator(4), b = at::detail::createCPUGenerator(4);
    auto before = model->forward(image(), 0.3, 2, a);
    auto after = loaded.model->forward(image(), 0.3, 2, b);
    QVERIFY(torch::equal(before.depthMean, after.depthMean));
    QVERIFY(torch::equal(before.segLogits, after.segLogits));
}

void TestNativeNetwork::loadErrorsNameTheFileAndProblem() {
    QTemporaryDir dir;
    auto expectError = [](const std::string& path, const QString& words) {
        LoadedModel m = loadNativeModel(path);
        QVERIFY2(!m, path.c_str());
        const QString error = QString::fromStdString(m.error);
        QVERIFY2(error.contains(QString::fromStdString(path)), m.error.c_str());
        QVERIFY2(error.contains(words), m.error.c_str());
    };
    expectError(tempPath(dir, "absent.uvis").toStdString(), "no such model file");

    const std::string garbage = tempPath(dir, "garbage.uvis").toStdString();
    std::ofstream(garbage) << "this is not a model, just text that pretends to be one\n";
    expectError(garbage, "not a uvis model archive");

    const std::string truncated = tempPath(dir, "truncated.uvis").toStdString();
    QCOMPARE(saveModel(*randomModel(), truncated), std::string());
    std::filesystem::resize_file(truncated, std::filesystem::file_size(truncated) / 2);
    expectError(truncated, "not a uvis model archive");

    // Weights only, no card anywhere.
    const std::string noCard = tempPath(dir, "nocard.uvis").toStdString();
    {
        torch::serialize::OutputArchive archive;
        randomModel()->network()->save(archive);
        archive.save_to(noCard);
    }
    expectError(noCard, "has no model card");

    // A sidecar card with a missing field is reported with the sidecar's name and the field.
    std::ofstream(tempPath(dir, "nocard.json").toStdString()) << R"({"name": "x", "tasks": ["depth"]})";
    LoadedModel m = loadNativeModel(noCard);
    QVERIFY(!m);
    QVERIFY2(QString::fromStdString(m.error).contains("nocard.json") &&
                 QString::fromStdString(m.error).contains("'input' is missing"),
             m.error.c_str());

    // Weights of width 8 under a card that says width 16.
    auto model = randomModel(8);
    ModelCard card = model->card();
    card.native->width = 16;
    NativeModel lying(model->network(), card);
    const std::string mismatch = tempPath(dir, "mismatch.uvis").toStdString();
    QCOMPARE(saveNativeModel(lying, mismatch), std::string());
    expectError(mismatch, "do not match the architecture");
}

// A byte flipped inside the tensor data loads without any LibTorch error; the
// SHA-256 in the card catches it.
void TestNativeNetwork::flippedWeightBytesAreRefused() {
    QTemporaryDir dir;
    auto model = randomModel(8, 4);
    const std::string path = tempPath(dir, "sealed.uvis").toStdString();
    QCOMPARE(saveModel(*model, path), std::string());
    LoadedModel intact = loadNativeModel(path);
    QVERIFY2(intact, intact.error.c_str());
    const std::string digest = modelCard(*intact.model).weightsSha256;
    QCOMPARE(int(digest.size()), 64);

    // Find the stored bytes of one weight tensor in the archive and flip one bit in the middle.
    std::ifstream in(path, std::ios::binary);
    std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    // The storage as it lies in memory (channels-last or not) is what the archive holds.
    const torch::Tensor weight = model->network()->named_parameters().begin()->value();
    QVERIFY(weight.nbytes() >= 64 && weight.storage_offset() == 0);
    const std::string needle(static_cast<const char*>(weight.data_ptr()), 64);
    const size_t at = bytes.find(needle);
    QVERIFY2(at != std::string::npos, "the weight's bytes are stored verbatim in the archive");
    bytes[at + 37] ^= 0x10;
    const std::string damaged = tempPath(dir, "damaged.uvis").toStdString();
    std::ofstream(damaged, std::ios::binary) << bytes;

    LoadedModel m = loadNativeModel(damaged);
    QVERIFY2(!m, "a flipped weight byte must not load");
    QVERIFY2(QString::fromStdString(m.error).contains(QString::fromStdString(damaged)), m.error.c_str());
    QVERIFY2(QString::fromStdString(m.error).contains("weights are damaged"), m.error.c_str());
    QVERIFY2(QString::fromStdString(m.error).contains(QString::fromStdString(digest.substr(0, 16))), m.error.c_str());

    // A digest that is not 64 hex digits is a card error naming the field.
    ModelCard card = model->card();
    card.json = nlohmann::json{{"weights_sha256", "xyz"}}.dump();
    CardResult bad = parseModelCard(modelCardToJson(card), "card");
    QVERIFY(bad.card);  // modelCardToJson writes the struct's (empty) digest, dropping "xyz"
    nlohmann::json withBad = nlohmann::json::parse(modelCardToJson(card));
    withBad["weights_sha256"] = "xyz";
    bad = parseModelCard(withBad.dump(), "card");
    QVERIFY(!bad.card);
    QVERIFY2(QString::fromStdString(bad.error).contains("weights_sha256"), bad.error.c_str());
}

void TestNativeNetwork::theBundledModelIsSealed() {
    LoadedModel demo = loadNativeModel(UVIS_RESOURCES "/models/uvis-street-demo.uvis");
    QVERIFY2(demo, demo.error.c_str());
    QCOMPARE(int(modelCard(*demo.model).weightsSha256.size()), 64);
}

void TestNativeNetwork::encoderDropoutMovesTheLastStageIntoThePasses() {
    // Dropout on the 1/8 encoder features too. Same weights and the same function
    // at p = 0; encode() stops at 1/8; chunking still does not change the samples; the card
    // says so and survives saving.
    auto plain = std::static_pointer_cast<NativeModel>(createRandomNativeModel(8, 5, kW, kH, 3, false));
    auto deep = std::static_pointer_cast<NativeModel>(createRandomNativeModel(8, 5, kW, kH, 3, true));
    QVERIFY(modelCard(*deep).native->encoderDropout);
    QVERIFY(QString::fromStdString(modelCard(*deep).json).contains("\"encoder_dropout\":true"));
    QVERIFY(!QString::fromStdString(modelCard(*plain).json).contains("encoder_dropout"));
    c10::InferenceMode guard;
    const auto features = deep->encode(image());
    QCOMPARE(int(features.size()), 2);
    at::Generator a = at::detail::createCPUGenerator(1), b = at::detail::createCPUGenerator(1);
    ModelOutputs off = deep->decode(features, 0.0, 2, a);
    ModelOutputs plainOff = plain->decode(plain->encode(image()), 0.0, 2, b);
    QVERIFY(torch::allclose(off.depthMean, plainOff.depthMean, 1e-5, 1e-6));
    QVERIFY(torch::allclose(off.segLogits, plainOff.segLogits, 1e-5, 1e-6));
    at::Generator c = at::detail::createCPUGenerator(9), d = at::detail::createCPUGenerator(9);
    ModelOutputs batched = deep->decode(features, 0.5, 4, c);
    for (int t = 0; t < 4; ++t) {
        ModelOutputs single = deep->decode(features, 0.5, 1, d);
        QVERIFY(torch::allclose(batched.depthMean[t], single.depthMean[0], 1e-5, 1e-6));
    }
    // At p > 0 the encoder's dropout acts: the passes differ from the decoder-only network's.
    at::Generator e = at::detail::createCPUGenerator(3), f = at::detail::createCPUGenerator(3);
    QVERIFY(!torch::allclose(deep->decode(features, 0.3, 4, e).depthMean,
                             plain->decode(plain->encode(image()), 0.3, 4, f).depthMean, 1e-4, 1e-5));
    QTemporaryDir dir;
    const std::string path = tempPath(dir, "deep.uvis").toStdString();
    QCOMPARE(saveModel(*deep, path), std::string());
    LoadedModel loaded = loadNativeModel(path);
    QVERIFY2(loaded, loaded.error.c_str());
    QVERIFY(modelCard(*loaded.model).native->encoderDropout);
    UncertaintyEngine engine(loaded.model);
    SamplingSettings s;
    s.samples = 4;
    QVERIFY(engine.run(ImageTensor{3, kH, kW, std::vector<float>(3 * kH * kW, 0.1f)}, s).ok());
}

void TestNativeNetwork::siteRatesScaleWithTheRunTimeRate() {
    NativeNetworkOptions o;
    QCOMPARE(o.ratesAt(0.3), (std::vector<double>{0.3, 0.3}));  // no trained rates: uniform
    o.siteRates = {0.1, 0.4};
    auto near = [](const std::vector<double>& a, const std::vector<double>& b) {
        return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](double x, double y) {
                   return std::abs(x - y) < 1e-12;
               });
    };
    QVERIFY(near(o.ratesAt(0.4), {0.1, 0.4}));   // p = the largest trained rate: each as trained
    QVERIFY(near(o.ratesAt(0.2), {0.05, 0.2}));  // half of it: each at half
    QVERIFY(near(o.ratesAt(0.0), {0.0, 0.0}));
    o.siteRates = {0.5, 0.8};
    QVERIFY(near(o.ratesAt(0.99), {0.61875, 0.95}));  // capped at 0.95
    o.encoderDropout = true;
    o.siteRates = {0.05, 0.1, 0.2};
    QVERIFY(near(o.ratesAt(0.2), {0.05, 0.1, 0.2}));
}

void TestNativeNetwork::siteRatesTravelInTheCard() {
    NativeNetworkOptions o;
    o.width = 8;
    o.classes = 4;
    o.siteRates = {0.07, 0.31};
    const ModelCard card = nativeModelCard(o, kW, kH, 0.5);
    QVERIFY(card.dropoutScaling == DropoutScaling::Proportional);
    QCOMPARE(card.trainDropout, 0.31);  // the largest trained rate
    QCOMPARE(int(card.dropoutRates.size()), 2);
    QCOMPARE(card.dropoutRates[0].where, nativeDropoutSites(false)[0]);
    auto model = std::make_shared<NativeModel>(NativeNetwork(o), card);
    QTemporaryDir dir;
    const std::string path = tempPath(dir, "rates.uvis").toStdString();
    QCOMPARE(saveModel(*model, path), std::string());
    LoadedModel loaded = loadNativeModel(path);
    QVERIFY2(loaded, loaded.error.c_str());
    const NativeNetworkOptions back = nativeOptionsFromCard(modelCard(*loaded.model));
    QCOMPARE(back.siteRates, o.siteRates);
    // The loaded model draws the same passes as the one saved: the rates reached its decoder.
    c10::InferenceMode guard;
    at::Generator a = at::detail::createCPUGenerator(4), b = at::detail::createCPUGenerator(4);
    QVERIFY(torch::equal(model->forward(image(), 0.31, 3, a).segLogits,
                         loaded.model->forward(image(), 0.31, 3, b).segLogits));
    // And they are not the uniform rate's passes.
    NativeNetworkOptions uniform = o;
    uniform.siteRates.clear();
    auto plain = std::make_shared<NativeModel>(NativeNetwork(uniform), nativeModelCard(uniform, kW, kH, 0.31));
    {
        torch::NoGradGuard noGrad;
        auto from = model->network()->named_parameters();
        for (auto& p : plain->network()->named_parameters()) p.value().copy_(from[p.key()]);
        auto buffers = model->network()->named_buffers();
        for (auto& x : plain->network()->named_buffers()) x.value().copy_(buffers[x.key()]);
    }
    at::Generator c = at::detail::createCPUGenerator(4), d = at::detail::createCPUGenerator(4);
    QVERIFY(!torch::equal(model->forward(image(), 0.31, 3, c).segLogits, plain->forward(image(), 0.31, 3, d).segLogits));
}

QTEST_MAIN(TestNativeNetwork)
#include "tst_native_network.moc"
