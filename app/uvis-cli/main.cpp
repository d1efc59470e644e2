// uvis-cli: batch inference and model checks, no display needed.
//   uvis-cli infer [options] INPUT...     images, folders, videos
//   uvis-cli info MODEL
//   uvis-cli validate-model MODEL         exit 0 only for a model that meets the contract

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QFileInfo>

#include <ATen/Parallel.h>

#include <cstdio>

#include "cli_options.h"
#include "core/allocator_tuning.h"

using namespace uvis;
using namespace uvis::cli;

namespace {

int usage(const QString& message) {
    std::fprintf(stderr, "uvis-cli: %s\nTry 'uvis-cli --help'.\n", qPrintable(message));
    return BadUsage;
}

bool parseSize(const QString& text, int* w, int* h) {
    const QStringList parts = text.split('x');
    bool okW = false, okH = false;
    if (parts.size() == 2) {
        *w = parts[0].toInt(&okW);
        *h = parts[1].toInt(&okH);
    }
    return okW && okH && *w >= 8 && *h >= 8 && *w <= 16384 && *h <= 16384;
}

bool parseFrames(const QString& text, int* first, int* last) {
    const QStringList parts = text.split(':');
    if (parts.size() != 2) return false;
    bool ok = true;
    *first = parts[0].isEmpty() ? 0 : parts[0].toInt(&ok);
    if (!ok || *first < 0) return false;
    *last = parts[1].isEmpty() ? -1 : parts[1].toInt(&ok);
    return ok && (*last == -1 || *last > *first);
}

}  // namespace

int main(int argc, char** argv) {
    tuneAllocatorForInference();
    QCoreApplication app(argc, argv);
    QCoreApplication::setApplicationName("uvis-cli");
    QCoreApplication::setApplicationVersion("0.1.0");

    QCommandLineParser parser;
    parser.setApplicationDescription(
        "uvis-cli: Monte-Carlo dropout depth and segmentation with aleatoric and epistemic uncertainty.\n\n"
        "Commands:\n"
        "  infer [options] INPUT...   images, folders of images, or videos\n"
        "  info MODEL                 the model card, outputs and whether the fast path applies\n"
        "  validate-model MODEL       exit 0 only for a model that meets the uvis contract\n"
        "  ood [options] IN OUT       how well mean epistemic uncertainty separates two image folders (AUROC)\n\n"
        "Ground truth: beside <id>_rgb.png (or <id>.png), <id>_depth.{npy,png,exr} and <id>_labels.{png,npy}\n"
        "are found and evaluated; summary.json then holds \"metrics\".\n\n"
        "Exit codes: 0 success, 2 bad usage, 3 bad input file, 4 bad model.");
    parser.addHelpOption();
    parser.addVersionOption();
    parser.addPositionalArgument("command", "infer, info or validate-model");
    const QCommandLineOption model({"m", "model"}, "Model file (default: the bundled demo model).", "file");
    const QCommandLineOption samples({"T", "samples"}, "MC samples T, 1–4096 (default 16).", "T", "16");
    const QCommandLineOption dropout({"p", "dropout"}, "Dropout rate p in [0, 1) (default: the card's train_p).", "p");
    const QCommandLineOption noise("noise-samples",
                                   "Logit-noise draws per pass for p_t (Kendall & Gal eq. 12; default 0: softmax).",
                                   "N", "0");
    const QCommandLineOption seed("seed", "Sampling seed (default 0).", "S", "0");
    const QCommandLineOption device("device", "cpu or cuda (default cpu).", "device", "cpu");
    const QCommandLineOption size("size", "Size WxH of written maps (default: each input's size).", "WxH");
    const QCommandLineOption out({"o", "out"}, "Output folder (default uvis-out).", "dir", "uvis-out");
    const QCommandLineOption frames("frames", "Videos: frames A:B (B exclusive; either may be empty).", "A:B");
    const QCommandLineOption every("every", "Videos: analyse every N-th frame (default 1).", "N", "1");
    const QCommandLineOption rawMaps("raw-maps", "Videos: also write the raw maps of every analysed frame.");
    const QCommandLineOption overwrite("overwrite", "Replace existing result folders.");
    const QCommandLineOption quiet({"q", "quiet"}, "No progress on stderr.");
    const QCommandLineOption threads("threads", "CPU threads (default: all cores).", "N", "0");
    const QCommandLineOption gtDepth("gt-depth", "Depth ground truth of the (one) input image: 16-bit PNG in mm, "
                                                 ".npy in m, or EXR.", "file");
    const QCommandLineOption gtLabels("gt-labels", "Label ground truth of the (one) input image: index or palette PNG, "
                                                   "or uint8 .npy (255 = ignore).", "file");
    const QCommandLineOption noGt("no-gt", "Do not look for ground truth beside the inputs.");
    parser.addOptions({model, samples, dropout, noise, seed, device, size, out, frames, every, rawMaps, overwrite, quiet,
                       threads, gtDepth, gtLabels, noGt});
    parser.process(app);  // --help, --version, unknown options (exit 1 there: Qt's convention)

    const QStringList args = parser.positionalArguments();
    if (args.isEmpty()) return usage("no command given");
    const QString command = args.first();
    bool ok = true;
    const int threadCount = parser.value(threads).toInt(&ok);
    if (!ok || threadCount < 0 || threadCount > 1024) return usage("--threads must be a whole number ≥ 0");
    if (threadCount > 0) at::set_num_threads(threadCount);

    if (command == "info" || command == "validate-model") {
        if (args.size() != 2) return usage(command + " takes exactly one MODEL");
        return command == "info" ? runInfo(args[1]) : runValidateModel(args[1]);
    }
    if (command != "infer" && command != "ood") return usage("unknown command '" + command + "'");

    InferOptions o;
    o.inputs = args.mid(1);
    if (o.inputs.isEmpty()) return usage(command + " needs at least one INPUT");
    if (command == "ood" && o.inputs.size() != 2) return usage("ood takes two folders: IN-DISTRIBUTION OUT-OF-DISTRIBUTION");
    o.model = parser.isSet(model) ? parser.value(model) : defaultModelPath();
    o.settings.samples = parser.value(samples).toInt(&ok);
    if (!ok || o.settings.samples < 1 || o.settings.samples > 4096) return usage("--samples must lie in 1–4096");
    if (parser.isSet(dropout)) {
        o.settings.dropout = parser.value(dropout).toDouble(&ok);
        if (!ok || o.settings.dropout < 0 || o.settings.dropout >= 1) return usage("--dropout must lie in [0, 1)");
        o.dropoutGiven = true;
    }
    o.settings.noiseSamples = parser.value(noise).toInt(&ok);
    if (!ok || o.settings.noiseSamples < 0 || o.settings.noiseSamples > 1024)
        return usage("--noise-samples must lie in 0–1024");
    o.settings.seed = parser.value(seed).toULongLong(&ok);
    if (!ok) return usage("--seed must be a whole number ≥ 0");
    if (!parseDeviceKind(parser.value(device).toStdString(), &o.settings.device))
        return usage("--device must be cpu or cuda");
    if (parser.isSet(size) && !parseSize(parser.value(size), &o.width, &o.height))
        return usage("--size must be WxH, e.g. 640x480");
    if (parser.isSet(frames) && !parseFrames(parser.value(frames), &o.firstFrame, &o.lastFrame))
        return usage("--frames must be A:B with 0 ≤ A < B");
    o.every = parser.value(every).toInt(&ok);
    if (!ok || o.every < 1) return usage("--every must be a whole number ≥ 1");
    o.out = parser.value(out);
    o.rawMaps = parser.isSet(rawMaps);
    o.overwrite = parser.isSet(overwrite);
    o.quiet = parser.isSet(quiet);
    o.gtDepth = parser.value(gtDepth);
    o.gtLabels = parser.value(gtLabels);
    o.findTruth = !parser.isSet(noGt);
    if ((parser.isSet(gtDepth) || parser.isSet(gtLabels)) && (o.inputs.size() != 1 || QFileInfo(o.inputs[0]).isDir()))
        return usage("--gt-depth and --gt-labels belong to exactly one input image");
    if (command == "ood") return runOod(o, o.inputs[0], o.inputs[1]);
    return runInfer(o);
}
