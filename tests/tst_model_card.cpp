// Model cards (SPEC §4): valid cards parse, unknown fields are ignored, and every missing or
// malformed required field is reported by name together with the source.

#include <QtTest>

#include <nlohmann/json.hpp>

#include "core/engine/sampling_settings.h"
#include "core/model/model_methods.h"
#include "core/model/model_card.h"

using namespace uvis;
using nlohmann::json;

namespace {

json validCard() {
    return json::parse(R"({
      "name": "demo", "version": "1", "description": "d",
      "tasks": ["depth", "segmentation"],
      "input": {"width": 256, "height": 192, "mean": [0.485,0.456,0.406], "std": [0.229,0.224,0.225]},
      "depth": {"unit": "m", "min": 0.5, "max": 80.0, "loss": "gaussian"},
      "classes": [{"name": "sky", "color": [70,130,180]}, {"name": "road", "color": [128,64,128]}],
      "dropout": {"train_p": 0.2},
      "task_uncertainty": {"depth_log_var": -1.3, "seg_log_var": -0.7},
      "training": {"data": "synthetic", "steps": 0, "metrics": {}},
      "something_new": {"ignored": true}
    })");
}

// Removes the field at a dotted path ("input.width").
void erase(json& j, const std::string& path) {
    const auto dot = path.find('.');
    if (dot == std::string::npos) j.erase(path);
    else erase(j[path.substr(0, dot)], path.substr(dot + 1));
}

}  // namespace

class TestModelCard : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void parsesAValidCard();
    void roundTripsThroughJson();
    void singleTaskCardsNeedOnlyTheirFields();
    void missingFieldIsNamed_data();
    void missingFieldIsNamed();
    void wrongValuesAreNamed_data();
    void wrongValuesAreNamed();
    void invalidJsonIsReported();
    void inputSizePolicies();
    void depthKinds();
    void withoutDropoutTheModelIsDeterministic();
    void layersKeepTheirOwnRates();
};

void TestModelCard::withoutDropoutTheModelIsDeterministic() {
    json card = validCard();
    card.erase("dropout");
    CardResult r = parseModelCard(card.dump(), "det.json");
    QVERIFY2(r.card, r.error.c_str());
    QVERIFY(!r.card->hasDropout);
    QCOMPARE(trainedRatesText(*r.card), std::string("none (deterministic model)"));
    // The methods made for such models apply; MC dropout says why not.
    QVERIFY(methodUnavailableReason(UncertaintyMethod::Tta, *r.card).empty());
    const std::string why = methodUnavailableReason(UncertaintyMethod::McDropout, *r.card);
    QVERIFY2(why.find("has no dropout") != std::string::npos && why.find("test-time augmentation") != std::string::npos,
             why.c_str());
    QCOMPARE(defaultMethod(*r.card), UncertaintyMethod::Tta);
    ModelCard ensemble = *r.card;
    ensemble.members = 3;
    QVERIFY(methodUnavailableReason(UncertaintyMethod::Ensemble, ensemble).empty());
    QVERIFY(!methodUnavailableReason(UncertaintyMethod::EnsembleMc, ensemble).empty());
    QCOMPARE(defaultMethod(ensemble), UncertaintyMethod::Ensemble);
    // Written back without a dropout section, and read back the same.
    CardResult again = parseModelCard(modelCardToJson(*r.card), "again.json");
    QVERIFY2(again.card && !again.card->hasDropout, again.error.c_str());
    // A card with dropout offers MC dropout by default; the ensemble methods only to an ensemble.
    CardResult mc = parseModelCard(validCard().dump(), "mc.json");
    QCOMPARE(defaultMethod(*mc.card), UncertaintyMethod::McDropout);
    QVERIFY(methodUnavailableReason(UncertaintyMethod::Ensemble, *mc.card).find("needs an ensemble") != std::string::npos);
}

void TestModelCard::layersKeepTheirOwnRates() {
    json card = validCard();
    card["dropout"] = json::parse(R"json({"train_p": 0.5, "scaling": "proportional",
        "rates": [{"where": "enc.2 (Dropout2d)", "p": 0.1}, {"where": "late (Dropout)", "p": 0.5},
                  {"where": "head: F.dropout", "p": "computed"}, {"where": "unused (Dropout)", "p": 0}]})json");
    CardResult r = parseModelCard(card.dump(), "mixed.json");
    QVERIFY2(r.card, r.error.c_str());
    QCOMPARE(r.card->dropoutScaling, DropoutScaling::Proportional);
    QCOMPARE(r.card->trainDropout, 0.5);
    QCOMPARE(r.card->dropoutRates.size(), size_t(4));
    QCOMPARE(*r.card->dropoutRates[0].p, 0.1);
    QVERIFY(!r.card->dropoutRates[2].p);
    QCOMPARE(trainedRatesText(*r.card),
             std::string("0.1 (enc.2 (Dropout2d)), 0.5 (late (Dropout)), computed (head: F.dropout), 0 (unused (Dropout))"));
    // An old card (one rate, no list) is still valid and uniform.
    CardResult old = parseModelCard(validCard().dump(), "old.json");
    QCOMPARE(old.card->dropoutScaling, DropoutScaling::Uniform);
    QCOMPARE(trainedRatesText(*old.card), std::string("0.2"));
    // Learned rates are shown to three digits.
    card["dropout"]["rates"] = json::parse(R"json([{"where": "a", "p": 0.193814027}, {"where": "b", "p": 1.2345e-05}])json");
    CardResult learned = parseModelCard(card.dump(), "learned.json");
    QVERIFY2(learned.card, learned.error.c_str());
    QCOMPARE(trainedRatesText(*learned.card), std::string("0.194 (a), 1.23e-05 (b)"));
}

void TestModelCard::parsesAValidCard() {
    CardResult r = parseModelCard(validCard().dump(), "demo.json");
    QVERIFY2(r.card, r.error.c_str());
    const ModelCard& c = *r.card;
    QCOMPARE(c.name, std::string("demo"));
    QVERIFY(c.depth && c.segmentation);
    QCOMPARE(c.input.width, 256);
    QCOMPARE(c.input.height, 192);
    QCOMPARE(c.input.std[2], 0.225f);
    QCOMPARE(c.depthSpec.max, 80.f);
    QCOMPARE(int(c.classes.size()), 2);
    QCOMPARE(c.classes[1].name, std::string("road"));
    QCOMPARE(c.classes[1].color[0], 128);
    QCOMPARE(c.trainDropout, 0.2);
    QCOMPARE(*c.depthLogVar, -1.3f);
    QCOMPARE(*c.segLogVar, -0.7f);
    QVERIFY(!c.native);
}

void TestModelCard::roundTripsThroughJson() {
    ModelCard card = *parseModelCard(validCard().dump(), "demo.json").card;
    card.native = NativeArchitecture{24};
    CardResult again = parseModelCard(modelCardToJson(card), "again");
    QVERIFY2(again.card, again.error.c_str());
    QCOMPARE(again.card->native->width, 24);
    QCOMPARE(again.card->classes[0].color[2], 180);
    QVERIFY(json::parse(again.card->json).contains("training"));  // unknown/extra fields kept
}

void TestModelCard::singleTaskCardsNeedOnlyTheirFields() {
    json depthOnly = validCard();
    depthOnly["tasks"] = {"depth"};
    depthOnly.erase("classes");
    CardResult r = parseModelCard(depthOnly.dump(), "d.json");
    QVERIFY2(r.card, r.error.c_str());
    QVERIFY(r.card->depth && !r.card->segmentation);
    json segOnly = validCard();
    segOnly["tasks"] = {"segmentation"};
    segOnly.erase("depth");
    r = parseModelCard(segOnly.dump(), "s.json");
    QVERIFY2(r.card, r.error.c_str());
}

void TestModelCard::missingFieldIsNamed_data() {
    QTest::addColumn<QString>("field");
    for (const char* f : {"name", "tasks", "input", "input.width", "input.height", "input.mean",
                          "input.std", "depth", "depth.min", "depth.max", "classes", "dropout.train_p"})
        QTest::newRow(f) << QString(f);
}

void TestModelCard::missingFieldIsNamed() {
    QFETCH(QString, field);
    json card = validCard();
    erase(card, field.toStdString());
    CardResult r = parseModelCard(card.dump(), "/models/my.json");
    QVERIFY(!r.card);
    const QString error = QString::fromStdString(r.error);
    QVERIFY2(error.contains("/models/my.json"), r.error.c_str());
    QVERIFY2(error.contains("'" + field + "'") && error.contains("missing"), r.error.c_str());
}

void TestModelCard::wrongValuesAreNamed_data() {
    QTest::addColumn<QString>("path");
    QTest::addColumn<QString>("value");
    QTest::addColumn<QString>("words");
    QTest::newRow("width text") << "input.width" << "\"wide\"" << "'input.width' must be a number";
    QTest::newRow("tiny input") << "input.width" << "2" << "'input.width/height'";
    QTest::newRow("mean of 2") << "input.mean" << "[0.5, 0.5]" << "'input.mean' must be a list of 3";
    QTest::newRow("zero std") << "input.std" << "[0.2, 0, 0.2]" << "'input.std'";
    QTest::newRow("p = 1") << "dropout.train_p" << "1.0" << "'dropout.train_p' must lie in [0, 1)";
    QTest::newRow("scaling") << "dropout.scaling" << "\"linear\"" << "'dropout.scaling' must be \"uniform\" or";
    QTest::newRow("layer rate 1") << "dropout.rates" << R"([{"where": "a", "p": 1.0}])" << "'dropout.rates[0].p' must lie";
    QTest::newRow("layer without place") << "dropout.rates" << R"([{"p": 0.1}])" << "'dropout.rates[0].where' is missing";
    QTest::newRow("colour fractions") << "classes" << R"([{"name": "a", "color": [1.0, 0.5, 0.0]}])"
                                      << "colours as 0–1 fractions? multiply by 255";
    QTest::newRow("colour text") << "classes" << R"([{"name": "a", "color": "#ff0000"}])"
                                 << "'classes[0].color' must be a list of 3 numbers";
    QTest::newRow("colour 12.5") << "classes" << R"([{"name": "a", "color": [12.5, 0, 0]}])"
                                 << "three whole numbers 0–255";
    QTest::newRow("unknown task") << "tasks" << "[\"flow\"]" << "'tasks'";
    QTest::newRow("no task") << "tasks" << "[]" << "at least one task";
    QTest::newRow("empty classes") << "classes" << "[]" << "'classes' must be a non-empty list";
    QTest::newRow("bad loss") << "depth.loss" << "\"huber\"" << "'depth.loss'";
    QTest::newRow("max < min") << "depth.max" << "0.1" << "'depth.min/max'";
    QTest::newRow("name number") << "name" << "3" << "'name' must be a string";
    QTest::newRow("encoder dropout text") << "architecture"
                                          << R"({"type": "uvis-native", "width": 32, "encoder_dropout": "yes"})"
                                          << "'architecture.encoder_dropout' must be true or false";
    QTest::newRow("label map unknown class") << "label_map" << R"({"ids": {"7": "tram"}})"
                                             << "'label_map.ids.7' names no class of this card";
    QTest::newRow("label map bad id") << "label_map" << R"({"ids": {"300": 0}})" << "'label_map.ids.300'";
}

void TestModelCard::wrongValuesAreNamed() {
    QFETCH(QString, path);
    QFETCH(QString, value);
    QFETCH(QString, words);
    json card = validCard();
    json::json_pointer pointer("/" + path.replace('.', '/').toStdString());
    card[pointer] = json::parse(value.toStdString());
    CardResult r = parseModelCard(card.dump(), "x.json");
    QVERIFY(!r.card);
    QVERIFY2(QString::fromStdString(r.error).contains(words), r.error.c_str());
}

void TestModelCard::invalidJsonIsReported() {
    CardResult r = parseModelCard("{\"name\": ", "broken.json");
    QVERIFY(!r.card);
    QVERIFY2(QString::fromStdString(r.error).contains("broken.json: the model card: not valid JSON"),
             r.error.c_str());
    r = parseModelCard("[1, 2]", "list.json");
    QVERIFY(!r.card);
    QVERIFY2(QString::fromStdString(r.error).contains("must be a JSON object"), r.error.c_str());
}

// SPEC §4 "input": {"resize", "multiple_of"}: fixed squeezes every image to the card's
// size; keep_aspect fits it inside; native runs a fully convolutional model at the image's size.
void TestModelCard::inputSizePolicies() {
    json j = validCard();
    j["input"]["resize"] = "native";
    j["input"]["multiple_of"] = 32;
    CardResult r = parseModelCard(j.dump(), "card");
    QVERIFY2(r.card, r.error.c_str());
    QVERIFY(r.card->input.resize == InputSpec::Resize::Native && r.card->input.multipleOf == 32);
    QCOMPARE(modelInputSize(r.card->input, 2048, 1024), std::make_pair(2048, 1024));
    QCOMPARE(modelInputSize(r.card->input, 500, 200), std::make_pair(512, 192));
    QCOMPARE(modelInputSize(r.card->input, 700, 1), std::make_pair(704, 32));  // at least one multiple
    const json again = json::parse(modelCardToJson(*r.card));
    QCOMPARE(again["input"]["resize"].get<std::string>(), std::string("native"));
    QCOMPARE(again["input"]["multiple_of"].get<int>(), 32);

    j["input"]["resize"] = "keep_aspect";
    j["input"]["width"] = 512;
    j["input"]["height"] = 256;
    r = parseModelCard(j.dump(), "card");
    QCOMPARE(modelInputSize(r.card->input, 2048, 1024), std::make_pair(512, 256));
    QCOMPARE(modelInputSize(r.card->input, 1000, 1000), std::make_pair(256, 256));

    r = parseModelCard(validCard().dump(), "card");
    QVERIFY(r.card->input.resize == InputSpec::Resize::Fixed);
    QCOMPARE(modelInputSize(r.card->input, 2048, 1024), std::make_pair(256, 192));

    for (auto [key, value] : std::vector<std::pair<const char*, json>>{
             {"resize", "stretch"}, {"multiple_of", 0}, {"multiple_of", 3.5}, {"multiple_of", 1000}}) {
        json bad = validCard();
        bad["input"][key] = value;
        const CardResult refused = parseModelCard(bad.dump(), "card");
        QVERIFY2(!refused.card && refused.error.find(std::string("input.") + key) != std::string::npos,
                 refused.error.c_str());
    }
}

void TestModelCard::depthKinds() {
    json j = validCard();
    j["depth"]["kind"] = "inverse";
    CardResult r = parseModelCard(j.dump(), "card");
    QVERIFY2(r.card, r.error.c_str());
    QVERIFY(r.card->depthSpec.kind == DepthSpec::Kind::Inverse && r.card->depthSpec.scale == 1.f);
    QCOMPARE(depthKindName(r.card->depthSpec), std::string("inverse depth"));
    QCOMPARE(json::parse(modelCardToJson(*r.card))["depth"]["kind"].get<std::string>(), std::string("inverse"));
    j["depth"]["kind"] = "disparity";  // needs its scale
    r = parseModelCard(j.dump(), "card");
    QVERIFY(!r.card && r.error.find("depth.scale") != std::string::npos);
    j["depth"]["scale"] = 388.2;
    r = parseModelCard(j.dump(), "card");
    QVERIFY(r.card && r.card->depthSpec.kind == DepthSpec::Kind::Disparity);
    j["depth"]["kind"] = "log";
    r = parseModelCard(j.dump(), "card");
    QVERIFY(!r.card && r.error.find("depth.kind") != std::string::npos);
    QVERIFY(parseModelCard(validCard().dump(), "card").card->depthSpec.kind == DepthSpec::Kind::Metric);
}

QTEST_MAIN(TestModelCard)
#include "tst_model_card.moc"
