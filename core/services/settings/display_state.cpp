#include "core/services/settings/display_state.h"

namespace uvis {

void DisplayState::setOptions(const DisplayOptions& o) {
    // A range fixed for one measure means nothing for another.
    if (o.rangeMode != options_.rangeMode || o.task != options_.task || o.measure != options_.measure) ranges_.reset();
    options_ = o;
}

DisplayOptions DisplayState::shown(bool video) const {
    DisplayOptions o = options_;
    o.rangeMode = resolvedRangeMode(o.rangeMode, video);
    return o;
}

const DisplayOptions& DisplayState::followModel(const ModelCard& card) {
    options_ = displayForModel(options_, card);
    ranges_.reset();
    return options_;
}

}  // namespace uvis
