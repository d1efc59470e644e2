#include "core/engine/internal/pass_sampler.h"

#include <cmath>
#include <stdexcept>

#include "core/model/internal/model_ensemble.h"

namespace uvis {
namespace {

// Outputs smaller than the input are upsampled bilinearly (SPEC §1: logits, means, variances;
// class ids are never interpolated because none are produced per pass). Outputs of one size go
// through one interpolate call: single-channel calls parallelise poorly on the CPU.
void upsampleTo(ModelOutputs& out, int64_t h, int64_t w) {
    std::vector<torch::Tensor*> parts;
    for (torch::Tensor* t : {&out.depthMean, &out.depthLogVar, &out.segLogits, &out.segLogVar})
        if (t->defined() && (t->size(2) != h || t->size(3) != w)) parts.push_back(t);
    while (!parts.empty()) {
        std::vector<torch::Tensor*> group, rest;
        for (torch::Tensor* t : parts)
            (t->sizes().slice(2) == parts.front()->sizes().slice(2) ? group : rest).push_back(t);
        std::vector<torch::Tensor> inputs;
        for (torch::Tensor* t : group) inputs.push_back(*t);
        auto upsampled = resizeBilinear(inputs.size() == 1 ? inputs[0] : torch::cat(inputs, 1), h, w);
        int64_t channel = 0;
        for (torch::Tensor* t : group) {
            const int64_t c = t->size(1);
            *t = upsampled.narrow(1, channel, c);
            channel += c;
        }
        parts = rest;
    }
}

// Chunks of passes stacked along the batch dimension, output by output.
ModelOutputs concat(const std::vector<ModelOutputs>& parts) {
    if (parts.size() == 1) return parts.front();
    auto join = [&](torch::Tensor ModelOutputs::*field) {
        std::vector<torch::Tensor> list;
        for (const ModelOutputs& p : parts)
            if ((p.*field).defined()) list.push_back(p.*field);
        if (!list.empty() && list.size() != parts.size())
            throw std::runtime_error("the ensemble's members differ in their outputs (one predicts a variance "
                                     "another does not): they cannot be pooled");
        return list.empty() ? torch::Tensor() : torch::cat(list, 0);
    };
    return {join(&ModelOutputs::depthMean), join(&ModelOutputs::depthLogVar), join(&ModelOutputs::segLogits),
            join(&ModelOutputs::segLogVar)};
}

// The generator of member k: member 0 draws what `mc` would draw with that model and seed.
at::Generator memberGenerator(std::uint64_t seed, int k) {
    return at::detail::createCPUGenerator(seed + static_cast<std::uint64_t>(k) * 0x9E3779B97F4A7C15ull);
}

class DropoutSampler : public PassSampler {
public:
    DropoutSampler(Model& model, const torch::Tensor& input, const SamplingSettings& s)
        : model_(model), features_(model.encode(input)), p_(s.dropout), total_(s.samples),
          rng_(memberGenerator(s.seed, 0)), h_(input.size(2)), w_(input.size(3)) {}
    int total() const override { return total_; }
    ModelOutputs next(int64_t count) override {
        ModelOutputs out = model_.decode(features_, p_, count, rng_);
        prepareOutputs(model_.card(), out, count, h_, w_);
        return out;
    }

private:
    Model& model_;
    std::vector<torch::Tensor> features_;
    double p_;
    int total_;
    at::Generator rng_;
    int64_t h_, w_;
};

// K members, `perMember` passes each, each member with its own generator (so the samples do not
// depend on chunking or order). All members in memory: round-robin, so that every partial result
// weighs the members alike. Some streamed: member after member, each loaded once per request.
class EnsembleSampler : public PassSampler {
public:
    EnsembleSampler(ModelEnsemble& ensemble, const torch::Tensor& input, const SamplingSettings& s)
        : ensemble_(ensemble), input_(input), p_(s.method == UncertaintyMethod::Ensemble ? 0.0 : s.dropout),
          perMember_(s.method == UncertaintyMethod::Ensemble ? 1 : s.samples), h_(input.size(2)), w_(input.size(3)) {
        const int K = ensemble.size();
        members_.resize(K);
        for (int k = 0; k < K; ++k) {
            members_[k].rng = memberGenerator(s.seed, k);
            roundRobin_ = roundRobin_ && ensemble.resident(k);
        }
        if (roundRobin_)  // encoded up front: the encoder time is reported as such
            for (int k = 0; k < K; ++k) open(k);
    }
    int total() const override { return ensemble_.size() * perMember_; }

    ModelOutputs next(int64_t count) override {
        const int K = ensemble_.size();
        std::vector<int64_t> passes(K, 0);
        for (int64_t t = done_; t < done_ + count; ++t) ++passes[roundRobin_ ? t % K : t / perMember_];
        done_ += count;
        std::vector<ModelOutputs> parts;
        for (int k = 0; k < K; ++k) {
            if (passes[k] == 0) continue;
            Member& m = open(k);
            ModelOutputs out = m.model->decode(m.features, p_, passes[k], m.rng);
            prepareOutputs(m.model->card(), out, passes[k], h_, w_);
            parts.push_back(std::move(out));
            m.done += passes[k];
            if (!roundRobin_ && m.done == perMember_) m = Member{nullptr, {}, m.rng, m.done};  // drop it
        }
        return concat(parts);
    }

private:
    struct Member {
        std::shared_ptr<Model> model;
        std::vector<torch::Tensor> features;
        at::Generator rng;
        int64_t done = 0;
    };
    Member& open(int k) {
        Member& m = members_[k];
        if (!m.model) {
            m.model = ensemble_.member(k);
            m.model->moveTo(ensemble_.device());
            m.features = m.model->encode(input_);
        }
        return m;
    }

    ModelEnsemble& ensemble_;
    torch::Tensor input_;
    double p_;
    int perMember_;
    int64_t h_, w_;
    bool roundRobin_ = true;
    int64_t done_ = 0;
    std::vector<Member> members_;
};

class TtaSampler : public PassSampler {
public:
    TtaSampler(Model& model, const torch::Tensor& input, const SamplingSettings& s)
        : model_(model), input_(input), p_(s.dropout), total_(s.samples), rng_(memberGenerator(s.seed, 0)),
          augRng_(at::detail::createCPUGenerator(s.seed ^ 0x5851F42D4C957F2Dull)) {
        const InputSpec& in = model.card().input;
        variable_ = in.resize != InputSpec::Resize::Fixed;
        multiple_ = std::max(1, in.multipleOf);
        auto options = torch::TensorOptions().dtype(torch::kFloat32).device(input.device());
        mean_ = torch::tensor(std::vector<float>(in.mean.begin(), in.mean.end()), options).view({1, 3, 1, 1});
        std_ = torch::tensor(std::vector<float>(in.std.begin(), in.std.end()), options).view({1, 3, 1, 1});
    }
    int total() const override { return total_; }

    ModelOutputs next(int64_t count) override {
        const int64_t H = input_.size(2), W = input_.size(3);
        std::vector<ModelOutputs> parts;
        for (int64_t i = 0; i < count; ++i, ++done_) {
            const Augmentation a = drawAugmentation(done_, variable_, augRng_);
            torch::Tensor x = input_;
            if (a.contrast != 1.0 || a.brightness != 1.0) {
                auto raw = x * std_ + mean_;
                const auto gray = raw.mean();
                raw = (((raw - gray) * a.contrast + gray) * a.brightness).clamp(0.0, 1.0);
                x = (raw - mean_) / std_;
            }
            if (a.flip) x = x.flip({3});
            const int64_t h = sideAt(H, a.scale), w = sideAt(W, a.scale);
            if (h != H || w != W) x = resizeBilinear(x, h, w);
            ModelOutputs out = model_.decode(model_.encode(x), p_, 1, rng_);
            prepareOutputs(model_.card(), out, 1, h, w);
            // g⁻¹: back to the image's size, then un-flipped; means, variances and logits only.
            for (torch::Tensor* t : {&out.depthMean, &out.depthLogVar, &out.segLogits, &out.segLogVar}) {
                if (!t->defined()) continue;
                if (h != H || w != W) *t = resizeBilinear(*t, H, W);
                if (a.flip) *t = t->flip({3});
            }
            parts.push_back(std::move(out));
        }
        return concat(parts);
    }

private:
    int64_t sideAt(int64_t side, double scale) const {
        const int64_t scaled = std::llround(side * scale / multiple_) * multiple_;
        return std::max<int64_t>(multiple_, scaled);
    }

    Model& model_;
    torch::Tensor input_;
    double p_;
    int total_;
    at::Generator rng_, augRng_;
    bool variable_ = false;
    int multiple_ = 1;
    torch::Tensor mean_, std_;
    int64_t done_ = 0;
};

}  // namespace

void prepareOutputs(const ModelCard& card, ModelOutputs& out, int64_t passes, int64_t h, int64_t w) {
    // Checked at the model's resolution, before upsampling: 16× less to scan.
    if (std::string problem = checkModelOutputs(card, out, passes, h, w); !problem.empty())
        throw std::runtime_error(problem);
    toMetricDepth(card.depthSpec, out);
    upsampleTo(out, h, w);
}

Augmentation drawAugmentation(int64_t t, bool variableSize, at::Generator& rng) {
    Augmentation a;
    if (t == 0) return a;
    a.flip = t % 2 == 1;
    if (t == 1) return a;
    const auto u = torch::rand({3}, rng, torch::kFloat64);  // drawn for every pass: same stream for every model
    a.scale = variableSize ? 0.75 + 0.5 * u[0].item<double>() : 1.0;
    a.contrast = 0.9 + 0.2 * u[1].item<double>();
    a.brightness = 0.9 + 0.2 * u[2].item<double>();
    return a;
}

std::unique_ptr<PassSampler> makePassSampler(Model& model, const torch::Tensor& input, const SamplingSettings& s) {
    switch (s.method) {
        case UncertaintyMethod::Ensemble:
        case UncertaintyMethod::EnsembleMc: {
            auto* ensemble = dynamic_cast<ModelEnsemble*>(&model);
            if (!ensemble)
                throw std::runtime_error(std::string("the method '") + methodName(s.method) + "' needs a deep ensemble: open an "
                                         "ensemble card or a folder of member models instead of the single model '" +
                                         model.card().name + "'");
            return std::make_unique<EnsembleSampler>(*ensemble, input, s);
        }
        case UncertaintyMethod::Tta: return std::make_unique<TtaSampler>(model, input, s);
        case UncertaintyMethod::McDropout: break;
    }
    return std::make_unique<DropoutSampler>(model, input, s);
}

}  // namespace uvis
