#include "infer_args.h"

#include <QFileInfo>

#include <algorithm>

#include "core/services/settings/resource_paths.h"

namespace uvis::cli {

QString defaultModelPath() { return bundledModelPath(); }

namespace {

bool parseSize(const std::string& text, int* w, int* h) {
    const QStringList parts = QString::fromStdString(text).split('x');
    bool okW = false, okH = false;
    if (parts.size() == 2) {
        *w = parts[0].toInt(&okW);
        *h = parts[1].toInt(&okH);
    }
    return okW && okH && *w >= 8 && *h >= 8 && *w <= 16384 && *h <= 16384;
}

bool parseFrames(const std::string& text, int* first, int* last) {
    const QStringList parts = QString::fromStdString(text).split(':');
    if (parts.size() != 2) return false;
    bool ok = true;
    *first = parts[0].isEmpty() ? 0 : parts[0].toInt(&ok);
    if (!ok || *first < 0) return false;
    *last = parts[1].isEmpty() ? -1 : parts[1].toInt(&ok);
    return ok && (*last == -1 || *last > *first);
}

}  // namespace

std::string readInferOptions(const RunArgs& a, bool ood, InferOptions* o) {
    for (const std::string& input : a.inputs) o->inputs << QString::fromStdString(input);
    if (o->inputs.isEmpty()) return "infer needs at least one INPUT";
    if (ood && o->inputs.size() != 2) return "ood takes two folders: IN-DISTRIBUTION OUT-OF-DISTRIBUTION";
    o->model = a.model.empty() ? defaultModelPath() : QString::fromStdString(a.model);
    o->settings.samples = a.samples;
    parseMethod(a.method, &o->settings.method);
    if (a.dropout > 0 && o->settings.method == UncertaintyMethod::Ensemble)
        return "--method ensemble runs every member at p = 0; use --method ensemble-mc for dropout inside the members";
    if (a.dropout >= 0) {
        o->settings.dropout = a.dropout;
        o->dropoutGiven = true;
    }
    o->settings.noiseSamples = a.noise;
    o->settings.temporalFresh = a.temporal;
    o->calibrate = !a.noCalibration;
    o->settings.seed = a.seed;
    parseDeviceKind(a.device, &o->settings.device);
    parsePrecision(a.precision, &o->settings.precision);
    if (!a.size.empty() && !parseSize(a.size, &o->width, &o->height))
        return "--size must be WxH with 8–16384 pixels per side, e.g. 640x480";
    if (!a.frames.empty() && !parseFrames(a.frames, &o->firstFrame, &o->lastFrame))
        return "--frames must be A:B with 0 ≤ A < B";
    o->every = a.every;
    if (a.out.empty()) return "-o/--out must name a folder (it is empty)";
    o->out = QString::fromStdString(a.out);
    o->rawMaps = a.rawMaps;
    o->overwrite = a.overwrite;
    o->quiet = a.quiet;
    o->gtDepth = QString::fromStdString(a.gtDepth);
    o->gtLabels = QString::fromStdString(a.gtLabels);
    o->findTruth = !a.noGt;
    o->trustModel = a.trustModel;
    o->checkTimeoutS = a.timeout;
    o->inputTimeoutS = a.inputTimeout;
    o->maxPixels = a.maxPixels;
    o->strict = a.strict;
    o->resume = a.resume;
    if (!a.shard.empty()) {
        const ShardResult shard = a.shard == "auto" ? shardFromEnvironment(a.shardCount) : parseShard(a.shard);
        if (!shard.error.empty()) return shard.error;
        o->shard = shard.shard;
    } else if (a.shardCount > 0) {
        return "--shard-count belongs to --shard auto";
    }
    if (o->resume && o->overwrite) return "--resume keeps results and --overwrite replaces them: choose one";
    if ((!a.gtDepth.empty() || !a.gtLabels.empty()) && (o->inputs.size() != 1 || QFileInfo(o->inputs[0]).isDir()))
        return "--gt-depth and --gt-labels belong to exactly one input image";
    return {};
}

DecodeLimits decodeLimits(const InferOptions& o) {
    return DecodeLimits{o.maxPixels, o.width > 0 ? std::max(o.width, o.height) : o.maxMapSide, o.findTruth};
}

}  // namespace uvis::cli
