#include "ui/view_export.h"

#include <QDateTime>
#include <QDir>
#include <QFileInfo>

#include <algorithm>

#include "core/export/result_export.h"
#include "ui/plots.h"
#include "ui/view_picture.h"

namespace uvis {

QStringList viewExportFiles() {
    QStringList files{"sheet.png", "overlay.png"};
    for (int i = 0; i < kViewCount; ++i) files << QString("view_%1.png").arg(viewKey(static_cast<ViewId>(i)));
    return files;
}

std::string writeViewPictures(const std::string& path, const RgbImage& input, const UncertaintyMaps& maps,
                              const ModelCard& card, const DisplayOptions& display, RangeMemory ranges,
                              const SheetHeader& header, const GroundTruth* truth, const MetricsReport* metrics) {
    const QDir dir(QString::fromStdString(path));
    auto save = [&](const QImage& image, const QString& name) -> std::string {
        if (image.isNull() || !image.save(dir.filePath(name), "PNG"))
            return dir.filePath(name).toStdString() + ": the picture could not be written";
        return {};
    };
    const std::vector<RenderedView> views = renderViews(input, &maps, card, display, &ranges);
    // Every view picture at one size, the input's shape: they line up as the views on screen do.
    const QSize scene(input.width, input.height);
    int width = 0;
    for (const RenderedView& v : views) width = std::max(width, viewPictureWidth(v));
    for (const RenderedView& v : views)
        if (std::string e = save(viewPicture(v, scene, width), QString("view_%1.png").arg(viewKey(v.id))); !e.empty())
            return e;
    if (std::string e = save(compositeSheet(views, header), "sheet.png"); !e.empty()) return e;
    // The chosen measure over the input, whether or not the screen shows it blended: the same
    // range (ranges were copied before the views were rendered into them) as its view.
    if (const std::optional<ValueRange> range = chosenRange(maps, display, &ranges))
        if (std::string e = save(toQImage(chosenOverlay(input, maps, display, *range)), "overlay.png"); !e.empty())
            return e;
    if (truth && truth->any()) {
        const TruthMaps t{truth->depth.empty() ? nullptr : &truth->depth,
                          truth->labels.empty() ? nullptr : &truth->labels};
        const RenderedErrorViews errors = renderErrorViews(maps, t, display);
        for (int i = 0; i < kErrorViewCount; ++i)
            if (!errors.views[i].image.pixels.empty())
                if (std::string e = save(viewPicture(errors.views[i], scene, width),
                                         QString("view_%1.png").arg(errorViewKey(static_cast<ErrorViewId>(i))));
                    !e.empty())
                    return e;
    }
    if (metrics && metrics->segmentation)
        if (std::string e = save(reliabilityImage(*metrics->segmentation), "reliability.png"); !e.empty()) return e;
    if (metrics && metrics->depth) {
        if (std::string e = save(sparsificationImage(*metrics->depth, false), "sparsification_rmse.png"); !e.empty())
            return e;
        if (std::string e = save(sparsificationImage(*metrics->depth, true), "sparsification_abs_rel.png"); !e.empty())
            return e;
    }
    return {};
}

SheetHeader sheetHeader(const QString& input, const QString& modelPath, const ModelCard& card,
                        const SamplingSettings& settings) {
    SheetHeader h;
    h.input = input;
    h.model = QString::fromStdString(card.name) + (modelPath.isEmpty() ? QString() : " (" + modelPath + ")");
    h.samples = settings.samples;
    h.dropout = settings.dropout;
    h.seed = settings.seed;
    h.date = QDateTime::currentDateTime().toString(Qt::ISODate);
    return h;
}

QString exportCurrentView(const ViewExportRequest& r) {
    if (!r.frame.maps) return "nothing to export yet: no result";
    const UncertaintyMaps& maps = *r.frame.maps;
    SamplingResult result;
    result.maps = maps;
    result.device = r.stats.device.toStdString();
    result.encodeMs = r.stats.encodeMs;
    result.msPerSample = r.stats.msPerSample;
    result.totalMs = r.stats.totalMs;
    QString input = r.inputPath;
    if (r.frame.frameIndex >= 0) input += QString("#frame=%1").arg(r.frame.frameIndex);
    RunInfo info;
    info.input = input.toStdString();
    info.modelPath = r.modelPath.toStdString();
    info.settings = r.frame.settings;
    info.result = &result;
    if (!r.metrics.empty()) {
        info.metrics = &r.metrics;
        info.depthTruthPath = r.truth.depth.empty() ? "" : r.truth.paths.depth;
        info.labelTruthPath = r.truth.labels.empty() ? "" : r.truth.paths.labels;
    }
    ExportOptions options;
    options.dir = r.dir.toStdString();
    options.overwrite = r.overwrite;
    options.extraFiles = [&](const std::string& partial) {
        return writeViewPictures(partial, r.frame.image(), maps, r.card, r.display, r.ranges,
                                 sheetHeader(input, r.modelPath, r.card, r.frame.settings), &r.truth,
                                 r.metrics.empty() ? nullptr : &r.metrics);
    };
    return QString::fromStdString(exportResult(options, r.frame.image(), r.card, info));
}

}  // namespace uvis
