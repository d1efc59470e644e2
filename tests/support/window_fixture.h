#pragma once
// A MainWindow for GUI tests: its own settings file, the bundled model and sample, T samples.
// Header-only (Qt Widgets); used by tst_main_window and tst_failure_hunting.

#include <QFile>
#include <QTemporaryDir>
#include <QTest>

#include <memory>

#include "core/services/settings/app_settings.h"
#include "ui/main_window.h"

namespace uvis::test {

inline const QString kModel = UVIS_RESOURCES "/models/uvis-street-demo.uvis";
inline const QString kSample = UVIS_RESOURCES "/samples/domainA/A_000000_rgb.png";
inline const QString kVideo = UVIS_RESOURCES "/samples/video/sequence.avi";
// Users' models are checked by the application itself in its hidden check mode, as in use.
inline ValidatorCommand appValidator() { return {UVIS_APP, {"--check-model"}}; }
constexpr int kWait = 300000;  // a bound for a busy machine and a sanitizer build, not a measure

// A window with its own settings file, the bundled model and sample, at T = 4.
struct Fixture {
    QTemporaryDir dir;
    std::unique_ptr<AppSettings> settings;
    std::unique_ptr<MainWindow> window;

    // `loader`: how the inference worker loads models (tests_models.h's gated model, say).
    explicit Fixture(int samples = 4, ModelLoaderFn loader = {}) {
        settings = std::make_unique<AppSettings>(dir.filePath("uvis.ini"));
        settings->setSamples(samples);
        // Its own score cache too: nothing of another run is reused.
        window = std::make_unique<MainWindow>(
            *settings, MainWindow::Paths{kModel, appValidator(), dir.filePath("cache"), std::move(loader)});
        window->resize(1200, 700);
        window->show();
    }
    AnalysisSession& session() { return window->session(); }
    // Waits for a complete result of `samples` passes.
    bool waitForFinal(int samples) {
        return QTest::qWaitFor(
            [&] {
                const AnalysedFrame& f = session().latest();
                return f.final && f.maps && f.maps->samplesRequested == samples;
            },
            kWait);
    }
    bool start(int samples = 4) {
        window->openModel(kModel);
        window->openFile(kSample);
        return waitForFinal(samples);
    }
};

inline QByteArray readAll(const QString& path) {
    QFile f(path);
    return f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray();
}

}  // namespace uvis::test
