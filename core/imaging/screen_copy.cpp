#include "core/imaging/screen_copy.h"

#include <algorithm>

namespace uvis {

const RgbImage& ScreenCopy::of(const SharedImage& source) {
    if (!source) return imageOrEmpty(source);
    if (source != source_) {
        source_ = source;
        const int longest = std::max(source->width, source->height);
        copy_ = longest <= kScreenCopySide ? source : std::make_shared<const RgbImage>(reduceToFit(*source, kScreenCopySide));
    }
    return *copy_;
}

}  // namespace uvis
