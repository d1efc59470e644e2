#include "core/services/settings/app_settings.h"

#include <QFileInfo>

#include <QHash>

#include <algorithm>

#include "core/runtime/compute_threads.h"
#include "core/services/settings/recent_files.h"

namespace uvis {
namespace {

// Every key with its default, in one place.
const QHash<QString, QVariant>& defaults() {
    static const QHash<QString, QVariant> table{
        {"mc/samples", 16},         {"mc/dropout", -1.0},        {"mc/seed", 0ULL},         {"mc/temporalFresh", 0},         {"compute/threads", 0},
        {"view/colormap", "viridis"}, {"files/lastFolder", QString()}, {"files/recent", QStringList()},
        {"window/geometry", QByteArray()}, {"window/state", QByteArray()}};
    return table;
}

const QStringList kColormaps{"viridis", "magma", "inferno", "turbo"};

}  // namespace

AppSettings::AppSettings(const QString& file, QObject* parent)
    : QObject(parent),
      settings_(file.isEmpty() ? std::make_unique<QSettings>("uvis", "uvis")
                               : std::make_unique<QSettings>(file, QSettings::IniFormat)) {}

AppSettings::~AppSettings() = default;

QVariant AppSettings::value(const char* key) const { return settings_->value(key, defaults().value(key)); }

void AppSettings::set(const char* key, const QVariant& v) {
    if (settings_->value(key, defaults().value(key)) == v) return;
    settings_->setValue(key, v);
    Q_EMIT changed(QString::fromLatin1(key));
}

int AppSettings::samples() const {
    bool ok = false;
    const int t = value("mc/samples").toInt(&ok);
    return ok ? std::clamp(t, 1, 128) : defaults().value("mc/samples").toInt();
}

double AppSettings::dropout() const {
    bool ok = false;
    const double p = value("mc/dropout").toDouble(&ok);
    if (!ok || p < 0) return -1.0;
    return std::min(p, 0.9);
}

quint64 AppSettings::seed() const { return value("mc/seed").toULongLong(); }

int AppSettings::temporalFresh() const {
    bool ok = false;
    const int k = value("mc/temporalFresh").toInt(&ok);
    return ok ? std::clamp(k, 0, 128) : 0;
}

QString AppSettings::colormap() const {
    const QString name = value("view/colormap").toString().toLower();
    return kColormaps.contains(name) ? name : QStringLiteral("viridis");
}

int AppSettings::threads() const {
    bool ok = false;
    const int n = value("compute/threads").toInt(&ok);
    return ok && n > 0 ? std::min(n, 1024) : interactiveThreadDefault();
}

QString AppSettings::lastFolder() const { return value("files/lastFolder").toString(); }
QStringList AppSettings::recentFiles() const { return value("files/recent").toStringList(); }
QByteArray AppSettings::windowGeometry() const { return value("window/geometry").toByteArray(); }
QByteArray AppSettings::windowState() const { return value("window/state").toByteArray(); }

void AppSettings::setSamples(int samples) { set("mc/samples", std::clamp(samples, 1, 128)); }
void AppSettings::setDropout(double p) { set("mc/dropout", p < 0 ? -1.0 : std::min(p, 0.9)); }
void AppSettings::setSeed(quint64 seed) { set("mc/seed", seed); }
void AppSettings::setTemporalFresh(int k) { set("mc/temporalFresh", std::clamp(k, 0, 128)); }
void AppSettings::setColormap(const QString& name) {
    if (kColormaps.contains(name.toLower())) set("view/colormap", name.toLower());
}
void AppSettings::setThreads(int threads) { set("compute/threads", std::clamp(threads, 0, 1024)); }
void AppSettings::setLastFolder(const QString& folder) { set("files/lastFolder", folder); }
void AppSettings::addRecentFile(const QString& path) { set("files/recent", uvis::addRecentFile(recentFiles(), path)); }
void AppSettings::setWindowGeometry(const QByteArray& geometry) { set("window/geometry", geometry); }
void AppSettings::setWindowState(const QByteArray& state) { set("window/state", state); }

SamplingSettings AppSettings::startSettings() const {
    SamplingSettings s;
    s.samples = samples();
    s.seed = seed();
    s.temporalFresh = temporalFresh();
    s.dropout = dropoutFollowsModel() ? 0.2 : dropout();
    return s;
}

void AppSettings::rememberSettings(const SamplingSettings& s, bool dropoutFollowsModel) {
    setSamples(s.samples);
    setSeed(s.seed);
    setTemporalFresh(s.temporalFresh);
    setDropout(dropoutFollowsModel ? -1.0 : s.dropout);
}

void AppSettings::rememberOpened(const QString& path) {
    addRecentFile(QFileInfo(path).absoluteFilePath());
    setLastFolder(QFileInfo(path).absolutePath());
}

}  // namespace uvis
