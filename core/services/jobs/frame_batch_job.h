#pragma once
// Exports chosen frames of a video (the worst ones, or bookmarks) as a batch in the background:
// one folder holding, per frame, the SPEC §5 maps, pictures and summary.json exactly as a single
// export writes them, plus what the application adds (its view pictures). The folder appears
// whole or not at all; cancel stops between MC chunks and leaves nothing. Qt Core layer.

#include <QList>

#include <functional>
#include <string>

#include "core/types/image.h"
#include "core/types/maps.h"
#include "core/export/result_export.h"
#include "core/engine/sampling_settings.h"
#include "core/model/model_card.h"
#include "core/services/jobs/background_job.h"

namespace uvis {

struct FrameBatchRequest {
    // `info` says what was run on which frame (input "VIDEO#frame=N", model, settings).
    using ExtraFiles = std::function<std::string(const std::string& dir, const RgbImage& frame,
                                                 const UncertaintyMaps& maps, const ModelCard& card,
                                                 const RunInfo& info)>;
    QString video;
    QString modelPath;
    QString dir;
    bool overwrite = false;
    SamplingSettings settings;
    QList<int> frames;
    // More files per frame folder (called on the job's thread): empty or the problem.
    ExtraFiles extraFiles;
};

// progress(done, total, frame); done(problem, cancelled).
class FrameBatchJob : public BackgroundJob {
    Q_OBJECT
public:
    explicit FrameBatchJob(FrameBatchRequest request, QObject* parent = nullptr);
};

}  // namespace uvis
