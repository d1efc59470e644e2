#pragma once
// The permanent part of the status bar: samples done, ms per sample of the run shown, and the
// model with its device, as the AnalysisSession says.

#include <QObject>

class QLabel;
class QStatusBar;

namespace uvis {

class AnalysisSession;

class StatusLine : public QObject {
    Q_OBJECT
public:
    StatusLine(AnalysisSession& session, QStatusBar* bar);
    void update();
    QString text() const;  // "model | samples | speed"

private:
    AnalysisSession& session_;
    QLabel* model_;
    QLabel* samples_;
    QLabel* speed_;
};

}  // namespace uvis
