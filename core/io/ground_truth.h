#pragma once
// Ground truth for an image, for the metrics of issue #6.
//   depth:  16-bit PNG in millimetres, float .npy in metres (uint16 .npy in millimetres), or
//           EXR (first channel, metres). 0 and non-finite values mark invalid pixels.
//   labels: 8-bit index PNG (one channel), a palette PNG (colours of the model card's classes;
//           colours of no class become 255), or uint8 .npy. 255 marks invalid pixels.
// Naming convention, as `uvis-train render` writes data sets: beside `<id>_rgb.<ext>` (or any
// `<id>.<ext>`) the files `<id>_depth.{npy,png,exr}` and `<id>_labels.{png,npy}`.

#include <string>
#include <vector>

#include "core/maps.h"
#include "core/model_card.h"

namespace uvis {

struct DepthTruth {
    FloatMap map;       // metres; 0 = invalid
    std::string error;  // names the file and the problem
};
DepthTruth readDepthTruth(const std::string& path);

struct LabelTruth {
    ClassMap map;       // class indices; 255 = invalid
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
};
TruthPaths findTruthBeside(const std::string& imagePath);

// The ground truth of one image: the files given, else those found beside it; each read and
// checked against the image's size. A file that fails is an error (the user, or the naming
// convention, said it is the truth of this image).
struct GroundTruth {
    TruthPaths paths;
    FloatMap depth;   // empty when none
    ClassMap labels;  // empty when none
    std::vector<std::string> errors;
    bool any() const { return !depth.empty() || !labels.empty(); }
};
GroundTruth loadGroundTruth(const std::string& imagePath, TruthPaths given, bool searchBeside, int imageWidth,
                            int imageHeight, const std::vector<ClassInfo>& classes, int fileWidth = 0,
                            int fileHeight = 0);

}  // namespace uvis
