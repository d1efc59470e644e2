#pragma once
// Maps to the display size: bilinear for values, nearest for class ids (never interpolated).

#include "core/maps.h"

namespace uvis {

FloatMap resizeBilinear(const FloatMap& map, int width, int height);
ClassMap resizeNearest(const ClassMap& map, int width, int height);

}  // namespace uvis
