#pragma once
// A second configuration B (model, method, T, p, seed) analysing the image the Workspace shows,
// beside the window's own configuration A ("which uncertainty can I trust?"). It owns
// B's AnalysisSession and decides what follows what: B sees every image and frame A sees; B's
// model is A's until the user opens another (and follows A's when A's changes); B starts from
// A's settings the first time it opens; a complete result of a still image with ground truth is
// evaluated like A's. The mode says what the views show (A, B, both, B − A); Off stops B. Qt
// Core layer: the window shows what this says.

#include <QObject>

#include "core/imaging/comparison_views.h"
#include "core/metrics/metrics.h"
#include "core/services/sessions/workspace.h"

namespace uvis {

class ComparisonSession : public QObject {
    Q_OBJECT
public:
    ComparisonSession(Workspace& workspace, ValidatorCommand validator, QObject* parent = nullptr,
                      ModelLoaderFn loader = {}, int checkTimeoutMs = kDefaultCheckTimeoutMs);
    ~ComparisonSession() override;

    // Any mode but Off starts B (its model, the image on screen); Off cancels it.
    void setMode(CompareMode mode);
    // The keyboard's switch: A → B → both → B − A → A; from Off it starts the comparison (both).
    void cycleMode();
    CompareMode mode() const { return mode_; }
    bool active() const { return mode_ != CompareMode::Off; }

    void openModelB(const QString& path);  // B's own model; it no longer follows A's
    void followModelA();                   // B's model is A's again
    bool followsModelA() const { return followsA_; }
    void setPlaying(bool playing);         // a playing video: B skips frames as A does

    Workspace& workspace() { return workspace_; }
    AnalysisSession& b() { return b_; }
    const AnalysisSession& b() const { return b_; }
    const AnalysisSession* runningB() const { return active() ? &b_ : nullptr; }  // null when off
    // B's metrics against the ground truth of the still image on screen (empty without).
    const MetricsReport& metricsB() const { return metrics_; }
    bool hasMetricsB() const { return !metrics_.empty(); }

    // "uvis-street-demo · ensemble-mc, T 8 × 3, p 0.20 · calibrated": a configuration in words.
    static QString describe(const AnalysisSession& session);

Q_SIGNALS:
    void modeChanged(uvis::CompareMode mode);
    void changed();        // B's result, model or settings: the views redraw
    void metricsChanged(); // B's metrics ready or cleared

private:
    void start();
    void evaluate();
    void clearMetrics();

    Workspace& workspace_;
    AnalysisSession b_;
    CompareMode mode_ = CompareMode::Off;
    bool followsA_ = true;
    bool started_ = false;  // B has been given A's settings once
    MetricsReport metrics_;
    LatestJob<MetricsReport> evaluating_;  // last: ends before what it answers to
};

}  // namespace uvis
