#pragma once
// The inputs of a data set and the ground truth of each, from what a user names: image and video
// files, folders (searched recursively; ground-truth files of the known layouts are not inputs,
// nor is what uvis wrote there: a sub-folder with a summary.json is a uvis result, skipped),
// and manifests — a CSV or JSON list of images with their depth and label files for any other
// layout. One list for uvis-cli and the application's Dataset dock.
//
// Manifest CSV: a header with `image` and any of `depth`, `labels`, `depth_scale` (16-bit depth
// PNG units per metre), then one row per image; paths relative to the manifest's folder.
// Manifest JSON: {"classes": ["sky", …] (optional), "images": [{"image": …, "depth": …,
// "labels": …, "depth_scale": …}, …]} or just the list.

#include <string>
#include <vector>

#include "core/io/ground_truth.h"

namespace uvis {

struct DatasetInput {
    std::string path;  // as given or found
    std::string name;  // relative to its folder or manifest, '/'-separated: the row's key and shard hash
    bool video = false;
    bool fromManifest = false;  // `truth` is what the manifest says (else found by the layouts)
    TruthPaths truth;
};

struct DatasetInputs {
    std::vector<DatasetInput> inputs;  // sorted by name within each argument
    std::vector<std::string> errors;   // an argument that is no file, an empty folder, a bad manifest
};

bool isManifestPath(const std::string& path);  // .csv or .json
// What opens as a data set rather than as one file: a folder or a manifest.
bool isDatasetPath(const std::string& path);
DatasetInputs collectDatasetInputs(const std::vector<std::string>& paths);
// A manifest alone (the application's File → Open for a .csv/.json).
DatasetInputs readManifest(const std::string& path);

}  // namespace uvis
