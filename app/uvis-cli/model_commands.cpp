// uvis-cli info / validate-model, and where the bundled model lives.

#include <QCoreApplication>
#include <QDir>
#include <QFileInfo>

#include <cstdio>

#include "cli_options.h"
#include "core/services/resource_paths.h"
#include "core/model_validation.h"

namespace uvis::cli {

QString defaultModelPath() { return bundledModelPath(); }

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
