#pragma once
// The Dataset dock: the open data set's table (thumbnail, name, per-image scores)
// filling in as the background run scores it, sortable by any column and filtered by ground
// truth, name and a score threshold; the uncertainty-against-error scatter; progress with stop
// and resume; export of the selection or the first N of the current order. Shows state and
// sends requests; DatasetBrowser acts.

#include <QList>
#include <QWidget>

class QCheckBox;
class QComboBox;
class QDoubleSpinBox;
class QLabel;
class QLineEdit;
class QProgressBar;
class QPushButton;
class QSpinBox;
class QTableView;
class QTabWidget;
class QVBoxLayout;

namespace uvis {

class DatasetScatter;
class DatasetSession;
class DatasetTableModel;

class DatasetPanel : public QWidget {
    Q_OBJECT
public:
    explicit DatasetPanel(DatasetSession& session, QWidget* parent = nullptr);
    QTableView* table() const { return table_; }
    DatasetTableModel* model() const { return model_; }
    DatasetScatter* scatter() const { return scatter_; }
    QLineEdit* nameFilter() const { return name_; }
    void setCurrent(int input);  // the image on screen: selected and ringed
    void refresh();              // rows scored, progress, the data set changed
    void setRunning(bool running);
    QList<int> selectedInputs() const;
    QList<int> firstInputs(int n) const;  // in the table's order
    int exportCount() const;
    QString summary() const;  // "30 images · 30 scored (1 with warnings: ⚠) · 0 failed", pooled metrics

Q_SIGNALS:
    void openRequested(int input);
    void exportRequested(const QList<int>& inputs);
    void stopRequested();
    void resumeRequested();

private:
    // The dock's parts, top to bottom.
    void addProgressRow(QVBoxLayout* column);
    void addFilterRows(QVBoxLayout* column);
    QTabWidget* buildTabs();
    void addExportRow(QVBoxLayout* column);
    void applyFilter();
    DatasetSession& session_;
    DatasetTableModel* model_;
    QLabel* summary_;
    QProgressBar* progress_;
    QPushButton* stop_;
    QLineEdit* name_;
    QCheckBox* truth_;
    QComboBox* thresholdColumn_;
    QDoubleSpinBox* threshold_;
    QTabWidget* tabs_;
    QTableView* table_;
    QComboBox* scatterTask_;
    DatasetScatter* scatter_;
    QSpinBox* exportN_;
    bool running_ = false;
    int current_ = -1;
};

}  // namespace uvis
