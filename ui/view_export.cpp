#include "ui/view_export.h"

#include <QDir>
#include <QFileInfo>

#include "core/export/result_export.h"
#include "ui/view_picture.h"

namespace uvis {

QStringList viewExportFiles() {
    QStringList files{"sheet.png", "overlay.png"};
    for (int i = 0; i < kViewCount; ++i) files << QString("view_%1.png").arg(viewKey(static_cast<ViewId>(i)));
    return files;
}

QString exportCurrentView(const ViewExportRequest& r) {
    if (!r.frame.maps) return "nothing to export yet: no result";
    const UncertaintyMaps& maps = *r.frame.maps;
    McResult result;
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

    ExportOptions options;
    options.dir = r.dir.toStdString();
    options.overwrite = r.overwrite;
    RangeMemory ranges = r.ranges;
    options.extraFiles = [&](const std::string& partial) -> std::string {
        const QDir dir(QString::fromStdString(partial));
        const std::vector<RenderedView> views = renderViews(r.frame.input, &maps, r.card, r.display, &ranges);
        auto save = [&](const QImage& image, const QString& name) -> std::string {
            if (image.isNull() || !image.save(dir.filePath(name), "PNG"))
                return dir.filePath(name).toStdString() + ": the picture could not be written";
            return {};
        };
        for (const RenderedView& v : views)
            if (std::string e = save(viewPicture(v), QString("view_%1.png").arg(viewKey(v.id))); !e.empty()) return e;
        if (std::string e = save(compositeSheet(views), "sheet.png"); !e.empty()) return e;
        // The chosen measure over the input, whether or not the screen shows it blended.
        DisplayOptions blended = r.display;
        blended.overlay = true;
        const RenderedView overlay = renderViews(r.frame.input, &maps, r.card, blended, &ranges).back();
        return overlay.image.pixels.empty() ? std::string() : save(toQImage(overlay.image), "overlay.png");
    };
    return QString::fromStdString(exportResult(options, r.frame.input, r.card, info));
}

}  // namespace uvis
