#pragma once
// Images as they enter the engine, in plain types.

#include <cstdint>
#include <memory>
#include <vector>

namespace uvis {

// 8-bit RGB, row-major, interleaved (HWC): what a decoder hands over.
struct RgbImage {
    int width = 0;
    int height = 0;
    std::vector<std::uint8_t> pixels;  // width * height * 3
};

// One decoded picture held by everyone who needs it (the screen, the analysis, the inference
// thread, a result): a 4000×3000 photo is 36 MB, and copies of it were most of the memory a
// large image used.
using SharedImage = std::shared_ptr<const RgbImage>;

// The picture held, or an empty one: what its holders hand to readers that take a reference.
inline const RgbImage& imageOrEmpty(const SharedImage& image) {
    static const RgbImage empty;
    return image ? *image : empty;
}

// A float image tensor in CHW order, already resized and normalised for a model.
struct ImageTensor {
    int channels = 0;
    int height = 0;
    int width = 0;
    std::vector<float> values;  // channels * height * width
};

}  // namespace uvis
