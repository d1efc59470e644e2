#pragma once
// Exports chosen images of a data set (the worst N, or a selection in the Dataset dock) as one
// batch in the background: per image the result folder uvis-cli writes (SPEC §5 maps,
// pictures, summary.json, scores.json), and the batch's dataset.csv / dataset.json. The folder
// appears whole or not at all, as the video frame batch does; cancel leaves nothing. Qt Core layer.

#include <QString>

#include <vector>

#include "core/dataset/dataset_inputs.h"
#include "core/engine/sampling_settings.h"
#include "core/services/jobs/background_job.h"

namespace uvis {

struct DatasetBatchRequest {
    QString modelPath;
    QString dir;
    bool overwrite = false;
    SamplingSettings settings;
    std::vector<DatasetInput> inputs;
};

// progress(done, total, -1); done(problem, cancelled).
class DatasetBatchJob : public BackgroundJob {
    Q_OBJECT
public:
    explicit DatasetBatchJob(DatasetBatchRequest request, QObject* parent = nullptr);
};

}  // namespace uvis
