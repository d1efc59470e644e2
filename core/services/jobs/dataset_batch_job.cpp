#include "core/services/jobs/dataset_batch_job.h"

#include <filesystem>

#include "core/io/atomic_file.h"
#include "core/engine/uncertainty_engine.h"
#include "core/services/batch/dataset_scoring.h"

namespace uvis {
namespace {

JobOutcome exportBatch(const DatasetBatchRequest& r, BackgroundJob& job) {
    QString problem;
    const std::unique_ptr<UncertaintyEngine> engine = BackgroundJob::loadEngine(r.modelPath, r.settings.device, &problem);
    if (!engine) return {problem, false};
    const ModelCard& card = engine->card();
    PartialFolder folder;  // removed unless committed
    if (std::string e = folder.open(r.dir.toStdString(), r.overwrite); !e.empty()) return {QString::fromStdString(e), false};
    DatasetTable table;
    table.settings = datasetSettings(card, r.modelPath.toStdString(), r.settings);
    table.inputsTotal = r.inputs.size();
    int done = 0;
    for (const DatasetInput& in : r.inputs) {
        if (job.cancelRequested()) return {{}, true};
        const PreparedInput p = prepareInput(in, card, DecodeLimits{});
        if (!p.error.empty()) return {QString::fromStdString(p.error), false};
        const ScoredInput s = scoreInput(p, *engine, card, r.settings, [&job] { return !job.cancelRequested(); });
        if (s.cancelled) return {{}, true};
        if (!s.error.empty()) return {QString::fromStdString(s.error), false};
        const std::filesystem::path name(in.name);
        ResultFolder result{(std::filesystem::path(folder.path()) / name.parent_path() / name.stem()).string()};
        std::filesystem::create_directories(std::filesystem::path(result.dir).parent_path());
        if (std::string e = writeScoredResult(result, r.modelPath.toStdString(), card, r.settings, p, s,
                                              resultKey(table.settings, in.path));
            !e.empty())
            return {QString::fromStdString(e), false};
        table.add(s.row);
        job.reportProgress(++done, static_cast<int>(r.inputs.size()));
    }
    if (std::string e = writeDatasetFiles(folder.path(), table, true); !e.empty()) return {QString::fromStdString(e), false};
    return {QString::fromStdString(folder.commit()), false};
}

}  // namespace

DatasetBatchJob::DatasetBatchJob(DatasetBatchRequest request, QObject* parent)
    : BackgroundJob(request.dir, [request](BackgroundJob& job) { return exportBatch(request, job); }, parent) {}

}  // namespace uvis
