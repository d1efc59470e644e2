#pragma once
// Temporal sampling for video (after Huang et al., ECCV 2018): consecutive frames show nearly
// the same scene, so a frame draws only k fresh samples and reuses up to T − k samples of earlier
// frames, carried to where their scene points are now by the motion between frames (motion.h;
// dense optical flow in frame_motion.h), weighted by age and dropped where a point was hidden or
// left the picture. A cut, a new size or other settings start afresh; so does the first frame,
// which draws all T. The statistics are SPEC §2's, weighted (core/engine/internal/weighted_stats.h).
// No LibTorch or OpenCV types here.

#include <cstdint>
#include <memory>

#include "core/engine/uncertainty_engine.h"
#include "core/temporal/motion.h"

namespace uvis {

// The seed of frame `frame`'s fresh samples: each frame draws other dropout masks than the
// frames whose samples it carries, and a frame's samples are the same whatever came before.
std::uint64_t frameSeed(std::uint64_t seed, int frame);

// The weight of a sample carried from `age` frames back (1 for a fresh one).
double carriedWeight(int age);

class TemporalSampler {
public:
    // `engine` must outlive the sampler; both are used from one thread. `estimateMotion` measures
    // how each frame moved from the one before (estimateMotion of frame_motion.h for video).
    TemporalSampler(UncertaintyEngine& engine, MotionEstimator estimateMotion);
    ~TemporalSampler();
    TemporalSampler(const TemporalSampler&) = delete;
    TemporalSampler& operator=(const TemporalSampler&) = delete;

    // Frame `frame` of a video, in order (frames may be skipped; the flow spans the gap). With
    // settings.temporalFresh k in [1, T) the result's maps hold k fresh samples (samplesDone) and
    // carriedSamples more; otherwise, and for a plain ensemble (whose members are fixed), this is
    // UncertaintyEngine::run exactly. Progress reports the fresh samples. A cancelled or failed
    // frame leaves the history as it was.
    SamplingResult runFrame(const ImageTensor& image, const SamplingSettings& settings, int frame,
                            const ProgressFn& progress = {});
    // Forget earlier frames (another video, a seek).
    void reset();

private:
    struct History;
    UncertaintyEngine& engine_;
    MotionEstimator estimateMotion_;
    std::unique_ptr<History> history_;
};

}  // namespace uvis
