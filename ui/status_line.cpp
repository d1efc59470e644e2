#include "ui/status_line.h"

#include <QLabel>
#include <QStatusBar>

#include "core/services/sessions/analysis_session.h"
#include "core/services/sessions/samples_note.h"

namespace uvis {

StatusLine::StatusLine(AnalysisSession& session, QStatusBar* bar)
    : QObject(bar), session_(session), model_(new QLabel("no model")), samples_(new QLabel), speed_(new QLabel) {
    bar->addPermanentWidget(samples_);
    bar->addPermanentWidget(speed_);
    bar->addPermanentWidget(model_);
}

void StatusLine::update() {
    const AnalysedFrame& f = session_.latest();
    if (session_.hasModel())
        model_->setText(QString::fromStdString(modelNameAndVersion(session_.card())) + " · " + session_.device());
    samples_->setText(QString::fromStdString(samplesNote(f)));
    // The speed of a finished run only: while one goes, the last run's figure would mislead.
    const InferenceStats& s = session_.stats();
    speed_->setText(f.final && s.msPerSample > 0 ? QString("%1 ms per sample").arg(s.msPerSample, 0, 'f', 1)
                                                 : QString());
}

QString StatusLine::text() const { return QStringList{model_->text(), samples_->text(), speed_->text()}.join(" | "); }

}  // namespace uvis
