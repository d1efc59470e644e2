#include "core/services/sessions/samples_note.h"

#include "core/services/sessions/analysis_session.h"
#include "core/types/frame_numbers.h"

namespace uvis {

namespace {

std::string counts(const AnalysedFrame& f) {
    // Temporal sampling on video: the frame's own samples and those carried from earlier frames.
    if (f.maps->carriedSamples > 0)
        return std::to_string(f.maps->samplesDone) + " fresh + " + std::to_string(f.maps->carriedSamples) + " carried";
    return std::to_string(f.maps->samplesDone) + " / " + std::to_string(f.maps->samplesRequested);
}

std::string withFrame(std::string note, const AnalysedFrame& f) {
    if (f.frameIndex >= 0) note += " · " + frameName(f.frameIndex);
    return note;
}

}  // namespace

std::string samplesNote(const AnalysedFrame& f) {
    if (!f.maps) return {};
    return withFrame(counts(f) + " samples", f);
}

std::string slotSamplesNote(CompareMode mode, int slot, const AnalysedFrame& a, const AnalysedFrame& b) {
    switch (mode) {
    case CompareMode::Off:
    case CompareMode::A: return slot == 0 ? std::string() : samplesNote(a);
    case CompareMode::B: return slot == 0 ? std::string() : samplesNote(b);
    case CompareMode::Both: return samplesNote(slot < kViewCount / 2 ? a : b);  // A on top, B below
    case CompareMode::Difference:
        if (slot == 0 || !a.maps || !b.maps) return {};
        return withFrame("A " + counts(a) + " · B " + counts(b) + " samples", a);
    }
    return {};
}

}  // namespace uvis
