#pragma once
// Training the built-in network on a rendered data set with the losses of SPEC §3.
// Public: no LibTorch types.

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "core/runtime/device.h"

namespace uvis {

struct TrainOptions {
    std::string dataDir;
    std::string domain;           // "A" or "B": refuse a data set of another domain; empty: any
    double fraction = 1.0;        // share of the training set used (the seed table's 25 %)
    std::uint64_t subsetSeed = 0; // with fraction < 1: 0 takes the first part of the list, any
                                  // other value a random subset drawn with this seed
    int steps = 3000;
    int batchSize = 8;
    double learningRate = 2e-3;   // Adam, cosine decay to 5 % over the run
    int width = 32;               // network width
    bool encoderDropout = false;  // dropout on the 1/8 encoder features too (NativeNetworkOptions)
    double trainDropout = 0.2;    // the rate; with concreteDropout, every site's starting rate
    // Learn each dropout site's rate (concrete dropout, concrete_dropout.h) with a regulariser
    // scaled by the training set's likelihood terms (images × loss pixels); the card then lists
    // the learned rates.
    bool concreteDropout = false;
    int noiseSamples = 5;         // logit-noise draws M of the classification loss
    bool laplace = false;         // Laplace instead of Gaussian depth likelihood
    std::uint64_t seed = 1;
    DeviceKind device = DeviceKind::Cpu;
    std::string outPath;          // the model file
    int checkpointEvery = 500;    // steps; writes <out>.checkpoint
    std::string resumeFrom;       // a checkpoint to continue from
    std::string name = "uvis-street";
    std::string command;          // recorded in the model card
};

struct TrainProgress {
    int step = 0, steps = 0;
    double loss = 0, depthLoss = 0, segLoss = 0;
    double depthLogVar = 0, segLogVar = 0;  // learned task uncertainties λ
    std::vector<double> dropoutRates;       // concrete dropout: each site's learned rate
    double elapsedSeconds = 0, etaSeconds = 0;
};

struct TrainResult {
    std::string error;
    std::string warning;
    TrainProgress last;
    double wallSeconds = 0;
    int trainImages = 0;
    bool cancelled = false;
    bool ok() const { return error.empty(); }
};

// Calls `progress` every few steps; returning false stops after the step (a checkpoint is kept).
TrainResult trainModel(const TrainOptions& options,
                       const std::function<bool(const TrainProgress&)>& progress = {});

// Replaces the "training" object of a saved model's card (metrics after evaluation).
std::string updateModelTraining(const std::string& modelPath, const std::string& trainingJson);

}  // namespace uvis
