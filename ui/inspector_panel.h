#pragma once
// The pixel inspector: the numbers behind the pixel under the cursor, as core's inspectPixel
// read them from the maps (depth μ ± aleatoric σ ± epistemic σ, class, confidence, the top
// three, entropies, mutual information).

#include <QLabel>

#include "core/engine/pixel_inspector.h"

namespace uvis {

class AnalysisSession;
class Workspace;

class InspectorPanel : public QLabel {
    Q_OBJECT
public:
    explicit InspectorPanel(QWidget* parent = nullptr);
    void clearReport();
    // The pixel at `normalised` (x, y in [0, 1]; x < 0: none) of the workspace's latest result,
    // with the ground truth of a still image at that scene point; with `b` (a running comparison),
    // B's numbers at the same scene point under A's.
    void inspect(Workspace& workspace, QPointF normalised, const AnalysisSession* b = nullptr);
    // The text shown (plain); `imagePixel`: the point in the image's own pixels (the maps may
    // be smaller), named first when given.
    static QString format(const PixelReport& report, QPoint imagePixel = QPoint(-1, -1));
};

}  // namespace uvis
