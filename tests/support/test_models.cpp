#include "test_models.h"

#include <chrono>
#include <condition_variable>
#include <mutex>

#include "core/model/internal/model.h"
#include "core/model/model_loader.h"
#include "core/model/internal/native_network.h"

namespace uvis::test {
namespace {

ModelCard fixtureCard(int width, int height, bool depth, int classes) {
    ModelCard card;
    card.name = "fixture";
    card.depth = depth;
    card.segmentation = classes > 0;
    card.input.width = width;
    card.input.height = height;
    card.depthSpec = DepthSpec{"m", 0.1f, 100.f, "gaussian"};
    for (int k = 0; k < classes; ++k) card.classes.push_back({"c" + std::to_string(k), {k, k, k}});
    card.trainDropout = 0.2;
    return card;
}

// Shared plumbing: the fixtures ignore the encoder (identity) and keep everything on the CPU.
class FixtureModel : public Model {
public:
    explicit FixtureModel(ModelCard card) : card_(std::move(card)) {}
    const ModelCard& card() const override { return card_; }
    torch::Device device() const override { return torch::kCPU; }
    void moveTo(torch::Device) override {}
    std::vector<torch::Tensor> encode(const torch::Tensor& image) override { return {image}; }

protected:
    ModelCard card_;
};

class ConstantModel : public FixtureModel {
public:
    ConstantModel(int w, int h, ConstantOutputs o)
        : FixtureModel(fixtureCard(w, h, o.depth, o.segmentation ? int(o.logits.size()) : 0)),
          o_(std::move(o)) {
        card_.depthSpec.kind = o_.depthKind;
        card_.depthSpec.scale = o_.depthScale;
    }

    ModelOutputs decode(const std::vector<torch::Tensor>&, double, int64_t passes,
                        at::Generator&) override {
        const int64_t h = card_.input.height / o_.outputDivisor, w = card_.input.width / o_.outputDivisor;
        ModelOutputs out;
        if (o_.depth) {
            out.depthMean = torch::full({passes, 1, h, w}, o_.depthMean);
            out.depthLogVar = torch::full({passes, 1, h, w}, o_.depthLogVar);
        }
        if (o_.segmentation) {
            const int64_t K = static_cast<int64_t>(o_.logits.size());
            out.segLogits = torch::tensor(o_.logits).view({1, K, 1, 1}).expand({passes, K, h, w}).clone();
            out.segLogVar = torch::full({passes, 1, h, w}, o_.logitLogVar);
        }
        return out;
    }

private:
    ConstantOutputs o_;
};

// Inverted element-wise dropout of `value`, the mask drawn from the request's generator.
torch::Tensor dropConstant(torch::IntArrayRef shapeOnePass, const torch::Tensor& value, double p,
                           at::Generator& rng) {
    auto x = value.expand(shapeOnePass).clone();
    if (p > 0) x = x * torch::empty(shapeOnePass).bernoulli_(1.0 - p, rng) / (1.0 - p);
    return x;
}

class DropoutConstantModel : public FixtureModel {
public:
    DropoutConstantModel(int w, int h, float c, std::vector<float> logits)
        : FixtureModel(fixtureCard(w, h, true, int(logits.size()))), c_(c), logits_(std::move(logits)) {}

    ModelOutputs decode(const std::vector<torch::Tensor>&, double p, int64_t passes,
                        at::Generator& rng) override {
        const int64_t h = card_.input.height, w = card_.input.width;
        const int64_t K = static_cast<int64_t>(logits_.size());
        std::vector<torch::Tensor> mu, f;
        for (int64_t t = 0; t < passes; ++t) {  // pass-major, as the Model contract asks
            mu.push_back(dropConstant({1, 1, h, w}, torch::tensor(c_), p, rng));
            f.push_back(dropConstant({1, K, h, w}, torch::tensor(logits_).view({1, K, 1, 1}), p, rng));
        }
        ModelOutputs out;
        out.depthMean = torch::cat(mu);
        out.depthLogVar = torch::zeros({passes, 1, h, w});
        out.segLogits = torch::cat(f);
        return out;
    }

private:
    float c_;
    std::vector<float> logits_;
};

class NoisyModel : public FixtureModel {
public:
    NoisyModel(int w, int h, int classes) : FixtureModel(fixtureCard(w, h, true, classes)) {
        torch::manual_seed(11);
        depthBase_ = 10.0 + 0.3 * torch::rand({1, 1, h, w});
        logitBase_ = torch::randn({1, classes, h, w});
    }

    ModelOutputs decode(const std::vector<torch::Tensor>&, double p, int64_t passes,
                        at::Generator& rng) override {
        std::vector<torch::Tensor> mu, s, f, v;
        for (int64_t t = 0; t < passes; ++t) {
            mu.push_back(depthBase_ + p * 0.05 * torch::randn(depthBase_.sizes(), rng));
            s.push_back(-2.0 + p * torch::randn(depthBase_.sizes(), rng));
            f.push_back(logitBase_ + p * 4.0 * torch::randn(logitBase_.sizes(), rng));
            v.push_back(-1.0 + p * torch::randn(logitBase_.sizes(), rng));
        }
        return {torch::cat(mu), torch::cat(s), torch::cat(f), torch::cat(v)};
    }

private:
    torch::Tensor depthBase_, logitBase_;
};

std::vector<float> toFloats(const torch::Tensor& t) {
    auto c = t.to(torch::kFloat32).contiguous();
    return {c.data_ptr<float>(), c.data_ptr<float>() + c.numel()};
}

class RecordingModel : public Model {
public:
    RecordingModel(std::shared_ptr<Model> inner, std::shared_ptr<Recording> rec)
        : inner_(std::move(inner)), rec_(std::move(rec)) {
        rec_->classes = static_cast<int>(inner_->card().classes.size());
    }
    const ModelCard& card() const override { return inner_->card(); }
    torch::Device device() const override { return inner_->device(); }
    void moveTo(torch::Device d) override { inner_->moveTo(d); }
    std::vector<torch::Tensor> encode(const torch::Tensor& image) override { return inner_->encode(image); }

    ModelOutputs decode(const std::vector<torch::Tensor>& f, double p, int64_t passes,
                        at::Generator& rng) override {
        ModelOutputs out = inner_->decode(f, p, passes, rng);
        rec_->decodeCalls++;
        rec_->passesPerCall.push_back(static_cast<int>(passes));
        for (int64_t t = 0; t < passes; ++t) {
            if (out.depthMean.defined()) rec_->depthMean.push_back(toFloats(out.depthMean[t]));
            if (out.depthLogVar.defined()) rec_->depthLogVar.push_back(toFloats(out.depthLogVar[t]));
            if (out.segLogits.defined()) rec_->segLogits.push_back(toFloats(out.segLogits[t]));
            if (out.segLogVar.defined()) rec_->segLogVar.push_back(toFloats(out.segLogVar[t]));
        }
        return out;
    }

private:
    std::shared_ptr<Model> inner_;
    std::shared_ptr<Recording> rec_;
};

class GatedModel : public Model {
public:
    GatedModel(std::shared_ptr<Model> inner, std::shared_ptr<Gate> gate) : inner_(std::move(inner)), gate_(std::move(gate)) {}
    const ModelCard& card() const override { return inner_->card(); }
    torch::Device device() const override { return inner_->device(); }
    void moveTo(torch::Device d) override { inner_->moveTo(d); }
    std::vector<torch::Tensor> encode(const torch::Tensor& image) override { return inner_->encode(image); }
    ModelOutputs decode(const std::vector<torch::Tensor>& f, double p, int64_t passes, at::Generator& rng) override {
        gate_->enter();
        return inner_->decode(f, p, passes, rng);
    }

private:
    std::shared_ptr<Model> inner_;
    std::shared_ptr<Gate> gate_;
};

class FaultyModel : public ConstantModel {
public:
    FaultyModel(int w, int h, Fault fault) : ConstantModel(w, h, ConstantOutputs{}), fault_(fault) {}
    ModelOutputs decode(const std::vector<torch::Tensor>& f, double p, int64_t passes,
                        at::Generator& rng) override {
        ModelOutputs out = ConstantModel::decode(f, p, passes, rng);
        switch (fault_) {
            case Fault::MissingOutput: out.depthMean = torch::Tensor(); break;  // required (depth_logvar is optional)
            case Fault::WrongShape: out.segLogits = out.segLogits.narrow(1, 0, 2).contiguous(); break;
            case Fault::NaN: out.depthMean[0][0][0][0] = std::nanf(""); break;
        }
        return out;
    }

private:
    Fault fault_;
};

class EchoModel : public FixtureModel {
public:
    EchoModel(int w, int h, bool variable) : FixtureModel(fixtureCard(w, h, true, 2)) {
        card_.input.mean = {0.5f, 0.5f, 0.5f};
        card_.input.std = {0.5f, 0.5f, 0.5f};
        if (variable) card_.input.resize = InputSpec::Resize::Native;
    }
    ModelOutputs decode(const std::vector<torch::Tensor>& features, double, int64_t passes,
                        at::Generator&) override {
        const auto x0 = features[0].narrow(1, 0, 1).expand({passes, 1, -1, -1});
        ModelOutputs out;
        out.depthMean = 5.0 + x0;
        out.depthLogVar = torch::zeros_like(x0);
        out.segLogits = torch::cat({20.0 * x0, -20.0 * x0}, 1);
        out.segLogVar = torch::zeros_like(x0);
        return out;
    }
};

}  // namespace

std::shared_ptr<Model> makeEchoModel(int w, int h, bool variableSize) {
    return std::make_shared<EchoModel>(w, h, variableSize);
}

std::shared_ptr<Model> makeConstantModel(int w, int h, const ConstantOutputs& o) {
    return std::make_shared<ConstantModel>(w, h, o);
}
std::shared_ptr<Model> makeDropoutConstantModel(int w, int h, float c, std::vector<float> logits) {
    return std::make_shared<DropoutConstantModel>(w, h, c, std::move(logits));
}
std::shared_ptr<Model> makeNoisyModel(int w, int h, int classes) {
    return std::make_shared<NoisyModel>(w, h, classes);
}
std::shared_ptr<Model> makeRecordingModel(std::shared_ptr<Model> inner,
                                          std::shared_ptr<Recording> recording) {
    return std::make_shared<RecordingModel>(std::move(inner), std::move(recording));
}
struct Gate::State {
    mutable std::mutex mutex;
    std::condition_variable changed;
    bool open = true;
    int entered = 0;
    int waiting = 0;
    std::function<bool()> released;
};

Gate::Gate(bool open, std::function<bool()> released) : state_(std::make_shared<State>()) {
    state_->open = open;
    state_->released = std::move(released);
}

void Gate::open() {
    std::lock_guard<std::mutex> lock(state_->mutex);
    state_->open = true;
    state_->changed.notify_all();
}

void Gate::close() {
    std::lock_guard<std::mutex> lock(state_->mutex);
    state_->open = false;
}

int Gate::decodesEntered() const {
    std::lock_guard<std::mutex> lock(state_->mutex);
    return state_->entered;
}

int Gate::waiting() const {
    std::lock_guard<std::mutex> lock(state_->mutex);
    return state_->waiting;
}

void Gate::enter() {
    std::unique_lock<std::mutex> lock(state_->mutex);
    ++state_->entered;
    ++state_->waiting;
    // `released` is another thread's flag that nothing here is notified of: look again now and
    // then (a poll, not a time limit: nothing is asserted about how long this takes).
    while (!state_->open && !(state_->released && state_->released()))
        state_->changed.wait_for(lock, std::chrono::milliseconds(5));
    --state_->waiting;
}

std::shared_ptr<Model> makeGatedModel(std::shared_ptr<Model> inner, std::shared_ptr<Gate> gate) {
    return std::make_shared<GatedModel>(std::move(inner), std::move(gate));
}

std::shared_ptr<Model> makeFaultyModel(int w, int h, Fault fault) {
    return std::make_shared<FaultyModel>(w, h, fault);
}

ImageTensor blankImage(int width, int height) {
    ImageTensor image;
    image.channels = 3;
    image.height = height;
    image.width = width;
    image.values.assign(static_cast<size_t>(3) * width * height, 0.f);
    return image;
}

std::shared_ptr<Model> makeNativeModelWithCard(int width, int height, const std::function<void(ModelCard&)>& edit) {
    auto model = std::static_pointer_cast<NativeModel>(createRandomNativeModel(8, 3, width, height, 1));
    ModelCard card = model->card();
    edit(card);
    return std::make_shared<NativeModel>(model->network(), card);
}

}  // namespace uvis::test
