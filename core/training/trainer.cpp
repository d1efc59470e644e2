#include "core/training/trainer.h"
#include "core/types/json_document.h"
#include "core/runtime/exception_text.h"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <filesystem>
#include <numeric>
#include <random>

#include "core/io/image_io.h"
#include "core/io/npy.h"
#include "core/model/model_loader.h"
#include "core/model/internal/native_network.h"
#include "core/training/concrete_dropout.h"
#include "core/training/dataset_manifest.h"
#include "core/training/losses.h"

namespace uvis {
namespace {

using nlohmann::json;
using Clock = std::chrono::steady_clock;

// The whole training set in memory: a few hundred MiB at 256×192.
struct TrainingSet {
    torch::Tensor rgb;     // [N,3,H,W] uint8
    torch::Tensor depth;   // [N,1,H,W] float32 metres
    torch::Tensor labels;  // [N,H,W] int64
    std::vector<ClassInfo> classes;
    int width = 0, height = 0;
};

std::string loadTrainingSet(const TrainOptions& o, TrainingSet* set, int* used) {
    ManifestResult manifest = readDatasetManifest(o.dataDir);
    if (!manifest.error.empty()) return manifest.error;
    const DatasetManifest& m = manifest.manifest;
    if (!o.domain.empty() && m.domain != o.domain)
        return manifestPath(o.dataDir) + ": the data set is of domain " + m.domain + ", training asked for domain " +
               o.domain;
    // By default the fraction is the first part of the list: items are rendered from independent
    // seeds, so any prefix is a random subset, and 25 % ⊂ 100 %. Repeats of an experiment draw
    // their own subset (subsetSeed), so that the spread over seeds includes which images were seen.
    const int n = std::max(1, static_cast<int>(std::lround(o.fraction * m.items.size())));
    std::vector<size_t> order(m.items.size());
    std::iota(order.begin(), order.end(), size_t{0});
    if (o.subsetSeed != 0 && n < static_cast<int>(order.size())) {
        std::mt19937_64 shuffleRng(o.subsetSeed);
        std::shuffle(order.begin(), order.end(), shuffleRng);
        order.resize(static_cast<size_t>(n));
        std::sort(order.begin(), order.end());
    }
    std::vector<torch::Tensor> rgb, depth, labels;
    for (int i = 0; i < n; ++i) {
        const DatasetItem& item = m.items[order[static_cast<size_t>(i)]];
        RgbImageResult image = readRgbImage(itemRgbPath(o.dataDir, item));
        if (!image.error.empty()) return image.error;
        NpyFloatResult d = readNpyFloat(itemDepthPath(o.dataDir, item));
        if (!d.error.empty()) return d.error;
        ClassMapResult l = readClassPng(itemLabelsPath(o.dataDir, item));
        if (!l.error.empty()) return l.error;
        if (image.image.width != m.width || image.image.height != m.height || d.map.width != m.width ||
            d.map.height != m.height || l.map.width != m.width || l.map.height != m.height)
            return itemRgbPath(o.dataDir, item) + ": image or ground truth is not " +
                   std::to_string(m.width) + "×" + std::to_string(m.height) + " as the manifest says";
        rgb.push_back(torch::from_blob(image.image.pixels.data(), {m.height, m.width, 3}, torch::kUInt8)
                          .permute({2, 0, 1}).clone());
        depth.push_back(torch::from_blob(d.map.values.data(), {1, m.height, m.width}, torch::kFloat32).clone());
        labels.push_back(torch::from_blob(l.map.values.data(), {m.height, m.width}, torch::kUInt8).to(torch::kInt64));
    }
    set->rgb = torch::stack(rgb);
    set->depth = torch::stack(depth);
    set->labels = torch::stack(labels);
    set->classes = m.classes;
    set->width = m.width;
    set->height = m.height;
    *used = n;
    return {};
}

// A batch with augmentation: horizontal flips (image and ground truth together) and
// photometric jitter (brightness, contrast, per-channel gain), then the card's normalisation.
struct Batch {
    torch::Tensor image, depth, labels;
};

Batch makeBatch(const TrainingSet& set, int batchSize, const ModelCard& card, at::Generator& rng,
                torch::Device device) {
    const auto index = torch::randint(set.rgb.size(0), {batchSize}, rng, torch::kInt64);
    auto image = set.rgb.index_select(0, index).to(torch::kFloat32).div_(255.0);
    auto depth = set.depth.index_select(0, index);
    auto labels = set.labels.index_select(0, index);
    const auto flip = torch::rand({batchSize}, rng).lt(0.5);
    for (int b = 0; b < batchSize; ++b)
        if (flip[b].item<bool>()) {
            image[b] = image[b].flip({2});
            depth[b] = depth[b].flip({2});
            labels[b] = labels[b].flip({1});
        }
    const auto brightness = 0.75 + 0.5 * torch::rand({batchSize, 1, 1, 1}, rng);
    const auto contrast = 0.75 + 0.5 * torch::rand({batchSize, 1, 1, 1}, rng);
    const auto gain = 0.92 + 0.16 * torch::rand({batchSize, 3, 1, 1}, rng);
    const auto mean = image.mean({1, 2, 3}, /*keepdim=*/true);
    image = ((image - mean) * contrast + mean) * brightness * gain;
    image = image.clamp(0.0, 1.0);
    const auto m = torch::tensor({card.input.mean[0], card.input.mean[1], card.input.mean[2]}).view({1, 3, 1, 1});
    const auto s = torch::tensor({card.input.std[0], card.input.std[1], card.input.std[2]}).view({1, 3, 1, 1});
    image = (image - m) / s;
    return {image.contiguous(torch::MemoryFormat::ChannelsLast).to(device), depth.to(device), labels.to(device)};
}

ModelCard trainingCard(const TrainOptions& o, const TrainingSet& set) {
    NativeNetworkOptions net;
    net.width = o.width;
    net.encoderDropout = o.encoderDropout;
    net.classes = static_cast<int>(set.classes.size());
    ModelCard card = nativeModelCard(net, set.width, set.height, o.trainDropout);
    card.name = o.name;
    card.version = "1";
    card.description = "uvis built-in Bayesian depth + segmentation network (MC dropout, "
                       "heteroscedastic depth and logit noise), trained on synthetic street scenes";
    card.classes = set.classes;
    card.depthSpec = DepthSpec{"m", 0.5f, 80.f, o.laplace ? "laplace" : "gaussian"};
    return card;
}

// The losses are computed at half the input resolution (trainStep: targets resized down, the
// outputs up from a quarter).
constexpr int64_t kLossDownscale = 2;

// The prior length-scale l² of concrete dropout's weight term (Gal, Hron & Kendall's examples use
// l = 10⁻²).
constexpr double kConcreteLengthScaleSquared = 1e-4;

// The N of concrete dropout's regulariser: the number of likelihood terms the training loss
// averages. The losses are means over the pixels of a batch (at half resolution), so the
// objective they minimise is the data's log-likelihood divided by images × pixels, and the KL
// term must be divided by the same count to keep its weight against the data. Counting images
// alone weighed it 3072 times too much at 128×96 and held every rate near ½ whatever the data
// size (measured: 0.49 with 400 images). Proportional to the training images, as the
// regulariser's scaling asks; pixels of one image are not independent, so this is the weakest
// prior the likelihood supports.
int64_t concreteLikelihoodTerms(int64_t images, int64_t width, int64_t height) {
    return images * (width / kLossDownscale) * (height / kLossDownscale);
}
// The dropout rates' learning rate, as a multiple of the network's.
constexpr double kRateLearningRate = 10.0;

std::string cardWithTraining(ModelCard card, const TrainOptions& o, const TrainProgress& p,
                             int images, double wall) {
    card.depthLogVar = static_cast<float>(p.depthLogVar);
    card.segLogVar = static_cast<float>(p.segLogVar);
    listSiteRates(card, o.encoderDropout, p.dropoutRates);  // the learned rates, if any
    json doc = parseJson(modelCardToJson(card), "the model card").value;
    doc["training"] = {{"data", o.dataDir},   {"fraction", o.fraction},   {"images", images},
                       {"subset_seed", o.subsetSeed},
                       {"steps", p.step},     {"batch_size", o.batchSize}, {"learning_rate", o.learningRate},
                       {"seed", o.seed},      {"noise_samples", o.noiseSamples},
                       {"command", o.command}, {"wall_seconds", wall},     {"final_loss", p.loss},
                       {"metrics", json::object()}};
    if (o.concreteDropout)
        doc["training"]["concrete_dropout"] = {{"initial_rate", o.trainDropout},
                                               {"temperature", kConcreteTemperature},
                                               {"length_scale_squared", kConcreteLengthScaleSquared},
                                               {"examples", images},
                                               {"likelihood_terms", concreteLikelihoodTerms(images, card.input.width,
                                                                                            card.input.height)}};
    return jsonText(doc);
}

std::string saveWithCard(NativeNetwork net, const std::string& cardJson, const std::string& path) {
    CardResult card = parseModelCard(cardJson, path);
    if (!card.card) return card.error;
    net->eval();
    std::string error = saveNativeModel(NativeModel(net, *card.card), path);
    net->train();
    return error;
}

TrainResult failed(std::string error) {
    TrainResult r;
    r.error = std::move(error);
    return r;
}

}  // namespace

namespace {

// The weights, buffers and step count of a checkpoint, into `net` (of the same architecture);
// `rates` gets the learned dropout rates its card lists (none without concrete dropout).
std::string resumeFrom(const std::string& path, NativeNetwork& net, int* firstStep, std::vector<double>* rates) {
    LoadedModel checkpoint = loadNativeModel(path);
    if (!checkpoint) return checkpoint.error;
    auto* native = dynamic_cast<NativeModel*>(checkpoint.model.get());
    torch::NoGradGuard noGrad;
    auto from = native->network()->named_parameters();
    for (auto& p : net->named_parameters()) p.value().copy_(from[p.key()]);
    auto fromBuffers = native->network()->named_buffers();
    for (auto& b : net->named_buffers()) b.value().copy_(fromBuffers[b.key()]);
    *firstStep = parseJson(native->card().json, "a model card").value.value("training", json::object()).value("steps", 0);
    *rates = nativeOptionsFromCard(native->card()).siteRates;
    return {};
}

// Concrete dropout's learned rates, one per site of the network, and what their regulariser
// needs: the number of likelihood terms of the training set.
struct LearnedRates {
    std::vector<ConcreteDropout> sites;
    int64_t likelihoodTerms = 0;
};

// What one optimisation step works on.
struct Optimisation {
    NativeNetwork& net;
    TaskWeighting& weighting;
    LearnedRates& rates;  // no sites: dropout at the fixed rate
    torch::optim::Adam& optimizer;
    std::vector<torch::Tensor>& parameters;
    at::Generator& rng;
    torch::Device device;
};

// The network's outputs on a batch with concrete dropout at every site, and the rates' regulariser.
ModelOutputs concreteForward(const Optimisation& t, const torch::Tensor& image, torch::Tensor* regulariser) {
    ModelOutputs out = t.net->forward(image, [&](size_t site, const torch::Tensor& x) {
        return t.rates.sites[site]->forward(x, {x.size(0), x.size(1), 1, 1}, t.rng);
    });
    const std::vector<torch::Tensor> weights = t.net->weightsAfterSites();
    const std::vector<int64_t> channels = t.net->siteChannels();
    *regulariser = torch::zeros({}, image.options().dtype(torch::kFloat32));
    for (size_t i = 0; i < t.rates.sites.size(); ++i)
        *regulariser = *regulariser + concreteRegulariser(t.rates.sites[i]->rate(), weights[i], channels[i],
                                                          t.rates.likelihoodTerms, kConcreteLengthScaleSquared);
    return out;
}

struct StepLosses {
    double total = 0, depth = 0, segmentation = 0;
};

// One batch: forward with dropout, the two losses weighted by their learned task uncertainty,
// backward, clipped, one Adam step.
StepLosses trainStep(const Optimisation& t, const TrainingSet& set, const ModelCard& card, const TrainOptions& o) {
    const int64_t H = set.height / kLossDownscale, W = set.width / kLossDownscale;
    Batch batch = makeBatch(set, o.batchSize, card, t.rng, t.device);
    torch::Tensor regulariser;
    ModelOutputs out = t.rates.sites.empty() ? t.net->forward(batch.image, o.trainDropout, &t.rng)
                                             : concreteForward(t, batch.image, &regulariser);
    // Targets at half resolution: nearest for labels and depth (never blend classes or mix
    // foreground and background depths), outputs upsampled bilinearly from 1/4.
    using torch::indexing::None;
    using torch::indexing::Slice;
    const auto depthTarget = batch.depth.index({"...", Slice(0, None, 2), Slice(0, None, 2)});
    const auto labelTarget = batch.labels.index({"...", Slice(0, None, 2), Slice(0, None, 2)});
    const auto dLoss = depthLoss(resizeBilinear(out.depthMean, H, W), resizeBilinear(out.depthLogVar, H, W),
                                 depthTarget, depthTarget.gt(0), o.laplace);
    const auto sLoss = segmentationLoss(resizeBilinear(out.segLogits, H, W), resizeBilinear(out.segLogVar, H, W),
                                        labelTarget, o.noiseSamples, t.rng);
    auto loss = t.weighting->forward(dLoss, sLoss);
    if (regulariser.defined()) loss = loss + regulariser;
    t.optimizer.zero_grad();
    loss.backward();
    torch::nn::utils::clip_grad_norm_(t.parameters, 5.0);
    t.optimizer.step();
    return {loss.item<double>(), dLoss.item<double>(), sLoss.item<double>()};
}

}  // namespace

TrainResult trainModel(const TrainOptions& o, const std::function<bool(const TrainProgress&)>& progress) {
    TrainResult result;
    const auto start = Clock::now();
    try {
        if (o.fraction <= 0 || o.fraction > 1) return failed("--fraction must lie in (0, 1]");
        if (o.steps < 1 || o.batchSize < 1) return failed("steps and batch size must be positive");
        const DeviceChoice device = resolveDevice(o.device);
        result.warning = device.message;
        const torch::Device dev = torchDevice(device.kind);

        TrainingSet set;
        if (std::string e = loadTrainingSet(o, &set, &result.trainImages); !e.empty()) return failed(e);
        if (set.width % 16 || set.height % 16) return failed(o.dataDir + ": image size must be a multiple of 16");

        torch::manual_seed(o.seed);  // weight initialisation
        ModelCard card = trainingCard(o, set);
        NativeNetwork net(nativeOptionsFromCard(card));
        int firstStep = 0;
        std::vector<double> resumedRates;
        if (!o.resumeFrom.empty())
            if (std::string e = resumeFrom(o.resumeFrom, net, &firstStep, &resumedRates); !e.empty()) return failed(e);
        net->to(dev);
        NativeModel channelsLast(net, card);  // converts the weights to channels-last
        net->train();
        TaskWeighting weighting;
        weighting->to(dev);
        std::vector<torch::Tensor> parameters = net->parameters();
        for (auto& p : weighting->parameters()) parameters.push_back(p);
        std::vector<torch::optim::OptimizerParamGroup> groups{
            torch::optim::OptimizerParamGroup(parameters, std::make_unique<torch::optim::AdamOptions>(
                                                              torch::optim::AdamOptions(o.learningRate).weight_decay(1e-5)))};
        std::vector<double> groupRates{1.0};  // each group's share of the learning rate
        LearnedRates rates;
        if (o.concreteDropout) {
            rates.likelihoodTerms = concreteLikelihoodTerms(result.trainImages, set.width, set.height);
            const size_t sites = nativeDropoutSites(o.encoderDropout).size();
            std::vector<torch::Tensor> logits;
            for (size_t i = 0; i < sites; ++i) {
                rates.sites.emplace_back(resumedRates.size() == sites ? resumedRates[i] : o.trainDropout);
                rates.sites.back()->to(dev);
                for (auto& p : rates.sites.back()->parameters()) logits.push_back(p);
            }
            // Adam moves a parameter by about its learning rate a step whatever the gradient: at
            // the network's rate a logit could move by only about 1 over a 1000-step run, so the
            // rates would still be on their way (measured: 0.2 → 0.39 for 20 and for 400 images
            // alike). Their own, larger rate lets them settle where the regulariser and the data
            // balance.
            groups.emplace_back(logits,  // no weight decay: it would pull every rate towards ½
                                std::make_unique<torch::optim::AdamOptions>(o.learningRate * kRateLearningRate));
            groupRates.push_back(kRateLearningRate);
            parameters.insert(parameters.end(), logits.begin(), logits.end());
        }
        torch::optim::Adam optimizer(groups, torch::optim::AdamOptions(o.learningRate).weight_decay(1e-5));

        at::Generator rng = at::detail::createCPUGenerator(o.seed * 7919 + 1);
        TrainProgress p;
        p.steps = o.steps;
        double smoothed = 0, smoothedDepth = 0, smoothedSeg = 0;
        for (int step = firstStep; step < o.steps; ++step) {
            // Cosine decay of the learning rate to 5 %.
            const double lr = o.learningRate * (0.05 + 0.95 * 0.5 * (1 + std::cos(M_PI * step / o.steps)));
            for (size_t g = 0; g < optimizer.param_groups().size(); ++g)
                static_cast<torch::optim::AdamOptions&>(optimizer.param_groups()[g].options()).lr(lr * groupRates[g]);
            const StepLosses l = trainStep({net, weighting, rates, optimizer, parameters, rng, dev}, set, card, o);
            const double a = step == firstStep ? 1.0 : 0.05;  // exponential smoothing for the log
            smoothed = (1 - a) * smoothed + a * l.total;
            smoothedDepth = (1 - a) * smoothedDepth + a * l.depth;
            smoothedSeg = (1 - a) * smoothedSeg + a * l.segmentation;
            p.step = step + 1;
            p.loss = smoothed;
            p.depthLoss = smoothedDepth;
            p.segLoss = smoothedSeg;
            p.depthLogVar = weighting->depthLogVar();
            p.segLogVar = weighting->segLogVar();
            p.dropoutRates.clear();
            for (const ConcreteDropout& site : rates.sites) p.dropoutRates.push_back(site->rateValue());
            p.elapsedSeconds = std::chrono::duration<double>(Clock::now() - start).count();
            p.etaSeconds = p.elapsedSeconds / (p.step - firstStep) * (o.steps - p.step);
            const bool last = p.step == o.steps;
            bool stop = false;
            if (progress && (p.step % 10 == 0 || last)) stop = !progress(p);
            if (!o.outPath.empty() && o.checkpointEvery > 0 && (p.step % o.checkpointEvery == 0 || stop) && !last)
                if (std::string e = saveWithCard(net, cardWithTraining(card, o, p, result.trainImages, p.elapsedSeconds),
                                                 o.outPath + ".checkpoint");
                    !e.empty())
                    return failed(e);
            if (stop) {
                result.cancelled = true;
                break;
            }
        }
        result.last = p;
        result.wallSeconds = std::chrono::duration<double>(Clock::now() - start).count();
        if (!result.cancelled && !o.outPath.empty()) {
            if (std::string e = saveWithCard(net, cardWithTraining(card, o, p, result.trainImages, result.wallSeconds),
                                             o.outPath);
                !e.empty())
                return failed(e);
            std::error_code ec;
            std::filesystem::remove(o.outPath + ".checkpoint", ec);
        }
    } catch (...) {
        result.error = "training failed: " + describeException();
    }
    return result;
}

std::string updateModelTraining(const std::string& modelPath, const std::string& trainingJson) {
    LoadedModel loaded = loadNativeModel(modelPath);
    if (!loaded) return loaded.error;
    auto* native = dynamic_cast<NativeModel*>(loaded.model.get());
    json doc = parseJson(native->card().json, "a model card").value;
    doc["training"] = parseJson(trainingJson, "the training record").value;
    CardResult card = parseModelCard(jsonText(doc), modelPath);
    if (!card.card) return card.error;
    return saveNativeModel(NativeModel(native->network(), *card.card), modelPath);
}

}  // namespace uvis
