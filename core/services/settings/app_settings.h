#pragma once
// The application's persistent settings (one class, STYLE.md): a key → default table, typed
// getters that range-check what a settings file says, setters that emit `changed`. Backed by
// QSettings; pass it through constructors, never as a global.

#include <QObject>
#include <QSettings>
#include <QStringList>

#include <memory>

#include "core/engine/sampling_settings.h"

namespace uvis {

class AppSettings : public QObject {
    Q_OBJECT
public:
    // `file` empty: the platform's settings location for uvis; else an INI file (tests).
    explicit AppSettings(const QString& file = {}, QObject* parent = nullptr);
    ~AppSettings() override;

    // The sampling settings a start begins with (T, seed, p: 0.2 until a model says its own),
    // and whether p follows the model's training rate (it does until the user moves it).
    SamplingSettings startSettings() const;
    bool dropoutFollowsModel() const { return dropout() < 0; }
    // What a change of the controls leaves for the next start.
    void rememberSettings(const SamplingSettings& settings, bool dropoutFollowsModel);
    int samples() const;          // T, 1–128 (default 16)
    double dropout() const;       // p, 0–0.9; negative (the default) means the model card's train_p
    quint64 seed() const;
    int temporalFresh() const;  // video: fresh samples per frame, 0 = all T (SamplingSettings)
    QString colormap() const;     // viridis | magma | inferno | turbo
    // CPU threads for LibTorch and OpenCV, 1–1024; 0 (the default) means the cores minus one
    // (at least one), so that the GUI thread keeps a core. threads() resolves 0.
    int threads() const;
    QString lastFolder() const;
    QStringList recentFiles() const;
    QByteArray windowGeometry() const;
    QByteArray windowState() const;

    void setSamples(int samples);
    void setDropout(double p);
    void setSeed(quint64 seed);
    void setTemporalFresh(int k);
    void setColormap(const QString& name);
    void setThreads(int threads);  // 0: automatic
    void setLastFolder(const QString& folder);
    void addRecentFile(const QString& path);
    // A file or folder the user opened: first in the recent list, its folder the next dialog's.
    void rememberOpened(const QString& path);
    void setWindowGeometry(const QByteArray& geometry);
    void setWindowState(const QByteArray& state);

Q_SIGNALS:
    void changed(const QString& key);

private:
    QVariant value(const char* key) const;
    void set(const char* key, const QVariant& value);
    std::unique_ptr<QSettings> settings_;
};

}  // namespace uvis
