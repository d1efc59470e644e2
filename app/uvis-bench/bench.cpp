// uvis-bench's work library: what the MC engine costs against the naive loop of T full forward
// passes, measured in one run on the same random weights and input (ratios, not absolute times,
// are the point: this machine is shared and noisy). Prints tables and writes JSON.

#include <CLI/CLI.hpp>
#include <nlohmann/json.hpp>
#include <torch/torch.h>

#include <chrono>
#include <cstdio>
#include <fstream>
#include <iostream>
#include <memory>
#include <sstream>
#include <string>

#include "core/types/json_document.h"
#include "bench_report.h"
#include "device_check.h"
#include "precision_bench.h"
#include "temporal_cost.h"
#ifdef UVIS_BENCH_VIDEO
#include "video_bench.h"
#endif
#include "common/command_line.h"
#include "common/work_library.h"
#include "options.h"
#include "common/exit_codes.h"
#include "core/runtime/allocator_tuning.h"
#include "core/runtime/compute_threads.h"
#include "core/runtime/exception_text.h"
#include "core/engine/internal/sampling_run.h"
#include "core/model/model_loader.h"
#include "core/engine/internal/streaming_stats.h"

namespace uvis::bench {
namespace {

using Clock = std::chrono::steady_clock;
using nlohmann::json;

struct Size {
    int width, height;
};


// The network under test at one input size: the --model file (run at that size, as a fully
// convolutional model runs), or the built-in network with random weights.
std::shared_ptr<Model> benchModel(const Options& o, int width, int height, DeviceKind device) {
    if (o.model.empty()) {
        auto model = createRandomNativeModel(o.width, o.classes, width, height, 1, o.encoderDropout);
        model->moveTo(torchDevice(device));
        return model;
    }
    LoadedModel loaded = loadModel(o.model, device);
    if (!loaded) throw std::runtime_error(loaded.error);
    return loaded.model;
}

double msSince(Clock::time_point start) {
    return std::chrono::duration<double, std::milli>(Clock::now() - start).count();
}

void synchronize(const torch::Device& device) {
    if (device.is_cuda()) torch::cuda::synchronize();
}

Size parseSize(const std::string& text) {
    Size s{0, 0};
    if (std::sscanf(text.c_str(), "%dx%d", &s.width, &s.height) != 2 || s.width % 16 ||
        s.height % 16 || s.width <= 0 || s.height <= 0)
        throw CLI::ValidationError("--sizes", text + " is not WxH with multiples of 16");
    return s;
}

// The naive way: T independent full passes, all kept, statistics by the two-pass formulas.
void naiveLoop(Model& model, const torch::Tensor& image, int T, double p, uint64_t seed) {
    c10::InferenceMode guard;
    at::Generator rng = at::detail::createCPUGenerator(seed);
    const int64_t H = image.size(2), W = image.size(3);
    auto up = [&](const torch::Tensor& t) { return resizeBilinear(t, H, W); };
    std::vector<torch::Tensor> mu, s, prob, logitVar;
    for (int t = 0; t < T; ++t) {
        ModelOutputs out = model.forward(image, p, 1, rng);
        // Whatever the model predicts (a user's model may have one task, no variance heads).
        if (out.depthMean.defined()) mu.push_back(up(out.depthMean));
        if (out.depthLogVar.defined()) s.push_back(up(out.depthLogVar));
        if (out.segLogits.defined()) prob.push_back(torch::softmax(up(out.segLogits), 1));
        if (out.segLogVar.defined()) logitVar.push_back(up(out.segLogVar));
    }
    // Two-pass statistics over the stored samples, in float32 with ATen's (Welford) var_mean:
    // a fair baseline, not a strawman.
    auto sink = torch::zeros({}, image.options());
    if (!mu.empty()) {
        auto [epistemic, depthMean] = torch::var_mean(torch::cat(mu, 0), 0, /*unbiased=*/false);
        sink = sink + depthMean.sum() + epistemic.sum();
    }
    if (!s.empty()) sink = sink + torch::cat(s, 0).exp().mean(0).sum();
    if (!prob.empty()) {
        auto P = torch::cat(prob, 0);
        auto pMean = P.mean(0);
        auto mi = entropy(pMean, 0) - entropy(P, 1).mean(0);
        sink = sink + mi.sum() + pMean.argmax(0).sum();
    }
    if (!logitVar.empty()) sink = sink + torch::cat(logitVar, 0).exp().mean(0).sum();
    (void)sink.item<double>();
}

double deterministicForward(Model& model, const torch::Tensor& image) {
    c10::InferenceMode guard;
    at::Generator rng = at::detail::createCPUGenerator(0);
    const auto start = Clock::now();
    ModelOutputs out = model.forward(image, 0.0, 1, rng);
    synchronize(image.device());
    (void)(out.depthMean.defined() ? out.depthMean : out.segLogits).sum().item<float>();
    return msSince(start);
}

long readStatusKb(const char* key) {
    std::ifstream in("/proc/self/status");
    std::string line;
    while (std::getline(in, line))
        if (line.rfind(key, 0) == 0) return std::stol(line.substr(std::string(key).size()));
    return -1;
}

// Runs in a fresh process: peak resident memory of one run with T samples.
int memoryProbe(const Options& o, Size size, DeviceKind device) {
    auto model = benchModel(o, size.width, size.height, device);
    auto image = torch::randn({1, 3, size.height, size.width}).to(model->device());
    const long baseline = readStatusKb("VmRSS:");
    if (o.probeMode == "naive") {
        naiveLoop(*model, image, o.memoryProbe, o.dropout, 7);
    } else {
        SamplingSettings settings;
        settings.samples = o.memoryProbe;
        settings.dropout = o.dropout;
        settings.device = device;
        SamplingResult r = runSampling(*model, image, settings);
        if (!r.ok()) {
            std::cerr << r.error << "\n";
            return app::Failure;
        }
    }
    std::cout << jsonText(json{{"baseline_kb", baseline}, {"peak_kb", readStatusKb("VmHWM:")}}) << "\n";
    return 0;
}

json runProbe(const std::string& self, const Options& o, const std::string& size, int T,
              const std::string& mode) {
    std::ostringstream cmd;
    cmd << "'" << self << "' --memory-probe " << T << " --probe-mode " << mode << " --sizes "
        << size << " --width " << o.width << " --classes " << o.classes << " --dropout "
        << o.dropout << " --device " << o.device << " --threads " << o.threads;
    if (!o.model.empty()) cmd << " --model '" << o.model << "'";
    if (o.encoderDropout) cmd << " --encoder-dropout";
    std::FILE* pipe = popen(cmd.str().c_str(), "r");
    if (!pipe) throw std::runtime_error("cannot start the memory probe");
    std::string text;
    char buffer[256];
    while (std::fgets(buffer, sizeof buffer, pipe)) text += buffer;
    if (pclose(pipe) != 0) throw std::runtime_error("memory probe failed: " + text);
    const JsonRead read = parseJson(text, "the memory probe's answer");
    if (!read.ok()) throw std::runtime_error(read.error);
    return read.value;
}

template <typename F>
double timeMedian(int repeats, const torch::Device& device, F&& body) {
    std::vector<double> ms;
    for (int r = 0; r < repeats; ++r) {
        const auto start = Clock::now();
        body();
        synchronize(device);
        ms.push_back(msSince(start));
    }
    return bench::median(ms);
}

// Engine against the naive loop at each T: one row per T.
void timeRefresh(const Options& o, const std::string& label, Model& model, const torch::Tensor& image,
                 SamplingSettings settings, bench::Table& speed, json& speedJson) {
    for (int T : o.samples) {
        settings.samples = T;
        const double naive = timeMedian(o.repeats, model.device(),
                                        [&] { naiveLoop(model, image, T, o.dropout, 3); });
        const double engine = timeMedian(o.repeats, model.device(), [&] {
            SamplingResult r = runSampling(model, image, settings);
            if (!r.ok()) throw std::runtime_error(r.error);
        });
        speed.add({label, std::to_string(T), bench::fixed(naive, 1), bench::fixed(engine, 1),
                   bench::fixed(engine / naive, 3)});
        speedJson.push_back({{"size", label}, {"T", T}, {"naive_ms", naive},
                             {"engine_ms", engine}, {"ratio", engine / naive}});
    }

}

// Time to the first partial result (a full snapshot of every map), against one deterministic
// forward pass.
void timeFirstResult(const Options& o, const std::string& label, Model& model, const torch::Tensor& image,
                     SamplingSettings settings, bench::Table& first, json& firstJson) {
    std::vector<double> forwardMs, firstMs;
    settings.samples = 16;
    for (int r = 0; r < o.repeats; ++r) {
        forwardMs.push_back(deterministicForward(model, image));
        SamplingResult result = runSampling(model, image, settings, [](const SamplingProgress& p) {
            (void)p.snapshot();
            return false;  // stop after the first chunk: only its latency matters here
        });
        firstMs.push_back(result.firstResultMs);
    }
    const double fwd = bench::median(forwardMs), fst = bench::median(firstMs);
    first.add({label, bench::fixed(fwd, 1), bench::fixed(fst, 1), bench::fixed(fst / fwd, 3)});
    firstJson.push_back({{"size", label}, {"forward_ms", fwd}, {"first_result_ms", fst},
                         {"ratio", fst / fwd}});

}

// Engine time per chunk size at T = 16.
void timeChunks(const Options& o, const std::string& label, Model& model, const torch::Tensor& image,
                SamplingSettings settings, json& doc) {
    bench::Table chunkTable({"size", "chunk", "engine ms (T=16)"});
    json chunkJson = json::array();
    for (int chunk : {1, 2, 4, 8, 16}) {
        settings.chunkSize = chunk;
        const double ms = timeMedian(o.repeats, model.device(),
                                     [&] { runSampling(model, image, settings); });
        chunkTable.add({label, std::to_string(chunk), bench::fixed(ms, 1)});
        chunkJson.push_back({{"chunk", chunk}, {"engine_ms", ms}});
    }
    settings.chunkSize = 0;
    std::cout << "Chunk size (passes per decode call)\n" << chunkTable.str() << "\n";
    doc["chunks"][label] = chunkJson;

}

// Each uncertainty method's time per image against MC dropout at the same T.
void timeMethods(const Options& o, const std::string& label, Model& model, const torch::Tensor& image,
                 const SamplingSettings& settings, json& doc) {
    // Each method's time per image against MC dropout at the same T, in one run.
    bench::Table methodTable({"size", "method", "T", "passes", "ms", "ms/pass", "vs mc"});
    json methodJson = json::array();
    for (int T : o.samples) {
        double mcMs = 0;
        for (auto m : {UncertaintyMethod::McDropout, UncertaintyMethod::Tta, UncertaintyMethod::Ensemble,
                       UncertaintyMethod::EnsembleMc}) {
            if (needsEnsemble(m) && ensembleSize(model) < 2) continue;
            SamplingSettings s = settings;
            s.method = m;
            s.samples = T;
            s.dropout = defaultDropout(m, o.dropout);
            int passes = 0;
            const double ms = timeMedian(o.repeats, model.device(), [&] {
                SamplingResult r = runSampling(model, image, s);
                if (!r.ok()) throw std::runtime_error(r.error);
                passes = r.maps.samplesDone;
            });
            if (m == UncertaintyMethod::McDropout) mcMs = ms;
            methodTable.add({label, methodName(m), std::to_string(T), std::to_string(passes), bench::fixed(ms, 1),
                             bench::fixed(ms / passes, 1), bench::fixed(ms / mcMs, 2)});
            methodJson.push_back({{"method", methodName(m)}, {"T", T}, {"passes", passes}, {"ms", ms}});
        }
    }
    std::cout << "Uncertainty methods: time per image\n" << methodTable.str() << "\n";
    doc["methods"][label] = methodJson;

}

// Peak resident memory of the engine and the naive loop, each run in a fresh process.
void measureMemory(const Options& o, char** argv, json& doc) {
    bench::Table memory({"size", "mode", "T", "baseline MiB", "peak MiB", "run MiB"});
    json memJson = json::array();
    const std::string self = "/proc/self/exe";
    char exe[4096];
    const ssize_t n = readlink(self.c_str(), exe, sizeof exe - 1);
    const std::string exePath = n > 0 ? std::string(exe, static_cast<size_t>(n)) : argv[0];
    for (const std::string mode : {"engine", "naive"}) {
        double peak8 = 0;
        for (int T : {8, 64}) {
            json r = runProbe(exePath, o, o.sizes.front(), T, mode);
            const double base = r["baseline_kb"].get<double>() / 1024.0;
            const double peak = r["peak_kb"].get<double>() / 1024.0;
            memory.add({o.sizes.front(), mode, std::to_string(T), bench::fixed(base, 1),
                        bench::fixed(peak, 1), bench::fixed(peak - base, 1)});
            memJson.push_back({{"size", o.sizes.front()}, {"mode", mode}, {"T", T},
                               {"baseline_mib", base}, {"peak_mib", peak}});
            if (T == 8) peak8 = peak;
            else doc["memory_ratio_64_vs_8"][mode] = peak / peak8;
        }
    }
    std::cout << "Peak resident memory (fresh process per row)\n" << memory.str();
    std::cout << "peak(T=64) / peak(T=8): engine "
              << bench::fixed(doc["memory_ratio_64_vs_8"]["engine"].get<double>(), 3)
              << ", naive "
              << bench::fixed(doc["memory_ratio_64_vs_8"]["naive"].get<double>(), 3) << "\n\n";
    doc["memory"] = memJson;
}

// --video: the model on the video's frames, full MC against temporal sampling.
int runVideoBench(const Options& o, DeviceKind device) {
#ifdef UVIS_BENCH_VIDEO
    LoadedModel loaded = loadModel(o.model, device);
    if (!loaded) {
        std::cerr << "uvis-bench: " << loaded.error << "\n";
        return app::Failure;
    }
    UncertaintyEngine engine(loaded.model);
    bench::VideoBenchOptions v{o.video, o.truth, o.videoSamples, o.videoFrames, o.fresh, 0};
    json doc{{"model", o.model}, {"device", deviceName(device)}, {"threads", at::get_num_threads()},
             {"video", o.video}, {"truth", o.truth}, {"samples", o.videoSamples}, {"frames", o.videoFrames}};
    try {
        doc["temporal"] = bench::benchVideo(engine, v);
    } catch (const std::exception& e) {
        std::cerr << "uvis-bench: " << e.what() << "\n";
        return app::Failure;
    }
    if (std::string problem = bench::writeJson(doc, o.jsonPath); !problem.empty()) {
        std::cerr << "uvis-bench: " << problem << "\n";
        return app::Failure;
    }
    std::cout << "wrote " << o.jsonPath << "\n";
    return app::Ok;
#else
    (void)device;
    std::cerr << "uvis-bench: --video needs OpenCV; this build is the engine alone\n";
    return app::Failure;
#endif
}

int runBench(char** argv, const Options& o) {
    // As every uvis application does; both the engine and the naive loop benefit.
    tuneAllocatorForInference();

    DeviceKind requested;
    if (!parseDeviceKind(o.device, &requested)) {
        std::cerr << "uvis-bench: --device must be cpu or cuda, not '" << o.device << "'\n";
        return app::BadUsage;
    }
    const DeviceChoice device = resolveDevice(requested);
    if (!device.message.empty()) std::cerr << "uvis-bench: " << device.message << "\n";
    setLibTorchThreads(o.threads);
    std::vector<Size> sizes;
    try {
        for (const auto& s : o.sizes) sizes.push_back(parseSize(s));
    } catch (const CLI::Error& e) {
        std::cerr << "uvis-bench: " << e.what() << "\n";
        return app::BadUsage;
    }
    if (o.memoryProbe > 0) return memoryProbe(o, sizes.front(), device.kind);
    if (!o.video.empty()) return runVideoBench(o, device.kind);
    if (o.verify || o.verifyOnly) {
        int failed = 0;
        for (const std::string& size : o.sizes) failed += bench::verifyDevice(requested, o.width, o.classes, size);
        if (failed > 0 || o.verifyOnly) return failed > 0 ? 1 : 0;
    }

    json doc{{"model", o.model.empty() ? std::string("built-in network, random weights") : o.model},
             {"encoder_dropout", o.encoderDropout},
             {"device", deviceName(device.kind)},
             {"threads", at::get_num_threads()},
             {"width", o.width},
             {"classes", o.classes},
             {"dropout", o.dropout},
             {"repeats", o.repeats},
             {"chunk_size", defaultChunkSize(device.kind)}};
    std::cout << "uvis-bench  device " << deviceName(device.kind) << ", " << at::get_num_threads()
              << " threads, width " << o.width << ", p " << o.dropout << ", median of "
              << o.repeats << "\n\n";

    bench::Table speed({"size", "T", "naive ms", "engine ms", "engine/naive"});
    bench::Table first({"size", "forward ms", "first result ms", "first/forward"});
    json speedJson = json::array(), firstJson = json::array();
    for (size_t i = 0; i < sizes.size(); ++i) {
        const Size size = sizes[i];
        const std::string label = o.sizes[i];
        auto model = benchModel(o, size.width, size.height, device.kind);
        torch::manual_seed(2);
        auto image = torch::randn({1, 3, size.height, size.width}).to(model->device());
        SamplingSettings settings;
        settings.dropout = o.dropout;
        settings.device = device.kind;
        // Warm up both paths (oneDNN primitive caches, allocator).
        naiveLoop(*model, image, 2, o.dropout, 1);
        settings.samples = 2;
        runSampling(*model, image, settings);

        timeRefresh(o, label, *model, image, settings, speed, speedJson);
        timeFirstResult(o, label, *model, image, settings, first, firstJson);
        if (o.chunks) timeChunks(o, label, *model, image, settings, doc);
        if (o.precision)
            doc["precision"].push_back(bench::comparePrecision(*model, label, size.width, size.height, 16, o.dropout,
                                                               o.repeats, device.kind));
        if (o.methods) timeMethods(o, label, *model, image, settings, doc);
        if (o.temporal) doc["temporal"].push_back(bench::timeTemporal(o, label, model, device.kind));
    }
    std::cout << "Refresh time: engine vs naive loop of T full passes\n" << speed.str() << "\n";
    std::cout << "Latency of the first partial result\n" << first.str() << "\n";
    doc["refresh"] = speedJson;
    doc["first_result"] = firstJson;

    if (!o.skipMemory) measureMemory(o, argv, doc);
    if (std::string problem = bench::writeJson(doc, o.jsonPath); !problem.empty()) {
        std::cerr << "uvis-bench: " << problem << "\n";
        return app::Failure;
    }
    std::cout << "wrote " << o.jsonPath << "\n";
    return 0;
}

}  // namespace

// The work library's entry. A model that refuses a size, or fails on the way, is a message and
// exit 1, not an abort.
int run(int& /*argc*/, char** argv, const Options& o) {
    try {
        return runBench(argv, o);
    } catch (...) {
        std::cerr << "uvis-bench: " << describeException() << "\n";
    }
    return app::Failure;
}

}  // namespace uvis::bench

UVIS_WORK_ENTRY(uvis::bench::Options, uvis::bench::run)
