#pragma once
// File → Export the current view: one result folder holding the SPEC §5 raw maps, coloured maps
// and summary.json exactly as `uvis-cli infer` writes them (core/export: same code, same bytes),
// plus what is on screen — each view as a PNG with its title and legend (view_<name>.png), the
// six views as one sheet (sheet.png) and the chosen measure over the input (overlay.png); with
// ground truth also the error views, the metrics in summary.json, their CSV numbers and plots
// (reliability.png, sparsification_rmse.png, sparsification_abs_rel.png).
// The folder appears whole or not at all. Runs on a worker thread (QImage/QPainter only).

#include <QString>

#include "core/imaging/error_views.h"
#include "core/imaging/map_views.h"
#include "core/io/ground_truth.h"
#include "core/metrics/metrics.h"
#include "core/services/sessions/analysis_session.h"
#include "ui/view_picture.h"

namespace uvis {

struct ViewExportRequest {
    QString dir;
    bool overwrite = false;
    QString inputPath;
    QString modelPath;
    AnalysedFrame frame;  // maps, the image they came from, settings
    ModelCard card;
    InferenceStats stats;
    DisplayOptions display;
    RangeMemory ranges;
    GroundTruth truth;      // may be empty
    MetricsReport metrics;  // may be empty
};

// Empty on success, else the problem naming the folder or file.
QString exportCurrentView(const ViewExportRequest& request);

// The application's pictures of one result into `dir` (also used for batches of video frames).
// `header` heads sheet.png.
std::string writeViewPictures(const std::string& dir, const RgbImage& input, const UncertaintyMaps& maps,
                              const ModelCard& card, const DisplayOptions& display, RangeMemory ranges,
                              const SheetHeader& header, const GroundTruth* truth = nullptr,
                              const MetricsReport* metrics = nullptr);

// The header of a sheet of `input` analysed with `settings` (the date is now).
SheetHeader sheetHeader(const QString& input, const QString& modelPath, const ModelCard& card,
                        const SamplingSettings& settings);

// The files the folder will hold besides the SPEC §5 ones (without ground truth).
QStringList viewExportFiles();

}  // namespace uvis
