#pragma once
// Where the model is wrong, and whether it knew, for the still image on screen: the
// row of three error views (shown only when the image has ground truth) and the metrics panel
// they feed. It shows the Workspace's ground truth and results; loading and evaluating happen
// in core/services. While a comparison runs the row is A's, or B's when the views show B.

#include <QWidget>

#include <array>

#include "core/imaging/error_views.h"
#include "core/services/sessions/comparison_session.h"

namespace uvis {

class MapView;
class MetricsPanel;
class ViewLink;

class ErrorRow : public QWidget {
    Q_OBJECT
public:
    ErrorRow(Workspace& workspace, const ComparisonSession& comparison, ViewLink* link, MetricsPanel* metrics,
             QWidget* parent = nullptr);

    MapView* errorView(ErrorViewId id) const { return views_[static_cast<int>(id)]; }
    void setDisplay(const DisplayOptions& options);

Q_SIGNALS:
    void status(const QString& message);

private:
    void refresh();
    Workspace& workspace_;
    const ComparisonSession& comparison_;
    MetricsPanel* metrics_;
    std::array<MapView*, kErrorViewCount> views_{};
    DisplayOptions display_;
};

}  // namespace uvis
