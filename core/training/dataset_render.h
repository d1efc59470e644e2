#pragma once
// Rendering a data set of street-scene stills with ground truth into a folder (used by
// `uvis-train render` and by the tests).

#include <cstdint>
#include <functional>
#include <string>

#include "core/synth/ray_caster.h"
#include "core/training/dataset_manifest.h"

namespace uvis {

struct StillDatasetOptions {
    std::string dir;
    synth::Domain domain = synth::Domain::A;
    int count = 100;
    std::uint64_t seed = 1;
    int width = 256, height = 192;
    std::string command;
};

// The scene seed of image `index` of a data set: independent scenes per image.
std::uint64_t sceneSeed(std::uint64_t datasetSeed, int index);

// Writes <id>_rgb.png, <id>_depth.npy and <id>_labels.png for one rendered frame.
std::string writeDatasetItem(const std::string& dir, const DatasetItem& item, const synth::RenderedFrame& frame);

struct SequenceOptions {
    std::string dir;
    synth::Domain domain = synth::Domain::A;
    double seconds = 10;
    double fps = 10;
    std::uint64_t seed = 1;
    int width = 256, height = 192;
    bool frameTruth = true;  // also write RGB, depth and labels per frame (frame_00000_…)
    std::string command;
};

// A camera driving down one street at 6–10 m/s with moving traffic and pedestrians, written as
// `sequence.avi` (Motion-JPEG through OpenCV's own writer: every OpenCV reads it back) and the
// manifest. Empty on success, else the problem.
std::string renderSequence(const SequenceOptions& options,
                           const std::function<void(int done, int total)>& progress = {});

// Renders and writes the stills and the manifest. Empty on success, else the problem.
std::string renderStillDataset(const StillDatasetOptions& options,
                               const std::function<void(int done, int total)>& progress = {});

}  // namespace uvis
