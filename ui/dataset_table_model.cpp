#include "ui/dataset_table_model.h"

#include <QPixmap>

#include <algorithm>
#include <cmath>

namespace uvis {

DatasetTableModel::DatasetTableModel(const DatasetSession& session, QObject* parent)
    : QAbstractTableModel(parent), session_(session) {}

int DatasetTableModel::rowCount(const QModelIndex& parent) const {
    return parent.isValid() ? 0 : static_cast<int>(order_.visible().size());
}

int DatasetTableModel::columnCount(const QModelIndex& parent) const {
    return parent.isValid() ? 0 : static_cast<int>(columns_.size());
}

int DatasetTableModel::inputAt(int row) const {
    return row >= 0 && row < rowCount() ? order_.visible()[row] : -1;
}

int DatasetTableModel::rowOf(int input) const {
    const auto& v = order_.visible();
    const auto at = std::find(v.begin(), v.end(), input);
    return at == v.end() ? -1 : static_cast<int>(at - v.begin());
}

int DatasetTableModel::columnOf(const std::string& name) const {
    const auto at = std::find(columns_.begin(), columns_.end(), name);
    return at == columns_.end() ? -1 : static_cast<int>(at - columns_.begin());
}

QVariant DatasetTableModel::data(const QModelIndex& index, int role) const {
    const int input = inputAt(index.row());
    if (input < 0 || index.column() >= columnCount()) return {};
    const ImageRow* row = session_.row(input);
    const std::string& column = columns_[index.column()];
    if (column == "image") {
        if (role == Qt::DisplayRole) {
            const QString name = QString::fromStdString(session_.inputs()[input].name);
            return row && !row->warnings.empty() ? "⚠ " + name : name;  // the tooltip says what
        }
        if (role == Qt::DecorationRole && row) return QPixmap::fromImage(session_.thumbnail(input));
        if (role == Qt::ToolTipRole) {
            QString tip = QString::fromStdString(session_.inputs()[input].path);
            if (!session_.error(input).isEmpty()) tip += "\n" + session_.error(input);
            else if (row)
                for (const std::string& w : row->warnings) tip += "\n" + QString::fromStdString(w);
            return tip;
        }
        return {};
    }
    if (role == Qt::TextAlignmentRole) return int(Qt::AlignRight | Qt::AlignVCenter);
    if (role != Qt::DisplayRole) return {};
    if (!row) return session_.error(input).isEmpty() ? QString("…") : QString("failed");
    const double v = columnValue(*row, column);
    return std::isfinite(v) ? QString::number(v, 'f', decimals_[index.column()]) : QString("–");
}

QVariant DatasetTableModel::headerData(int section, Qt::Orientation orientation, int role) const {
    if (orientation != Qt::Horizontal || section < 0 || section >= columnCount()) return {};
    if (role == Qt::DisplayRole) {
        QString title = QString::fromStdString(columns_[section]).replace('_', ' ');
        const std::string unit = columnUnit(columns_[section]);
        return unit.empty() ? title : title + " (" + QString::fromStdString(unit) + ")";
    }
    return {};
}

void DatasetTableModel::sort(int column, Qt::SortOrder order) {
    if (column < 0 || column >= columnCount()) return;
    sort_ = {columns_[column], order == Qt::DescendingOrder};
    Q_EMIT layoutAboutToBeChanged();
    reorder();
    Q_EMIT layoutChanged();
}

void DatasetTableModel::setFilter(const DatasetFilter& filter) {
    filter_ = filter;
    refresh();
}

void DatasetTableModel::refresh() {
    beginResetModel();
    std::vector<const ImageRow*> rows;
    for (size_t i = 0; i < session_.inputs().size(); ++i) rows.push_back(session_.row(static_cast<int>(i)));
    columns_ = displayColumns(rows);
    // Four significant digits for the largest value of each column, the same decimals for all
    // its rows ("12.10" above "0.46", not "12.1" above "0.4612").
    decimals_.assign(columns_.size(), 0);
    for (size_t c = 1; c < columns_.size(); ++c) {
        double largest = 0;
        for (size_t i = 0; i < session_.inputs().size(); ++i)
            if (const ImageRow* row = session_.row(static_cast<int>(i))) {
                const double v = std::abs(columnValue(*row, columns_[c]));
                if (std::isfinite(v)) largest = std::max(largest, v);
            }
        // Digits before the point of the largest value (0.046: −1), so that it shows 4 significant ones.
        const int leading = largest > 0 ? static_cast<int>(std::floor(std::log10(largest))) + 1 : 0;
        decimals_[c] = std::clamp(4 - leading, 0, 8);
    }
    reorder();
    endResetModel();
}

void DatasetTableModel::reorder() {
    std::vector<std::string> names;
    std::vector<const ImageRow*> rows;
    for (size_t i = 0; i < session_.inputs().size(); ++i) {
        names.push_back(session_.inputs()[i].name);
        rows.push_back(session_.row(static_cast<int>(i)));
    }
    order_.update(names, rows, sort_, filter_);
}

}  // namespace uvis
