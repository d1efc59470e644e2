// uvis-cli's input precheck: a library the front loads before the work library, with Qt's image
// readers and OpenCV's codecs but without LibTorch (about 0.15 s to load, against the work's
// 0.6 s of LibTorch's static initialisation alone). It answers `uvis-cli infer` at once when every
// input it names is an image that cannot be decoded — a broken file used to wait for LibTorch to
// start only to be refused. Anything else — a usage error, a folder or a manifest (their table is
// written, failed rows too), a shard or --resume, a video, one input that decodes — goes on to
// the work library, which then says and does everything itself; the precheck writes nothing.
//
// It decodes with the work's own functions and limits, so it refuses exactly what the work would
// refuse. The inputs are thus read before the model is: when both are broken, the input is named.

#include <QCoreApplication>

#include <opencv2/core.hpp>

#include <string>
#include <vector>

#include "common/work_library.h"
#include "core/dataset/dataset_inputs.h"
#include "core/services/batch/image_header.h"
#include "infer_args.h"
#include "infer_lines.h"
#include "parsed_command.h"

namespace uvis::cli {
namespace {

// Whether `in` is refused as the work would refuse it; its problem then.
bool refused(const DatasetInput& in, const InferOptions& o, std::string* problem) {
    const DecodeLimits limits = decodeLimits(o);
    const RgbImageResult image = readImageWithinLimit(QString::fromStdString(in.path), limits.maxPixels, limits.maxSide);
    if (!image.error.empty()) *problem = image.error;
    else if (!image.warning.empty() && o.strict) *problem = strictRefusal(image.warning);
    return !problem->empty();
}

// -1: the work library runs the command; else the exit code of a run whose every input was refused.
int precheck(int& argc, char** argv, const ParsedCommand& c) {
    if (c.command != ParsedCommand::Infer) return -1;
    QCoreApplication qapp(argc, argv);  // the bundled model's path is found beside the executable
    InferOptions o;
    if (!readInferOptions(c.run, false, &o).empty()) return -1;  // the work says the usage error
    if (o.resume || !o.shard.all()) return -1;
    for (const std::string& path : c.run.inputs)
        if (isDatasetPath(path)) return -1;
    const DatasetInputs found = collectDatasetInputs(c.run.inputs);
    if (found.inputs.empty()) return -1;
    // OpenCV on one thread here: the work forks its model check, and a fork must not find the
    // threads of a colour conversion's pool. Its own thread setting comes after.
    cv::setNumThreads(0);
    std::vector<std::string> problems;
    for (const DatasetInput& in : found.inputs) {
        std::string problem;
        if (in.video || !refused(in, o, &problem)) {
            cv::setNumThreads(-1);  // OpenCV's default again
            return -1;
        }
        problems.push_back(problem);
    }
    for (const std::string& e : found.errors) sayProblem(e);
    const int count = static_cast<int>(found.inputs.size());
    for (int i = 0; i < count; ++i) {
        sayStarted(o.quiet, i + 1, count, found.inputs[i].path);
        sayProblem(problems[i]);
    }
    sayFailures(static_cast<int>(found.errors.size()) + count);
    return BadInput;
}

}  // namespace
}  // namespace uvis::cli

UVIS_PRECHECK_ENTRY(uvis::cli::ParsedCommand, uvis::cli::precheck)
