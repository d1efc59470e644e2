#pragma once
// The image on screen at the size a screen can show. Every view is drawn over the input at the
// input's size, so a 4000×3000 photo made each of them a 48 MB picture, redrawn for every partial
// result of the maps (memory, and a GUI thread too busy to close promptly). The views draw over
// this copy instead — all of them, so every view still shows the same scene point at the same
// place — while exports keep the full resolution.

#include "core/imaging/resample.h"
#include "core/types/image.h"

namespace uvis {

// Long side of the screen copy: more than a 1920×1080 screen shows of one view, with room to zoom.
constexpr int kScreenCopySide = 2048;

// One screen copy at a time, made again only when the source changes (a new image or frame).
class ScreenCopy {
public:
    const RgbImage& of(const SharedImage& source);  // an empty image for a null source

private:
    SharedImage source_;
    SharedImage copy_;
};

}  // namespace uvis
