#include "ui/dataset_panel.h"

#include <QCheckBox>
#include <QComboBox>
#include <QDoubleSpinBox>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QItemSelectionModel>
#include <QLabel>
#include <QLineEdit>
#include <QProgressBar>
#include <QPushButton>
#include <QSpinBox>
#include <QTabWidget>
#include <QTableView>

#include <algorithm>
#include <QVBoxLayout>

#include <cmath>

#include "core/services/sessions/dataset_session.h"
#include "ui/dataset_scatter.h"
#include "ui/dataset_table_model.h"

namespace uvis {
namespace {
constexpr int kThumbnailShown = 48;  // pixels wide in the table
}  // namespace

DatasetPanel::DatasetPanel(DatasetSession& session, QWidget* parent) : QWidget(parent), session_(session) {
    // Compact: at 1280×720 the dock shares the right column with three others.
    auto* column = new QVBoxLayout(this);
    column->setContentsMargins(2, 2, 2, 2);
    addProgressRow(column);
    addFilterRows(column);
    column->addWidget(buildTabs(), 1);
    addExportRow(column);
}

void DatasetPanel::addProgressRow(QVBoxLayout* column) {
    auto* progressRow = new QHBoxLayout;
    progress_ = new QProgressBar;
    progress_->setFormat("%v of %m scored");
    progress_->setValue(0);
    stop_ = new QPushButton("Stop");
    connect(stop_, &QPushButton::clicked, this, [this] { running_ ? Q_EMIT stopRequested() : Q_EMIT resumeRequested(); });
    progressRow->addWidget(progress_, 1);
    progressRow->addWidget(stop_);
    column->addLayout(progressRow);
}

void DatasetPanel::addFilterRows(QVBoxLayout* column) {
    auto* filters = new QHBoxLayout;
    name_ = new QLineEdit;
    name_->setPlaceholderText("name contains");
    name_->setClearButtonEnabled(true);
    truth_ = new QCheckBox("with truth");
    truth_->setToolTip("Only images with ground truth");
    filters->addWidget(name_, 1);
    filters->addWidget(truth_);
    column->addLayout(filters);
    auto* thresholdRow = new QHBoxLayout;
    thresholdColumn_ = new QComboBox;
    thresholdColumn_->addItem("any score");
    thresholdColumn_->setToolTip("Only images whose score in this column is at least the value beside it");
    threshold_ = new QDoubleSpinBox;
    threshold_->setDecimals(4);
    threshold_->setRange(-1e9, 1e9);
    threshold_->setPrefix("≥ ");
    thresholdRow->addWidget(thresholdColumn_, 1);
    thresholdRow->addWidget(threshold_);
    column->addLayout(thresholdRow);
    connect(name_, &QLineEdit::textChanged, this, &DatasetPanel::applyFilter);
    connect(truth_, &QCheckBox::toggled, this, &DatasetPanel::applyFilter);
    connect(thresholdColumn_, &QComboBox::currentIndexChanged, this, &DatasetPanel::applyFilter);
    connect(threshold_, &QDoubleSpinBox::valueChanged, this, &DatasetPanel::applyFilter);
}

// The table, the uncertainty-vs-error scatter and the summary of all images.
QTabWidget* DatasetPanel::buildTabs() {
    tabs_ = new QTabWidget;
    model_ = new DatasetTableModel(session_, this);
    table_ = new QTableView;
    table_->setObjectName("dataset_table");
    table_->setModel(model_);
    table_->setSortingEnabled(true);
    table_->sortByColumn(0, Qt::AscendingOrder);
    table_->setSelectionBehavior(QAbstractItemView::SelectRows);
    table_->setSelectionMode(QAbstractItemView::ExtendedSelection);
    table_->setEditTriggers(QAbstractItemView::NoEditTriggers);
    table_->setIconSize(QSize(kThumbnailShown, kThumbnailShown * 3 / 4));
    table_->verticalHeader()->setDefaultSectionSize(kThumbnailShown * 3 / 4 + 4);
    table_->verticalHeader()->hide();
    table_->horizontalHeader()->setSectionResizeMode(QHeaderView::ResizeToContents);
    table_->setMinimumHeight(150);
    // The image on screen stays the one selected when the rows move (a sort, new rows).
    connect(model_, &QAbstractItemModel::layoutChanged, this, [this] { setCurrent(current_); });
    connect(model_, &QAbstractItemModel::modelReset, this, [this] { setCurrent(current_); });
    connect(table_, &QTableView::clicked, this, [this](const QModelIndex& i) { Q_EMIT openRequested(model_->inputAt(i.row())); });
    connect(table_, &QTableView::activated, this, [this](const QModelIndex& i) { Q_EMIT openRequested(model_->inputAt(i.row())); });
    tabs_->addTab(table_, "Table");
    auto* scatterPage = new QWidget;
    auto* scatterColumn = new QVBoxLayout(scatterPage);
    scatterTask_ = new QComboBox;
    scatterTask_->addItems({"Depth: relative predictive variance vs abs-rel", "Segmentation: entropy vs 1 − accuracy"});
    scatter_ = new DatasetScatter(session_);
    connect(scatterTask_, &QComboBox::currentIndexChanged, this, [this](int i) { scatter_->setDepth(i == 0); });
    connect(scatter_, &DatasetScatter::inputClicked, this, &DatasetPanel::openRequested);
    scatterColumn->addWidget(scatterTask_);
    scatterColumn->addWidget(scatter_, 1);
    tabs_->addTab(scatterPage, "Uncertainty vs error");
    summary_ = new QLabel("No data set open: File → Open folder… (or a manifest .csv/.json)");
    summary_->setWordWrap(true);
    summary_->setAlignment(Qt::AlignTop | Qt::AlignLeft);
    summary_->setTextInteractionFlags(Qt::TextSelectableByMouse);
    summary_->setObjectName("dataset_summary");
    tabs_->addTab(summary_, "All images");
    return tabs_;
}

void DatasetPanel::addExportRow(QVBoxLayout* column) {
    auto* exportRow = new QHBoxLayout;
    auto* selected = new QPushButton("Export selected…");
    connect(selected, &QPushButton::clicked, this, [this] { Q_EMIT exportRequested(selectedInputs()); });
    exportN_ = new QSpinBox;
    exportN_->setRange(1, 100000);
    exportN_->setValue(10);
    auto* first = new QPushButton("Export first N…");
    first->setToolTip("The first N rows in the table's order: sort by an error column, descending, for the worst N");
    connect(first, &QPushButton::clicked, this, [this] { Q_EMIT exportRequested(firstInputs(exportN_->value())); });
    exportRow->addWidget(selected);
    exportRow->addStretch();
    exportRow->addWidget(exportN_);
    exportRow->addWidget(first);
    column->addLayout(exportRow);
}

void DatasetPanel::applyFilter() {
    DatasetFilter f;
    f.nameContains = name_->text().toStdString();
    f.needsTruth = truth_->isChecked();
    if (thresholdColumn_->currentIndex() > 0) {
        f.column = thresholdColumn_->currentText().replace(' ', '_').toStdString();
        f.atLeast = threshold_->value();
    }
    model_->setFilter(f);
    scatter_->setVisibleInputs(model_->order().visible());
    setCurrent(current_);
}

void DatasetPanel::refresh() {
    const int total = static_cast<int>(session_.inputs().size());
    progress_->setRange(0, std::max(total, 1));
    progress_->setValue(session_.scoredCount());
    const QStringList columns = [this] {
        QStringList c;
        for (int i = 1; i < model_->columnCount(); ++i) c << model_->headerData(i, Qt::Horizontal, Qt::DisplayRole).toString();
        return c;
    }();
    if (thresholdColumn_->count() == 1 && !columns.isEmpty()) thresholdColumn_->addItems(columns);
    model_->refresh();
    scatter_->setVisibleInputs(model_->order().visible());
    const DatasetTable table = session_.table();
    const PooledMetrics pooled = pooledMetrics(table);
    // A file read only in part (a truncated JPEG) is scored, and counted apart: its numbers are
    // of what could be read.
    const auto warned = std::count_if(table.rows.begin(), table.rows.end(), [](const ImageRow& r) { return !r.warnings.empty(); });
    QString text = QString("%1 images · %2 scored").arg(total).arg(table.rows.size());
    if (warned > 0) text += QString(" (%1 with warnings: ⚠)").arg(warned);
    text += QString(" · %1 failed").arg(table.failed.size());
    if (pooled.depth)
        text += QString("\n\nOver all pixels of the scored images:\ndepth RMSE %1 m, abs-rel %2, 95 % coverage %3")
                    .arg(pooled.depth->rmse, 0, 'f', 3)
                    .arg(pooled.depth->absRel, 0, 'f', 3)
                    .arg(pooled.depth->coverage95, 0, 'f', 3);
    if (pooled.segmentation)
        text += QString("\nmIoU %1, ECE %2, wrong and confident %3 %")
                    .arg(pooled.segmentation->miou, 0, 'f', 3)
                    .arg(pooled.segmentation->ece, 0, 'f', 4)
                    .arg(100 * pooled.segmentation->wrongConfident, 0, 'f', 2);
    if (std::isfinite(pooled.aurocDepthImages) || std::isfinite(pooled.aurocSegImages))
        text += QString("\n\nDoes it know when it is wrong? AUROC of the images' uncertainty for an error above the "
                        "median: depth %1, segmentation %2")
                    .arg(pooled.aurocDepthImages, 0, 'f', 3)
                    .arg(pooled.aurocSegImages, 0, 'f', 3);
    summary_->setText(text);
    progress_->setToolTip(text);
    setCurrent(current_);
}

QString DatasetPanel::summary() const { return summary_->text(); }

void DatasetPanel::setRunning(bool running) {
    running_ = running;
    stop_->setText(running ? "Stop" : "Resume");
    stop_->setEnabled(running || session_.scoredCount() < static_cast<int>(session_.inputs().size()));
}

void DatasetPanel::setCurrent(int input) {
    current_ = input;
    scatter_->setCurrent(input);
    const int row = model_->rowOf(input);
    const QSignalBlocker block(table_->selectionModel());
    if (row < 0) {
        table_->selectionModel()->clear();
        return;
    }
    // One row, the shown image's, selected and current (the keyboard's row): the highlight moves.
    table_->selectionModel()->setCurrentIndex(model_->index(row, 0),
                                              QItemSelectionModel::ClearAndSelect | QItemSelectionModel::Rows);
    table_->scrollTo(model_->index(row, 0));
}

QList<int> DatasetPanel::selectedInputs() const {
    QList<int> inputs;
    for (const QModelIndex& i : table_->selectionModel()->selectedRows()) inputs << model_->inputAt(i.row());
    return inputs;
}

QList<int> DatasetPanel::firstInputs(int n) const {
    QList<int> inputs;
    for (int row = 0; row < std::min(n, model_->rowCount()); ++row) inputs << model_->inputAt(row);
    return inputs;
}

int DatasetPanel::exportCount() const { return exportN_->value(); }

}  // namespace uvis
