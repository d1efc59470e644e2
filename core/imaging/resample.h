#pragma once
// Maps to the display size: bilinear for values, nearest for class ids (never interpolated).

#include "core/types/image.h"
#include "core/types/maps.h"

namespace uvis {

FloatMap resizeBilinear(const FloatMap& map, int width, int height);
ClassMap resizeNearest(const ClassMap& map, int width, int height);
// Nearest for values that must not blend (ground-truth depth: an invalid 0 stays 0).
FloatMap resizeNearest(const FloatMap& map, int width, int height);
// A picture reduced (area averaging) so that its long side is at most `maxSide`, the aspect kept;
// the picture itself when it fits.
RgbImage reduceToFit(const RgbImage& image, int maxSide);

}  // namespace uvis
