#pragma once
// Maps to the display size: bilinear for values, nearest for class ids (never interpolated).

#include "core/types/maps.h"

namespace uvis {

FloatMap resizeBilinear(const FloatMap& map, int width, int height);
ClassMap resizeNearest(const ClassMap& map, int width, int height);
// Nearest for values that must not blend (ground-truth depth: an invalid 0 stays 0).
FloatMap resizeNearest(const FloatMap& map, int width, int height);

}  // namespace uvis
