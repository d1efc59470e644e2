#pragma once
// What each view says beside its title about the samples it is made of: "12 / 32 samples" and,
// on a video, the frame. One rule for the views, the status bar and the inspector, so that a
// picture never claims the samples of another run.

#include <string>

#include "core/imaging/comparison_views.h"

namespace uvis {

struct AnalysedFrame;

// "12 / 32 samples" ("2 fresh + 14 carried samples" on a video sampled across frames), and
// " · frame 7" for a video frame; empty before the first samples.
std::string samplesNote(const AnalysedFrame& frame);

// The note of view slot `slot` (0 = input … kViewCount − 1) in compare mode `mode`, A's result
// `a` and B's `b`: none on the input picture; B's samples where the slot shows B; both runs'
// on a difference B − A, which is made of both.
std::string slotSamplesNote(CompareMode mode, int slot, const AnalysedFrame& a, const AnalysedFrame& b);

}  // namespace uvis
