#pragma once
// The Dataset dock's table: one row per input of the open data set, in the order DatasetOrder
// says (sort and filters), columns as dataset.csv names them; a thumbnail beside each name.
// Shows state; the session scores.

#include <QAbstractTableModel>

#include <string>
#include <vector>

#include "core/services/batch/dataset_order.h"
#include "core/services/sessions/dataset_session.h"

namespace uvis {

class DatasetTableModel : public QAbstractTableModel {
    Q_OBJECT
public:
    explicit DatasetTableModel(const DatasetSession& session, QObject* parent = nullptr);

    int rowCount(const QModelIndex& parent = {}) const override;
    int columnCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role) const override;
    void sort(int column, Qt::SortOrder order) override;

    void setFilter(const DatasetFilter& filter);
    void refresh();                      // rows scored or the data set changed
    int inputAt(int row) const;          // the input index shown in `row`
    int rowOf(int input) const;          // -1 when filtered out
    const DatasetOrder& order() const { return order_; }
    const std::vector<std::string>& columns() const { return columns_; }
    int columnOf(const std::string& name) const;

private:
    void reorder();
    const DatasetSession& session_;
    std::vector<std::string> columns_;  // "image" first
    std::vector<int> decimals_;         // per column: one count for every row, so digits line up
    DatasetSort sort_;
    DatasetFilter filter_;
    DatasetOrder order_;
};

}  // namespace uvis
