#pragma once
// What the views are drawn with: the display options the controls chose and the ranges fixed so
// far. A new range mode, task or measure starts the fixed ranges over; Automatic is resolved for
// what is on screen (fixed on a video, per frame on an image). Views and exports read the same
// `shown` options, so an export is what the screen showed.

#include "core/imaging/map_views.h"

namespace uvis {

class DisplayState {
public:
    // Takes the controls' options; forgets the fixed ranges when they no longer apply.
    void setOptions(const DisplayOptions& options);
    void resetRanges() { ranges_.reset(); }
    // A model was loaded: what it cannot show is not shown (displayForModel), ranges start over.
    const DisplayOptions& followModel(const ModelCard& card);
    const DisplayOptions& options() const { return options_; }
    DisplayOptions shown(bool video) const;  // the range mode resolved
    RangeMemory& ranges() { return ranges_; }
    const RangeMemory& ranges() const { return ranges_; }

private:
    DisplayOptions options_;
    RangeMemory ranges_;
};

}  // namespace uvis
