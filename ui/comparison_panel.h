#pragma once
// The A/B dock: whether and how a second configuration B is shown (A, B, side by side, B − A),
// B's model (A's, or one the user opens) and B's Monte-Carlo controls; the View menu's keys for
// the switch; and B's share of the Metrics dock. Policy lives in ComparisonSession.

#include <QWidget>

#include <functional>

class QComboBox;
class QLabel;
class QMenu;
class QPushButton;

namespace uvis {

class ComparisonSession;
class SamplingControls;
class MetricsPanel;

class ComparisonPanel : public QWidget {
    Q_OBJECT
public:
    // `lastFolder`: where the model dialog starts.
    ComparisonPanel(ComparisonSession& session, MetricsPanel* metrics, std::function<QString()> lastFolder,
                    QWidget* parent = nullptr);
    // View → Compare A/B: A, B, S (side by side), D (difference), Shift+C (off).
    void addMenu(QMenu* view);

    SamplingControls* controlsB() const { return controls_; }
    QComboBox* modeCombo() const { return mode_; }
    QString modelText() const;

private:
    void showState();  // the labels and the Metrics dock's B part

    ComparisonSession& session_;
    MetricsPanel* metrics_;
    std::function<QString()> lastFolder_;
    QComboBox* mode_;
    QLabel* configA_;
    QLabel* configB_;
    QPushButton* sameModel_;
    SamplingControls* controls_;
    QString error_;  // B's last failure, until its next model loads
};

}  // namespace uvis
