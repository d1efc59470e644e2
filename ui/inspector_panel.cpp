#include "ui/inspector_panel.h"

#include <algorithm>

#include "core/services/sessions/analysis_session.h"
#include "core/services/sessions/workspace.h"
#include "core/services/sessions/samples_note.h"

namespace uvis {

InspectorPanel::InspectorPanel(QWidget* parent) : QLabel(parent) {
    setAlignment(Qt::AlignTop | Qt::AlignLeft);
    setTextInteractionFlags(Qt::TextSelectableByMouse);
    setWordWrap(true);
    setMinimumWidth(240);
    clearReport();
}

QString InspectorPanel::format(const PixelReport& r, QPoint imagePixel) {
    if (!r.valid) return "Hover over a view to inspect a pixel.";
    QStringList lines;
    lines << (imagePixel.x() >= 0 ? QString("image pixel (%1, %2)").arg(imagePixel.x()).arg(imagePixel.y())
                                  : QString("pixel (%1, %2) of the maps").arg(r.x).arg(r.y));
    if (r.depthMean)
        lines << QString("depth %1 m ± %2 ± %3 m epistemic σ")
                     .arg(*r.depthMean, 0, 'f', 2)
                     .arg(r.aleatoricStd ? QString("%1 m aleatoric σ").arg(*r.aleatoricStd, 0, 'f', 2)
                                         : QString("(aleatoric σ not predicted by this model)"))
                     .arg(*r.epistemicStd, 0, 'f', 2);
    if (r.predicted)
        lines << QString("class %1, confidence %2")
                     .arg(QString::fromStdString(r.predicted->name))
                     .arg(r.predicted->probability, 0, 'f', 3);
    if (!r.top.empty()) {
        QStringList top;
        for (const ClassScore& c : r.top)
            top << QString("%1 %2").arg(QString::fromStdString(c.name)).arg(c.probability, 0, 'f', 3);
        lines << "top: " + top.join(", ");
    }
    if (r.entropy) lines << QString("predictive entropy %1 nats").arg(*r.entropy, 0, 'f', 3);
    if (r.expectedEntropy) lines << QString("expected entropy %1 nats").arg(*r.expectedEntropy, 0, 'f', 3);
    if (r.mutualInfo) lines << QString("mutual information %1 nats").arg(*r.mutualInfo, 0, 'f', 4);
    if (r.logitVar) lines << QString("learned logit variance %1").arg(*r.logitVar, 0, 'f', 3);
    if (!r.calibration.empty()) lines << QString::fromStdString(r.calibration) + " (σ, probabilities and entropies above)";
    if (r.hasDepthTruth)
        lines << (r.trueDepth ? QString("true depth %1 m, error μ − truth %2 m")
                                    .arg(*r.trueDepth, 0, 'f', 2)
                                    .arg(r.depthError ? QString::asprintf("%+.2f", *r.depthError) : QString("–"))
                              : QString("true depth: none here (invalid pixel)"));
    if (r.hasLabelTruth)
        lines << (r.trueClass ? QString("true class %1 (p̄ %2): %3")
                                    .arg(QString::fromStdString(r.trueClass->name))
                                    .arg(r.trueClass->probability, 0, 'f', 3)
                                    .arg(r.classCorrect.value_or(false) ? "predicted right" : "predicted WRONG")
                              : QString("true class: none here (ignored pixel)"));
    return lines.join('\n');
}

void InspectorPanel::clearReport() { setText(format(PixelReport{})); }

namespace {

// One configuration's numbers at the normalised scene point `n`, with the still image's truth.
QString reportAt(const AnalysedFrame& f, const std::vector<ClassInfo>& classes, const EvaluationSession& evaluation,
                 QPointF n) {
    const FloatMap& any = f.maps->hasDepth ? f.maps->depthMean : f.maps->segConfidence;
    const int x = std::clamp(static_cast<int>(n.x() * any.width), 0, any.width - 1);
    const int y = std::clamp(static_cast<int>(n.y() * any.height), 0, any.height - 1);
    PixelReport report = inspectPixel(*f.maps, classes, x, y);
    if (f.frameIndex < 0 && evaluation.hasTruth()) {  // still images have ground truth
        const GroundTruth& t = evaluation.truth();
        addTruth(&report, *f.maps, t.depth.empty() ? nullptr : &t.depth, t.labels.empty() ? nullptr : &t.labels,
                 classes, n.x(), n.y());
    }
    // The image's own pixel, which a user finds in the photo (the maps may be at another size).
    const QPoint pixel(std::clamp(static_cast<int>(n.x() * f.image().width), 0, std::max(0, f.image().width - 1)),
                       std::clamp(static_cast<int>(n.y() * f.image().height), 0, std::max(0, f.image().height - 1)));
    return QString::fromStdString(samplesNote(f)) + "\n" + InspectorPanel::format(report, f.image().width > 0 ? pixel : QPoint(-1, -1));
}

}  // namespace

void InspectorPanel::inspect(Workspace& workspace, QPointF n, const AnalysisSession* b) {
    const AnalysedFrame& f = workspace.analysis().latest();
    if (n.x() < 0 || !f.maps) {
        clearReport();
        return;
    }
    QString text = reportAt(f, workspace.analysis().card().classes, workspace.evaluation(), n);
    if (b) {
        text = "A: " + text + "\n\nB: ";
        text += b->latest().maps ? reportAt(b->latest(), b->card().classes, workspace.evaluation(), n) : QString("no result yet");
    }
    setText(text);
}

}  // namespace uvis
