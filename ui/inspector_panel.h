#pragma once
// The pixel inspector: the numbers behind the pixel under the cursor, as core's inspectPixel
// read them from the maps (depth μ ± aleatoric σ ± epistemic σ, class, confidence, the top
// three, entropies, mutual information).

#include <QLabel>

#include "core/pixel_inspector.h"

namespace uvis {

class InspectorPanel : public QLabel {
    Q_OBJECT
public:
    explicit InspectorPanel(QWidget* parent = nullptr);
    void showReport(const PixelReport& report, const QString& where);
    void clearReport();
    static QString format(const PixelReport& report);  // the text shown (plain)
};

}  // namespace uvis
