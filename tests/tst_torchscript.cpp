// Bring-your-own TorchScript models (SPEC §4): every fixture of tests/data/models (made by
// make_fixtures.py) gives its documented outcome, and the fast path agrees with forward().

#include <QtTest>

#include <torch/torch.h>

#include "core/engine/uncertainty_engine.h"
#include "core/model/model_loader.h"
#include "core/model/model_validation.h"
#include "core/model/internal/torchscript_model.h"

using namespace uvis;

namespace {
std::string fixture(const char* name) { return std::string(UVIS_TEST_DATA) + "/models/" + name; }
}  // namespace

class TestTorchScript : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void initTestCase() { at::set_num_threads(1); }
    void validModelsPass_data();
    void validModelsPass();
    void brokenModelsAreRejectedInPlainWords_data();
    void brokenModelsAreRejectedInPlainWords();
    void fastPathEqualsForwardAtZeroDropout();
    void fastPathAgreesInDistribution();
    void engineRunsForwardOnlyAndSingleTaskModels();
    void sameSeedSameMaps();
    void nativeModelsValidateToo();
    void deterministicModelsValidateForTheirMethods();
    void aBatchOneModelRunsOnePassPerCall();
    void aTorchScriptFileWithoutACardPointsToTheExporter();
};

void TestTorchScript::aTorchScriptFileWithoutACardPointsToTheExporter() {
    QTemporaryDir dir;
    torch::jit::Module m("Plain");
    m.define(R"(
        def forward(self, image: Tensor) -> Tensor:
            return image
    )");
    const std::string path = dir.filePath("mine.pt").toStdString();
    m.save(path);
    const LoadedModel loaded = loadModel(path);
    QVERIFY(!loaded);
    QVERIFY2(loaded.error.find("no model card") != std::string::npos &&
                 loaded.error.find("uvis_export.export(\"" + path + "\", \"mine-uvis.pt\"") != std::string::npos,
             loaded.error.c_str());
}

// A card without "dropout": the model is deterministic. It validates (its passes are meant to be
// identical), the report offers the methods it supports, and TTA runs on it.
void TestTorchScript::deterministicModelsValidateForTheirMethods() {
    const ModelReport r = validateModel(fixture("deterministic.pt"));
    QVERIFY2(r.ok, formatReport(r).c_str());
    QVERIFY(!r.card.hasDropout);
    const std::string text = formatReport(r);
    QVERIFY2(text.find("training dropout: none (deterministic model)") != std::string::npos, text.c_str());
    QVERIFY2(text.find("methods: tta\n") != std::string::npos, text.c_str());
    LoadedModel loaded = loadModel(fixture("deterministic.pt"));
    QVERIFY(loaded);
    UncertaintyEngine engine(loaded.model);
    SamplingSettings s;
    s.method = UncertaintyMethod::Tta;
    s.dropout = 0.0;
    s.samples = 4;
    ImageTensor image{3, 24, 32, std::vector<float>(3 * 24 * 32, 0.1f)};
    for (size_t i = 0; i < image.values.size(); ++i) image.values[i] = float(i % 37) / 37.f;
    const SamplingResult r2 = engine.run(image, s);
    QVERIFY2(r2.ok(), r2.error.c_str());
    QCOMPARE(r2.maps.samplesDone, 4);
}

// A model that assumes one image per call (a hard-coded batch of 1) fails on the engine's chunks:
// it is then run one pass per call, with the same maps as chunks of one pass.
void TestTorchScript::aBatchOneModelRunsOnePassPerCall() {
    torch::jit::Module m("BatchOne");
    m.define(R"(
        def forward(self, image: Tensor, dropout_p: float) -> Dict[str, Tensor]:
            x = torch.dropout(image[:, :1], dropout_p, True)
            return {"depth_mean": x.reshape(1, 1, 24, 32).abs() + 1.0}
    )");
    ModelCard card = *parseModelCard(R"({"name": "b1", "tasks": ["depth"], "input": {"width": 32, "height": 24,
        "mean": [0,0,0], "std": [1,1,1]}, "depth": {"min": 0.1, "max": 10}, "dropout": {"train_p": 0.3}})", "b1").card;
    auto model = std::make_shared<TorchScriptModel>(m, card, false);
    UncertaintyEngine engine(model);
    ImageTensor image{3, 24, 32, std::vector<float>(3 * 24 * 32)};
    for (size_t i = 0; i < image.values.size(); ++i) image.values[i] = float(i % 11) / 11.f;
    SamplingSettings s;
    s.samples = 8;
    s.dropout = 0.3;
    s.chunkSize = 4;
    const SamplingResult chunked = engine.run(image, s);
    QVERIFY2(chunked.ok(), chunked.error.c_str());
    QCOMPARE(chunked.maps.samplesDone, 8);
    QCOMPARE(chunked.passesPerCall, 1);
    QCOMPARE(model->passesPerCall(), 1);
    s.chunkSize = 1;
    const SamplingResult single = engine.run(image, s);
    QCOMPARE(single.maps.depthMean.values, chunked.maps.depthMean.values);  // the same draws, pass by pass
}

void TestTorchScript::validModelsPass_data() {
    QTest::addColumn<QString>("file");
    QTest::addColumn<bool>("fastPath");
    QTest::addColumn<bool>("depth");
    QTest::addColumn<bool>("segmentation");
    QTest::newRow("encode/decode") << "encode_decode.pt" << true << true << true;
    QTest::newRow("forward only") << "forward_only.pt" << false << true << true;
    QTest::newRow("depth only") << "depth_only.pt" << true << true << false;
    QTest::newRow("segmentation only") << "segmentation_only.pt" << true << false << true;
    QTest::newRow("sidecar card") << "sidecar_card.pt" << true << true << true;
}

void TestTorchScript::validModelsPass() {
    QFETCH(QString, file);
    QFETCH(bool, fastPath);
    QFETCH(bool, depth);
    QFETCH(bool, segmentation);
    const ModelReport r = validateModel(fixture(qPrintable(file)));
    QVERIFY2(r.ok, formatReport(r).c_str());
    QCOMPARE(r.kind, std::string("TorchScript"));
    QCOMPARE(r.fastPath, fastPath);
    QCOMPARE(r.card.depth, depth);
    QCOMPARE(r.card.segmentation, segmentation);
    QCOMPARE(r.card.name, std::string("tiny-bayes"));
}

void TestTorchScript::brokenModelsAreRejectedInPlainWords_data() {
    QTest::addColumn<QString>("file");
    QTest::addColumn<QString>("words");
    QTest::newRow("traced") << "traced.pt" << "script it with torch.jit.script";
    QTest::newRow("frozen dropout") << "frozen_dropout.pt" << "passes are identical at dropout p = 0.3";  // the card's trained rate
    QTest::newRow("missing output") << "missing_output.pt" << "no output 'seg_logits'";
    QTest::newRow("wrong shape") << "wrong_shape.pt" << "'seg_logits' has shape 1×4×6×8";
    QTest::newRow("NaN") << "nan_output.pt" << "'depth_mean' holds NaN";
    QTest::newRow("card missing a field") << "card_missing_field.pt" << "field 'input' is missing";
    QTest::newRow("not a model") << "not_a_model.pt" << "not a model file";
    QTest::newRow("absent") << "absent.pt" << "no such model file";
}

void TestTorchScript::brokenModelsAreRejectedInPlainWords() {
    QFETCH(QString, file);
    QFETCH(QString, words);
    const ModelReport r = validateModel(fixture(qPrintable(file)));
    QVERIFY(!r.ok);
    const QString text = QString::fromStdString(formatReport(r));
    QVERIFY2(text.contains(words), qPrintable(text));
    QVERIFY2(text.contains(file), qPrintable(text));  // names the file
}

void TestTorchScript::fastPathEqualsForwardAtZeroDropout() {
    LoadedModel split = loadModel(fixture("encode_decode.pt"));
    LoadedModel whole = loadModel(fixture("forward_only.pt"));  // the same weights, no encode/decode
    QVERIFY(split && whole);
    c10::InferenceMode guard;
    torch::manual_seed(3);
    const auto image = torch::randn({1, 3, 24, 32});
    at::Generator a = at::detail::createCPUGenerator(1), b = at::detail::createCPUGenerator(1);
    const ModelOutputs x = split.model->forward(image, 0.0, 1, a);
    const ModelOutputs y = whole.model->forward(image, 0.0, 1, b);
    QVERIFY(torch::allclose(x.depthMean, y.depthMean, 1e-5, 1e-6));
    QVERIFY(torch::allclose(x.segLogits, y.segLogits, 1e-5, 1e-6));
}

void TestTorchScript::fastPathAgreesInDistribution() {
    // At p > 0 the two paths draw different masks but must agree in distribution: compare the
    // MC means and epistemic variances over many passes.
    ImageTensor input{3, 24, 32, std::vector<float>(3 * 24 * 32)};
    for (size_t i = 0; i < input.values.size(); ++i) input.values[i] = static_cast<float>((i * 37) % 101) / 50.f - 1.f;
    SamplingSettings s;
    s.samples = 400;
    s.dropout = 0.3;
    s.chunkSize = 50;
    SamplingResult split = UncertaintyEngine(loadModel(fixture("encode_decode.pt")).model).run(input, s);
    s.seed = 99;
    SamplingResult whole = UncertaintyEngine(loadModel(fixture("forward_only.pt")).model).run(input, s);
    QVERIFY(split.ok() && whole.ok());
    double meanA = 0, meanB = 0, varA = 0, varB = 0;
    for (size_t i = 0; i < split.maps.depthMean.values.size(); ++i) {
        meanA += split.maps.depthMean.values[i];
        meanB += whole.maps.depthMean.values[i];
        varA += split.maps.depthEpistemicVar.values[i];
        varB += whole.maps.depthEpistemicVar.values[i];
    }
    QVERIFY2(std::abs(meanA - meanB) < 0.02 * std::abs(meanA), qPrintable(QString("%1 vs %2").arg(meanA).arg(meanB)));
    QVERIFY2(varA > 0 && std::abs(varA - varB) < 0.15 * varA, qPrintable(QString("%1 vs %2").arg(varA).arg(varB)));
}

void TestTorchScript::engineRunsForwardOnlyAndSingleTaskModels() {
    ImageTensor input{3, 24, 32, std::vector<float>(3 * 24 * 32, 0.3f)};
    SamplingSettings s;
    s.samples = 6;
    s.dropout = 0.3;
    for (const char* name : {"forward_only.pt", "depth_only.pt", "segmentation_only.pt"}) {
        LoadedModel m = loadModel(fixture(name));
        QVERIFY2(m, m.error.c_str());
        SamplingResult r = UncertaintyEngine(m.model).run(input, s);
        QVERIFY2(r.ok(), r.error.c_str());
        QCOMPARE(r.maps.hasDepth, modelCard(*m.model).depth);
        QCOMPARE(r.maps.hasSegmentation, modelCard(*m.model).segmentation);
        QCOMPARE(r.maps.samplesDone, 6);
        if (r.maps.hasDepth) QCOMPARE(r.maps.depthMean.width, 32);  // upsampled from 8×6
    }
}

void TestTorchScript::sameSeedSameMaps() {
    ImageTensor input{3, 24, 32, std::vector<float>(3 * 24 * 32, 0.1f)};
    SamplingSettings s;
    s.samples = 8;
    s.dropout = 0.4;
    s.seed = 5;
    UncertaintyEngine engine(loadModel(fixture("encode_decode.pt")).model);
    SamplingResult a = engine.run(input, s), b = engine.run(input, s);
    s.seed = 6;
    SamplingResult c = engine.run(input, s);
    QCOMPARE(a.maps.depthEpistemicVar.values, b.maps.depthEpistemicVar.values);
    QVERIFY(a.maps.depthEpistemicVar.values != c.maps.depthEpistemicVar.values);
}

void TestTorchScript::nativeModelsValidateToo() {
    const ModelReport r = validateModel(UVIS_RESOURCES "/models/uvis-street-demo.uvis");
    QVERIFY2(r.ok, formatReport(r).c_str());
    QCOMPARE(r.kind, std::string("uvis native"));
    QVERIFY(r.fastPath);
}

QTEST_MAIN(TestTorchScript)
#include "tst_torchscript.moc"
