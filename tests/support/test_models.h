#pragma once
// Fixture models with known outputs, for the engine tests. Torch-free header: the test
// executables compile without LibTorch's headers; the models live in test_models.cpp.

#include <functional>
#include <memory>
#include <vector>

#include "core/types/image.h"
#include "core/model/model_card.h"

namespace uvis {
class Model;
}

namespace uvis::test {

struct ConstantOutputs {
    bool depth = true;
    bool segmentation = true;
    float depthMean = 5.f;
    float depthLogVar = -1.f;
    std::vector<float> logits{2.f, 0.5f, -1.f};
    float logitLogVar = 0.5f;
    int outputDivisor = 1;  // outputs at 1/divisor of the input size (upsampled by the engine)
    DepthSpec::Kind depthKind = DepthSpec::Kind::Metric;  // what depthMean holds (card depth.kind)
    float depthScale = 1.f;
};

// Every pass returns the same constants, whatever p.
std::shared_ptr<Model> makeConstantModel(int width, int height, const ConstantOutputs& outputs);

// Element-wise inverted dropout applied to constants: depth μ = drop(c), logits = drop(l_k).
// Epistemic depth variance per pixel tends to c²p/(1−p).
std::shared_ptr<Model> makeDropoutConstantModel(int width, int height, float c,
                                                std::vector<float> logits);

// Pixel-dependent outputs with noise ∝ p drawn from the pass's generator: depth around 10 m with
// centimetre spread (where float32 sums of squares fail), random logits, logit variance.
std::shared_ptr<Model> makeNoisyModel(int width, int height, int classes);

// Per pass, every output the engine received, flattened row-major [C,H,W] (float32).
struct Recording {
    int decodeCalls = 0;
    std::vector<int> passesPerCall;
    int classes = 0;
    std::vector<std::vector<float>> depthMean, depthLogVar, segLogits, segLogVar;
};

// Passes everything through to `inner` and records it.
std::shared_ptr<Model> makeRecordingModel(std::shared_ptr<Model> inner,
                                          std::shared_ptr<Recording> recording);

// Holds a worker inside a model's decode, so that tests order events by what happened rather than
// by how long things take. decode() waits while the gate is closed unless `released()` says the
// thread should give up (e.g. its QThread was asked to stop).
class Gate {
public:
    explicit Gate(bool open = true, std::function<bool()> released = {});
    void open();
    void close();
    int decodesEntered() const;  // decode calls so far, the one waiting included
    int waiting() const;         // decode calls waiting at the gate now
    void enter();                // called by the gated model

private:
    struct State;
    std::shared_ptr<State> state_;
};

// Passes everything through to `inner`, each decode through `gate` first.
std::shared_ptr<Model> makeGatedModel(std::shared_ptr<Model> inner, std::shared_ptr<Gate> gate);

enum class Fault { MissingOutput, WrongShape, NaN };
// A segmentation + depth model whose outputs break SPEC §1 in the given way.
std::shared_ptr<Model> makeFaultyModel(int width, int height, Fault fault);

// A built-in network with random weights (width 8, 3 classes) under another card (e.g. native size).
std::shared_ptr<Model> makeNativeModelWithCard(int width, int height, const std::function<void(ModelCard&)>& edit);

// Outputs that follow the input pixel by pixel, the same in every pass: depth = 5 + x₀ (x₀ the
// normalised first channel), logits (20·x₀, −20·x₀), logit log variance 0. The card normalises
// with mean 0.5 and std 0.5; `variableSize`: resize "native" (multiple of 1), else fixed.
std::shared_ptr<Model> makeEchoModel(int width, int height, bool variableSize);

// A normalised input of the given size (values do not matter to the fixture models).
ImageTensor blankImage(int width, int height);

}  // namespace uvis::test
