#pragma once
// The model card of SPEC §4: what a model is, what it predicts and how to feed it.

#include <array>
#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace uvis {

struct ClassInfo {
    std::string name;
    std::array<int, 3> color{0, 0, 0};  // RGB
};

struct InputSpec {
    // How an image becomes the model's input (SPEC §4 "input.resize"): squeezed to width × height
    // (fixed), scaled to fit inside it keeping its aspect ratio (keep_aspect), or at its own size
    // (native, for fully convolutional models); the last two rounded to a multiple of multipleOf.
    enum class Resize { Fixed, KeepAspect, Native };
    int width = 0;   // the size of fixed, the bound of keep_aspect, the validation size of all
    int height = 0;
    Resize resize = Resize::Fixed;
    int multipleOf = 1;
    std::array<float, 3> mean{0.f, 0.f, 0.f};
    std::array<float, 3> std{1.f, 1.f, 1.f};
};

// The model's input size for an image of imageWidth × imageHeight under `spec`.
std::pair<int, int> modelInputSize(const InputSpec& spec, int imageWidth, int imageHeight);

struct DepthSpec {
    std::string unit = "m";
    float min = 0.f;
    float max = 0.f;
    std::string loss = "gaussian";  // or "laplace"
    // What depth_mean holds (SPEC §4 "depth.kind"): metres, or scale / depth (inverse depth with
    // scale 1 by default; disparity in pixels with scale = baseline × focal length in m·px).
    // uvis converts every pass to metres before any statistic (depth = scale / x).
    enum class Kind { Metric, Inverse, Disparity };
    Kind kind = Kind::Metric;
    float scale = 1.f;
};

// "inverse depth", "disparity"; empty for metric depth.
std::string depthKindName(const DepthSpec& spec);

// The architecture of the built-in network (absent for TorchScript models).
struct NativeArchitecture {
    int width = 32;  // channels of the first encoder stage
    bool encoderDropout = false;  // "encoder_dropout": dropout on the 1/8 encoder features too
};

// SPEC §4 "label_map": how a data set's label ids become the model's classes, for index label
// files whose ids are not the model's (Cityscapes' labelIds, say). Ids not listed are ignored.
struct LabelMap {
    std::string dataset;     // "cityscapes": what the ids are, for messages
    std::map<int, int> ids;  // data-set id (0–254) → model class index
    bool empty() const { return ids.empty(); }
};

// One dropout layer of an exported model as its card records it (SPEC §4 "dropout.rates").
struct DropoutSite {
    std::string where;        // "decoder.drop (Dropout2d)", "head: F.dropout"
    std::optional<double> p;  // the trained rate; absent when the model computes it at run time
};

// How the run-time rate p reaches a model's dropout layers (SPEC §4 "dropout.scaling").
enum class DropoutScaling {
    Uniform,       // every layer at p (the built-in network, and one-rate exports)
    Proportional,  // each layer at min(p_i · p / train_p, 0.95): p = train_p runs each as trained
};

struct ModelCard {
    std::string name;
    std::string version;
    std::string description;
    bool depth = false;         // "depth" in tasks
    bool segmentation = false;  // "segmentation" in tasks
    InputSpec input;
    DepthSpec depthSpec;
    std::vector<ClassInfo> classes;
    LabelMap labelMap;
    // "dropout" is optional: a card without it describes a deterministic model, for which the
    // sampling methods that do not need dropout (test-time augmentation, ensembles) apply.
    bool hasDropout = true;
    double trainDropout = 0.0;  // dropout.train_p: the largest trained rate ("as trained")
    DropoutScaling dropoutScaling = DropoutScaling::Uniform;
    std::vector<DropoutSite> dropoutRates;  // dropout.rates, empty when the card lists none
    std::optional<float> depthLogVar;  // task_uncertainty.depth_log_var
    std::optional<float> segLogVar;    // task_uncertainty.seg_log_var
    std::optional<NativeArchitecture> native;
    int members = 1;  // K of a deep ensemble (model_ensemble.h), 1 for one model; not in the JSON
    std::string weightsSha256;  // "weights_sha256" of a .uvis archive (64 hex digits), empty if absent
    std::string json;  // the card as read, unknown fields included (for hashing and display)
};

struct CardResult {
    std::optional<ModelCard> card;
    std::string error;  // plain words naming the source and the field
};

// Parses and validates a card. `source` names where the text came from, for messages.
CardResult parseModelCard(const std::string& text, const std::string& source);

// "uvis-street-demo (version 1)", or the name alone without a version: wherever a model is named
// to a user (a bare "name 1" reads as one name).
std::string modelNameAndVersion(const ModelCard& card);

// "0.1 (enc.2 (Dropout2d)), 0.5 (late (Dropout))": the trained rates, for a tooltip or a report;
// "0.2" for a card with one rate, "none (deterministic model)" without dropout.
std::string trainedRatesText(const ModelCard& card);

// Serialises a card (the original JSON with the known fields updated).
std::string modelCardToJson(const ModelCard& card);

}  // namespace uvis
