// uvis-cli info / validate-model, and where the bundled model lives.

#include <QCoreApplication>
#include <QDir>
#include <QFileInfo>

#include <cstdio>

#include "cli_options.h"
#include "core/model_validation.h"

namespace uvis::cli {

QString defaultModelPath() {
    const QString relative = "models/uvis-street-demo.uvis";
    const QString env = qEnvironmentVariable("UVIS_RESOURCES");
    if (!env.isEmpty()) return QDir(env).filePath(relative);
    const QString installed = QDir(QCoreApplication::applicationDirPath()).filePath("../share/uvis/resources/" + relative);
    if (QFileInfo::exists(installed)) return installed;
    return QDir(UVIS_SOURCE_RESOURCES).filePath(relative);
}

int runValidateModel(const QString& model) {
    const ModelReport report = validateModel(model.toStdString());
    std::fputs(formatReport(report).c_str(), report.ok ? stdout : stderr);
    return report.ok ? Ok : BadModel;
}

int runInfo(const QString& model) {
    const ModelReport report = validateModel(model.toStdString());
    std::fputs(formatReport(report).c_str(), stdout);
    if (!report.kind.empty()) {
        std::printf("  classes:");
        for (const auto& c : report.card.classes) std::printf(" %s", c.name.c_str());
        std::printf("\n  fast path: %s\n  card:\n%s\n", report.fastPath ? "yes" : "no", modelCardToJson(report.card).c_str());
    }
    return report.ok ? Ok : BadModel;
}

}  // namespace uvis::cli
