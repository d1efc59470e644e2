#pragma once
// Ground truth for an image, for the metrics of issues #6 and #13. One loader for every format:
//   depth:  16-bit PNG (millimetres — uvis, NYU-style; metres × 256 in KITTI's layouts; any
//           scale a manifest gives), float .npy in metres (uint16 .npy in millimetres), or EXR
//           (first channel, metres). 0 and non-finite values mark invalid pixels.
//   labels: 8-bit index PNG (one channel), a palette PNG (colours of the model card's classes;
//           colours of no class become 255), or uint8 .npy. 255 marks invalid pixels. Index ids
//           become the model's classes explicitly (labelMapping): by name through the data set's
//           classes.json, by the card's label_map (Cityscapes' labelIds), or — said in a warning —
//           taken as the model's indices.
// Where the truth of an image is (findTruthFor):
//   uvis (`uvis-train render`): beside `<id>_rgb.<ext>` (or `<id>.<ext>`) `<id>_depth.{npy,png,exr}`
//           and `<id>_labels.{png,npy}`; NYU-style `rgb_<n>` beside `depth_<n>.png`, `labels_<n>.png`.
//   KITTI:  `<drive>/image_0X/data/<frame>.png` → `<drive>/proj_depth/groundtruth/image_0X/<frame>.png`;
//           depth selection `image/<p>_image_<f>_image_0X.png` → `groundtruth_depth/<p>_groundtruth_depth_<f>_image_0X.png`.
//   Cityscapes: `leftImg8bit/<split>/<city>/<id>_leftImg8bit.png` → `gtFine/<split>/<city>/<id>_gtFine_labelIds.png`.

#include <cstdint>
#include <string>
#include <vector>

#include "core/types/maps.h"
#include "core/model/model_card.h"

namespace uvis {

struct DepthTruth {
    FloatMap map;       // metres; 0 = invalid
    std::string error;  // names the file and the problem
};
// 16-bit depth PNG units per metre by where the file lies: 256 in KITTI's folders, else 1000.
double depthPngUnitsPerMetre(const std::string& path);
// `pngUnitsPerMetre` 0: by depthPngUnitsPerMetre.
DepthTruth readDepthTruth(const std::string& path, double pngUnitsPerMetre = 0);

struct LabelTruth {
    ClassMap map;       // class indices (palette) or the file's ids (index); 255 = invalid
    bool palette = false;  // read by the card's colours: already the model's classes
    std::string error;
};
// `classes` maps a colour PNG's colours to indices.
LabelTruth readLabelTruth(const std::string& path, const std::vector<ClassInfo>& classes);

// Empty when the truth has the image's size, else a message naming the file and both sizes.
// For an image analysed reduced (a large photo), truth at the file's own size (fileWidth ×
// fileHeight, 0 when not reduced) is accepted too; loadGroundTruth then resamples it, nearest.
std::string checkTruthSize(const std::string& path, int width, int height, int imageWidth, int imageHeight,
                           int fileWidth = 0, int fileHeight = 0);

struct TruthPaths {
    std::string depth, labels;  // empty when absent
    double depthScale = 0;      // 16-bit depth PNG units per metre; 0: depthPngUnitsPerMetre
    std::vector<std::string> labelNames;  // the data set's class names by id (a manifest's); empty: classes.json
};
TruthPaths findTruthFor(const std::string& imagePath);
// Files that are ground truth in one of the layouts above, never inputs.
bool isTruthFile(const std::string& path);

// The data set's class names by id from `classes.json` (["sky", …] or {"classes": [...]}) in the
// label file's folder or up to three folders above; empty when there is none (or `error` set).
std::vector<std::string> findClassList(const std::string& labelPath, std::string* error);

// How the ids of an index label file become the model's classes, and what did not match.
struct LabelMapping {
    std::vector<std::uint8_t> lookup = std::vector<std::uint8_t>(256, kIgnoreLabel);  // id → class, 255 ignore
    std::string how;                    // for summary.json and the metrics panel
    std::vector<std::string> warnings;  // class lists that disagree
};
LabelMapping labelMapping(const std::string& labelPath, const std::vector<std::string>& datasetNames,
                          const ModelCard& card);
// Applies `mapping` to `labels`; a warning naming the ids the model does not know and their share
// of the labelled pixels, empty when every labelled pixel maps.
std::string applyLabelMapping(const LabelMapping& mapping, const std::string& labelPath, ClassMap* labels);

// The ground truth of one image: the files given, else those found beside it; each read and
// checked against the image's size. A file that fails is an error (the user, or the naming
// convention, said it is the truth of this image).
struct GroundTruth {
    TruthPaths paths;
    FloatMap depth;   // empty when none
    ClassMap labels;  // empty when none
    std::vector<std::string> errors;
    std::vector<std::string> warnings;  // ids the model does not know, class lists that disagree
    std::string labelMapping;           // how the label ids were matched to the model's classes
    bool any() const { return !depth.empty() || !labels.empty(); }
};
GroundTruth loadGroundTruth(const std::string& imagePath, TruthPaths given, bool searchBeside, int imageWidth,
                            int imageHeight, const ModelCard& card, int fileWidth = 0, int fileHeight = 0);

}  // namespace uvis
