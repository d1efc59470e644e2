#pragma once
// File → Export the current view: one result folder holding the SPEC §5 raw maps, coloured maps
// and summary.json exactly as `uvis-cli infer` writes them (core/export: same code, same bytes),
// plus what is on screen — each view as a PNG with its title and legend (view_<name>.png), the
// six views as one sheet (sheet.png) and the chosen measure over the input (overlay.png).
// The folder appears whole or not at all. Runs on a worker thread (QImage/QPainter only).

#include <QString>

#include "core/imaging/map_views.h"
#include "core/services/analysis_session.h"

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
};

// Empty on success, else the problem naming the folder or file.
QString exportCurrentView(const ViewExportRequest& request);

// The files the folder will hold besides the SPEC §5 ones.
QStringList viewExportFiles();

}  // namespace uvis
