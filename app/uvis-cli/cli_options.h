#pragma once
// What `uvis-cli infer` was asked to do, parsed and range-checked.

#include <QString>
#include <QStringList>

#include "common/exit_codes.h"
#include "core/dataset/shard.h"
#include "core/engine/sampling_settings.h"
#include "core/model/model_loader.h"

namespace uvis::cli {

// The family's exit codes (common/exit_codes.h).
using app::BadInput;
using app::BadModel;
using app::BadUsage;
using app::ExitCode;
using app::Failure;
using app::Ok;

struct InferOptions {
    QString model;
    SamplingSettings settings;
    bool dropoutGiven = false;   // else the card's train_p
    bool calibrate = true;       // apply <model>.calibration.json for the method when present
    int width = 0, height = 0;   // --size of written maps (0: the input's)
    QString out = "uvis-out";
    int firstFrame = 0, lastFrame = -1;  // --frames A:B, B exclusive, -1: to the end
    int every = 1;
    bool rawMaps = false;        // videos: raw maps per frame only on request
    bool overwrite = false;
    bool quiet = false;
    QString gtDepth, gtLabels;   // --gt-depth / --gt-labels (one image input)
    bool findTruth = true;       // ground truth beside each image by the naming convention
    bool trustModel = false;     // skip the child-process check (the bundled model is trusted)
    int checkTimeoutS = 60;      // the check's time limit
    int inputTimeoutS = 600;     // per input image (checked between MC chunks); 0: none
    long long maxPixels = 50'000'000;  // images above are refused from their header
    int maxMapSide = 4096;       // written maps: longer side at most this, unless --size
    bool strict = false;         // refuse inputs that decode with a warning (a truncated JPEG)
    bool resume = false;         // keep complete results of the same settings (scores.json's key)
    Shard shard;                 // --shard I/N or auto: this process's part of the inputs
    QStringList inputs;
};

int runInfer(const InferOptions& options);

// uvis-cli compare: methods side by side on two domains, with and without calibration.
struct CompareOptions {
    InferOptions base;              // -m (the single model), seed, device, p, quiet
    std::vector<int> mcSamples{8, 16, 32};
    int ttaSamples = 8;             // 0: no TTA rows
    QStringList ensembles;          // ensemble cards or folders
    int ensembleMcSamples = 8;      // 0: no ensemble + MC rows
    // Paths as the command line gave them (bytes: a folder name need not be UTF-8).
    std::string fit;                // calibration folder (empty: uncalibrated rows only)
    std::string domainA, domainB;
    std::string json;               // also write the rows here
};
int runCompare(const CompareOptions& options);
// uvis-cli calibrate: fits τ and c on a folder with ground truth, writes <model>.calibration.json.
int runCalibrate(const InferOptions& options, const std::string& data, int probesPerImage);
// The settings of a run: p by the method when not given, the model's calibration for the method
// (unless --no-calibration). -1, or the exit code of an unreadable calibration file (on stderr).
int runSettings(const InferOptions& options, const ModelCard& card, SamplingSettings* settings);
// uvis-cli merge OUT SHARD...: the shards' dataset.json into one table, sums added exactly.
int runMerge(const QString& out, const QStringList& shardDirs, bool overwrite);
// uvis-cli ood IN OUT: how well mean epistemic uncertainty separates two sets of images.
int runOod(const InferOptions& options, const QString& inDistribution, const QString& outOfDistribution);
// validate-model and info load an untrusted file: by default in a child process (this program
// with --in-process) under a time limit, so that a crash or a hang is a refusal (exit 4).
int runInfo(const QString& model, bool inProcess, int timeoutS);
int runValidateModel(const QString& model, bool inProcess, int timeoutS);

// The model of an infer or ood run, checked first in a child process unless trusted, then
// loaded. -1 with `loaded` set, else the exit code (the message is on stderr).
int loadRunModel(const InferOptions& options, uvis::LoadedModel* loaded);

// The bundled demo model: $UVIS_RESOURCES, else next to the executable (installed), else the
// source tree this binary was built from.
QString defaultModelPath();

}  // namespace uvis::cli
