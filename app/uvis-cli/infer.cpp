// uvis-cli infer: every input through the same engine as the application, results as files.

#include <QDir>
#include <QDirIterator>
#include <QFileInfo>

#include <csignal>
#include <cstdio>
#include <unistd.h>

#include "cli_options.h"
#include "core/export/result_export.h"
#include "core/export/video_export.h"
#include "core/io/image_io.h"
#include "core/model_loader.h"
#include "core/model_validation.h"
#include "core/preprocess.h"

namespace uvis::cli {
namespace {

// Ctrl-C ends the run after the current input: its result is either complete or absent.
volatile std::sig_atomic_t interrupted = 0;
void onSignal(int) { interrupted = 1; }

const QStringList kImageSuffixes{"png", "jpg", "jpeg", "bmp", "tif", "tiff", "webp", "ppm", "pgm"};
const QStringList kVideoSuffixes{"avi", "mp4", "mkv", "mov", "webm", "m4v", "mpg", "mpeg"};

struct Input {
    QString path;
    bool video = false;
};

void say(bool quiet, const char* format, const QString& a, const QString& b = {}) {
    if (!quiet) std::fprintf(stderr, format, qPrintable(a), qPrintable(b));
}

std::vector<Input> collectInputs(const QStringList& paths, int* failures) {
    std::vector<Input> inputs;
    for (const QString& path : paths) {
        const QFileInfo info(path);
        if (info.isDir()) {
            QStringList files;
            QDirIterator it(path, QDir::Files);
            while (it.hasNext()) files << it.next();
            files.sort();
            for (const QString& f : files) {
                // Ground truth beside the images (<id>_labels.png, uvis-train's convention) is
                // not an input.
                if (QFileInfo(f).completeBaseName().endsWith("_labels")) continue;
                const QString suffix = QFileInfo(f).suffix().toLower();
                if (kImageSuffixes.contains(suffix)) inputs.push_back({f, false});
                else if (kVideoSuffixes.contains(suffix)) inputs.push_back({f, true});
            }
        } else if (info.isFile()) {
            inputs.push_back({path, kVideoSuffixes.contains(info.suffix().toLower())});
        } else {
            std::fprintf(stderr, "uvis-cli: %s: no such file or folder\n", qPrintable(path));
            ++*failures;
        }
    }
    return inputs;
}

std::string resultDir(const InferOptions& o, const QString& input) {
    return QDir(o.out).filePath(QFileInfo(input).completeBaseName()).toStdString();
}

// One image: the result folder, or a message naming the file.
std::string inferImage(const InferOptions& o, McEngine& engine, const ModelCard& card, const McSettings& settings,
                       const Input& input) {
    RgbImageResult image = readRgbImage(input.path.toStdString());
    if (!image.error.empty()) return image.error;
    McResult result = engine.run(toModelInput(image.image, card.input), settings);
    if (!result.ok()) return input.path.toStdString() + ": " + result.error;
    ExportOptions e;
    e.dir = resultDir(o, input.path);
    e.width = o.width;
    e.height = o.height;
    e.overwrite = o.overwrite;
    RunInfo info{input.path.toStdString(), o.model.toStdString(), settings, &result};
    return exportResult(e, image.image, card, info);
}

std::string inferVideo(const InferOptions& o, McEngine& engine, const McSettings& settings, const Input& input) {
    VideoExportOptions v;
    v.input = input.path.toStdString();
    v.dir = resultDir(o, input.path);
    v.modelPath = o.model.toStdString();
    v.firstFrame = o.firstFrame;
    v.lastFrame = o.lastFrame;
    v.every = o.every;
    v.rawMaps = o.rawMaps;
    v.overwrite = o.overwrite;
    v.keepPartial = true;  // Ctrl-C: the frames done so far, with "complete": false
    const bool tty = isatty(STDERR_FILENO) != 0;
    const VideoExportResult r = exportVideo(v, engine, settings, [&](const VideoFrameReport& f) {
        // One line rewritten in place on a terminal; in a log, a line every 10 % of the frames.
        const int step = std::max(1, (f.lastFrame - f.firstFrame) / 10);
        if (!o.quiet && (tty || (f.frame - f.firstFrame) % step < o.every))
            std::fprintf(stderr, tty ? "\r  %s: frame %d/%d (%d analysed)" : "  %s: frame %d/%d (%d analysed)\n",
                         qPrintable(QFileInfo(input.path).fileName()), f.frame + 1, f.lastFrame, f.analysed);
        return !interrupted;
    });
    if (!o.quiet && tty) std::fprintf(stderr, "\n");
    return r.error;
}

}  // namespace

int runInfer(const InferOptions& o) {
    std::signal(SIGINT, onSignal);
    std::signal(SIGTERM, onSignal);
    LoadedModel loaded = loadModel(o.model.toStdString(), o.settings.device);
    if (!loaded) {
        std::fprintf(stderr, "uvis-cli: %s\n", loaded.error.c_str());
        return BadModel;
    }
    if (!loaded.warning.empty()) std::fprintf(stderr, "uvis-cli: %s\n", loaded.warning.c_str());
    const ModelCard& card = modelCard(*loaded.model);
    McSettings settings = o.settings;
    if (!o.dropoutGiven) settings.dropout = card.trainDropout;
    McEngine engine(loaded.model);

    int failures = 0;
    const std::vector<Input> inputs = collectInputs(o.inputs, &failures);
    QDir().mkpath(o.out);
    int done = 0;
    for (const Input& input : inputs) {
        if (interrupted) break;
        say(o.quiet, "uvis-cli: [%s] %s\n", QString("%1/%2").arg(++done).arg(inputs.size()), input.path);
        const std::string problem = input.video ? inferVideo(o, engine, settings, input)
                                                : inferImage(o, engine, card, settings, input);
        if (!problem.empty()) {
            std::fprintf(stderr, "uvis-cli: %s\n", problem.c_str());
            ++failures;
        }
    }
    if (interrupted) std::fprintf(stderr, "uvis-cli: interrupted; finished results are complete\n");
    if (failures > 0) {
        std::fprintf(stderr, "uvis-cli: %d input(s) failed\n", failures);
        return BadInput;
    }
    return interrupted ? Failure : Ok;
}

}  // namespace uvis::cli
