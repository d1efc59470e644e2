#include "core/model/internal/native_network.h"
#include "core/runtime/exception_text.h"

#include "core/model/internal/weights_digest.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <filesystem>

namespace uvis {
namespace {

namespace nn = torch::nn;

struct ConvSpec {
    int in, out, kernel, stride;
};

// A stage of Conv (no bias: BatchNorm follows) + BatchNorm + ReLU layers. LibTorch cannot nest
// Sequentials, so each stage is one flat Sequential.
nn::Sequential convBnRelu(std::initializer_list<ConvSpec> convs) {
    nn::Sequential stage;
    for (const ConvSpec& c : convs) {
        stage->push_back(nn::Conv2d(
            nn::Conv2dOptions(c.in, c.out, c.kernel).stride(c.stride).padding(c.kernel / 2).bias(false)));
        stage->push_back(nn::BatchNorm2d(c.out));
        stage->push_back(nn::ReLU(nn::ReLUOptions().inplace(true)));
    }
    return stage;
}

torch::Tensor upsampleTo(const torch::Tensor& x, const torch::Tensor& like) {
    return resizeBilinear(x, like.size(2), like.size(3));
}

// Repeats a [1,C,h,w] feature `passes` times along the batch (a view: no copy).
torch::Tensor repeatPasses(const torch::Tensor& feature, int64_t passes) {
    return feature.size(0) == passes ? feature : feature.expand({passes, -1, -1, -1});
}

// Channels-last (NHWC) convolutions are 1.3–1.5× faster through oneDNN here (uvis-bench).
void useChannelsLast(torch::nn::Module& module) {
    torch::NoGradGuard noGrad;
    for (auto& p : module.parameters())
        if (p.dim() == 4) p.set_data(p.contiguous(torch::MemoryFormat::ChannelsLast));
}

}  // namespace

std::vector<double> NativeNetworkOptions::ratesAt(double p) const {
    const size_t sites = encoderDropout ? 3 : 2;
    if (siteRates.size() != sites) return std::vector<double>(sites, p);
    const double largest = *std::max_element(siteRates.begin(), siteRates.end());
    std::vector<double> rates;
    for (double rate : siteRates) rates.push_back(largest > 0 ? std::min(rate * p / largest, 0.95) : 0.0);
    return rates;
}

std::vector<std::string> nativeDropoutSites(bool encoderDropout) {
    std::vector<std::string> sites;
    if (encoderDropout) sites.push_back("encoder 1/8 features (channel dropout)");
    sites.push_back("bottleneck 1/16 (channel dropout)");
    sites.push_back("skip 1/8 (channel dropout)");
    return sites;
}

void listSiteRates(ModelCard& card, bool encoderDropout, const std::vector<double>& rates) {
    const std::vector<std::string> sites = nativeDropoutSites(encoderDropout);
    if (rates.size() != sites.size()) return;
    card.dropoutScaling = DropoutScaling::Proportional;
    card.dropoutRates.clear();
    for (size_t i = 0; i < sites.size(); ++i) card.dropoutRates.push_back({sites[i], rates[i]});
    card.trainDropout = *std::max_element(rates.begin(), rates.end());
}

NativeNetworkImpl::NativeNetworkImpl(const NativeNetworkOptions& options) : options_(options) {
    const int w = options.width;
    enc1 = register_module("enc1", convBnRelu({{3, w, 3, 2}}));
    enc2 = register_module("enc2", convBnRelu({{w, 2 * w, 3, 2}, {2 * w, 2 * w, 3, 1}}));
    enc3 = register_module("enc3", convBnRelu({{2 * w, 4 * w, 3, 2}, {4 * w, 4 * w, 3, 1}}));
    enc4 = register_module("enc4", convBnRelu({{4 * w, 8 * w, 3, 2}, {8 * w, 8 * w, 3, 1}}));
    center = register_module("center", convBnRelu({{8 * w, 4 * w, 3, 1}}));
    up8 = register_module("up8", convBnRelu({{8 * w, 2 * w, 1, 1}, {2 * w, 2 * w, 3, 1}}));
    up4 = register_module("up4", convBnRelu({{4 * w, w, 1, 1}, {w, w, 3, 1}}));
    if (options.depth) {
        depthHead = register_module("depth_head", nn::Conv2d(nn::Conv2dOptions(w, 2, 1)));
        torch::NoGradGuard noGrad;
        depthHead->bias[0].fill_(std::log(options.initialDepth));  // μ = exp(raw) starts here
        depthHead->bias[1].fill_(0.0);
    }
    if (options.segmentation)
        segHead = register_module("seg_head", nn::Conv2d(nn::Conv2dOptions(w, options.classes + 1, 1)));
}

std::vector<torch::Tensor> NativeNetworkImpl::encode(const torch::Tensor& image) {
    auto x2 = enc2->forward(enc1->forward(image.contiguous(torch::MemoryFormat::ChannelsLast)));  // 1/4
    auto x3 = enc3->forward(x2);                     // 1/8
    if (options_.encoderDropout) return {x2, x3};   // enc4 runs per pass, after dropout
    auto x4 = enc4->forward(x3);                     // 1/16
    return {x2, x3, x4};
}

ModelOutputs NativeNetworkImpl::decode(const std::vector<torch::Tensor>& features, double p,
                                       int64_t passes, at::Generator* rng) {
    return decodeWith(features, p, passes, rng, nullptr);
}

ModelOutputs NativeNetworkImpl::decodeWith(const std::vector<torch::Tensor>& features, double p, int64_t passes,
                                           at::Generator* rng, const SiteDropout* drop) {
    const bool encoderDropout = options_.encoderDropout;
    TORCH_CHECK(features.size() == (encoderDropout ? 2u : 3u), "the native network expects ",
                encoderDropout ? 2 : 3, " encoded features");
    const bool stochastic = rng != nullptr && p > 0.0;
    const auto device = features[1].device();
    const int64_t skip8 = features[1].size(1), bottleneck = 2 * skip8;
    // Masks for every dropout layer, drawn pass by pass (pass-major) so that chunking does not
    // change the samples: pass t takes the t-th mask of each layer.
    torch::Tensor maskEnc, mask16, mask8;
    if (stochastic) {
        const std::vector<double> rates = options_.ratesAt(p);  // encoder (if any), bottleneck, skip
        const double pEnc = encoderDropout ? rates[0] : 0.0, p16 = rates[encoderDropout ? 1 : 0], p8 = rates.back();
        std::vector<torch::Tensor> mEnc, m16, m8;
        for (int64_t t = 0; t < passes; ++t) {
            if (encoderDropout) mEnc.push_back(spatialDropoutMask(1, skip8, pEnc, *rng, device));
            m16.push_back(spatialDropoutMask(1, bottleneck, p16, *rng, device));
            m8.push_back(spatialDropoutMask(1, skip8 * 2, p8, *rng, device));
        }
        if (encoderDropout) maskEnc = torch::cat(mEnc, 0);
        mask16 = torch::cat(m16, 0);
        mask8 = torch::cat(m8, 0);
    }
    // Site `site` (its index in nativeDropoutSites) dropped: by `drop` when training with
    // concrete dropout, else by its Bernoulli mask.
    const size_t first = encoderDropout ? 1 : 0;
    auto dropped = [&](size_t site, const torch::Tensor& x, const torch::Tensor& mask) {
        if (drop) return (*drop)(site, x);
        return stochastic ? x * mask : x;
    };
    torch::Tensor x;
    if (encoderDropout) {
        x = dropped(0, repeatPasses(features[1], passes), maskEnc);
        x = enc4->forward(x);
    } else {
        x = repeatPasses(features[2], passes);
    }
    x = dropped(first, x, mask16);
    x = center->forward(x);
    x = torch::cat({upsampleTo(x, features[1]), repeatPasses(features[1], passes)}, 1);
    x = dropped(first + 1, x, mask8);
    x = up8->forward(x);
    x = torch::cat({upsampleTo(x, features[0]), repeatPasses(features[0], passes)}, 1);
    x = up4->forward(x);

    ModelOutputs out;
    if (options_.depth) {
        auto d = depthHead->forward(x);
        // Log-depth parameterisation keeps μ positive; the clamps only guard exp() against inf.
        out.depthMean = torch::exp(d.narrow(1, 0, 1).clamp(-7.0, 9.0));
        out.depthLogVar = d.narrow(1, 1, 1).clamp(-20.0, 20.0);
    }
    if (options_.segmentation) {
        auto s = segHead->forward(x);
        out.segLogits = s.narrow(1, 0, options_.classes);
        out.segLogVar = s.narrow(1, options_.classes, 1).clamp(-20.0, 20.0);
    }
    return out;
}

ModelOutputs NativeNetworkImpl::forward(const torch::Tensor& image, double p, at::Generator* rng) {
    return decode(encode(image), p, image.size(0), rng);
}

ModelOutputs NativeNetworkImpl::forward(const torch::Tensor& image, const SiteDropout& drop) {
    return decodeWith(encode(image), 0.0, image.size(0), nullptr, &drop);
}

namespace {
torch::Tensor firstConvWeight(torch::nn::Sequential stage) { return stage[0]->as<torch::nn::Conv2d>()->weight; }
}  // namespace

std::vector<torch::Tensor> NativeNetworkImpl::weightsAfterSites() const {
    std::vector<torch::Tensor> weights;
    if (options_.encoderDropout) weights.push_back(firstConvWeight(enc4));
    weights.push_back(firstConvWeight(center));
    weights.push_back(firstConvWeight(up8));
    return weights;
}

std::vector<int64_t> NativeNetworkImpl::siteChannels() const {
    const int64_t w = options_.width;
    std::vector<int64_t> channels;
    if (options_.encoderDropout) channels.push_back(4 * w);  // enc3's output
    channels.push_back(8 * w);  // the 1/16 bottleneck
    channels.push_back(8 * w);  // the 1/8 concatenation: center's 4w upsampled and enc3's 4w
    return channels;
}

NativeModel::NativeModel(NativeNetwork network, ModelCard card)
    : network_(std::move(network)), card_(std::move(card)) {
    // BatchNorm uses its running statistics while dropout samples (dropout is explicit).
    network_->eval();
    useChannelsLast(*network_);
    for (const auto& p : network_->parameters()) device_ = p.device();
}

void NativeModel::moveTo(torch::Device device) {
    if (device == device_) return;
    network_->to(device);
    useChannelsLast(*network_);
    device_ = device;
}

std::vector<torch::Tensor> NativeModel::encode(const torch::Tensor& image) {
    return network_->encode(image);
}

ModelOutputs NativeModel::decode(const std::vector<torch::Tensor>& features, double p,
                                 int64_t passes, at::Generator& rng) {
    return network_->decode(features, p, passes, &rng);
}

ModelCard nativeModelCard(const NativeNetworkOptions& options, int inputWidth, int inputHeight,
                          double trainDropout) {
    ModelCard card;
    card.name = "uvis-native";
    card.version = "0";
    card.description = "uvis built-in Bayesian depth + segmentation network";
    card.depth = options.depth;
    card.segmentation = options.segmentation;
    card.input.width = inputWidth;
    card.input.height = inputHeight;
    card.input.mean = {0.485f, 0.456f, 0.406f};
    card.input.std = {0.229f, 0.224f, 0.225f};
    card.depthSpec = DepthSpec{"m", 0.5f, 80.f, "gaussian"};
    for (int k = 0; k < options.classes; ++k)
        card.classes.push_back({"class " + std::to_string(k),
                                {(37 * k + 40) % 256, (91 * k + 80) % 256, (151 * k + 120) % 256}});
    card.trainDropout = trainDropout;
    listSiteRates(card, options.encoderDropout, options.siteRates);  // trained rates: p scales them
    card.native = NativeArchitecture{options.width, options.encoderDropout};
    // Round-trip through JSON so that card.json is filled like a card read from disk.
    return *parseModelCard(modelCardToJson(card), "built-in card").card;
}

NativeNetworkOptions nativeOptionsFromCard(const ModelCard& card) {
    NativeNetworkOptions options;
    options.width = card.native ? card.native->width : 32;
    options.encoderDropout = card.native && card.native->encoderDropout;
    options.depth = card.depth;
    options.segmentation = card.segmentation;
    options.classes = card.segmentation ? static_cast<int>(card.classes.size()) : 0;
    // Per-site rates when the card lists every site by name with a rate.
    if (card.dropoutScaling == DropoutScaling::Proportional) {
        const std::vector<std::string> sites = nativeDropoutSites(options.encoderDropout);
        std::vector<double> rates;
        for (const std::string& site : sites)
            for (const DropoutSite& listed : card.dropoutRates)
                if (listed.where == site && listed.p) rates.push_back(*listed.p);
        if (rates.size() == sites.size()) options.siteRates = rates;
    }
    return options;
}

std::string saveNativeModel(const NativeModel& model, const std::string& path) {
    const std::string tmp = path + ".part";
    try {
        torch::serialize::OutputArchive archive;
        model.network()->save(archive);
        ModelCard card = model.card();
        card.weightsSha256 = weightsSha256(*model.network());  // sealed: checked at every load
        archive.write("uvis_model_card", c10::IValue(modelCardToJson(card)));
        archive.write("uvis_format", c10::IValue(static_cast<int64_t>(1)));
        archive.save_to(tmp);
        std::filesystem::rename(tmp, path);
    } catch (...) {
        std::remove(tmp.c_str());
        return path + ": could not write the model (" + describeException() + ")";
    }
    return {};
}

}  // namespace uvis
