#include "ui/video_analysis_panel.h"

#include <QComboBox>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QListWidget>
#include <QProgressBar>
#include <QPushButton>
#include <QSpinBox>
#include <QVBoxLayout>

#include "core/types/frame_numbers.h"
#include "ui/timeline_view.h"

namespace uvis {

VideoAnalysisPanel::VideoAnalysisPanel(VideoTimeline& timeline, TimelineView* plot, QWidget* parent)
    : QWidget(parent), timeline_(timeline), plot_(plot) {
    auto* column = new QVBoxLayout(this);
    auto* form = new QFormLayout;
    every_ = new QSpinBox;
    every_->setRange(1, 1000);
    every_->setValue(5);
    every_->setToolTip("Analyse every N-th frame");
    form->addRow("Every N-th frame", every_);
    series_ = new QComboBox;
    for (const TimelineSeries& s : timelineSeries()) series_->addItem(QString("%1 (%2)").arg(s.label, s.unit), s.name);
    form->addRow("Plot", series_);
    column->addLayout(form);
    auto* buttons = new QHBoxLayout;
    analyse_ = new QPushButton("Analyse the video");
    cancel_ = new QPushButton("Cancel");
    cancel_->setEnabled(false);
    buttons->addWidget(analyse_);
    buttons->addWidget(cancel_);
    column->addLayout(buttons);
    progress_ = new QProgressBar;
    column->addWidget(progress_);
    column->addWidget(new QLabel("Worst frames (95th percentile):"));
    worst_ = new QListWidget;
    column->addWidget(worst_, 1);
    exportWorst_ = new QPushButton("Export the worst frames…");
    column->addWidget(exportWorst_);
    column->addWidget(new QLabel("Bookmarks:"));
    bookmarkList_ = new QListWidget;
    column->addWidget(bookmarkList_, 1);
    auto* bookmarkRow = new QHBoxLayout;
    auto* add = new QPushButton("Bookmark this frame");
    auto* remove = new QPushButton("Remove");
    bookmarkRow->addWidget(add);
    bookmarkRow->addWidget(remove);
    column->addLayout(bookmarkRow);
    exportBookmarks_ = new QPushButton("Export the bookmarked frames…");
    column->addWidget(exportBookmarks_);

    connect(analyse_, &QPushButton::clicked, this, [this] { timeline_.analyse(every()); });
    connect(cancel_, &QPushButton::clicked, &timeline_, &VideoTimeline::cancel);
    connect(series_, &QComboBox::currentIndexChanged, this, [this] { redraw(); });
    connect(plot_, &TimelineView::frameClicked, this, &VideoAnalysisPanel::jumpRequested);
    for (QListWidget* list : {worst_, bookmarkList_})
        connect(list, &QListWidget::itemClicked, this,
                [this](QListWidgetItem* item) { Q_EMIT jumpRequested(item->data(Qt::UserRole).toInt()); });
    connect(add, &QPushButton::clicked, this, [this] { timeline_.addBookmark(timeline_.currentFrame()); });
    connect(remove, &QPushButton::clicked, this, [this] {
        if (QListWidgetItem* item = bookmarkList_->currentItem()) timeline_.removeBookmark(item->data(Qt::UserRole).toInt());
    });
    connect(exportWorst_, &QPushButton::clicked, this, [this] { Q_EMIT exportFramesRequested(worstFrames()); });
    connect(exportBookmarks_, &QPushButton::clicked, this,
            [this] { Q_EMIT exportFramesRequested(timeline_.bookmarks()); });

    connect(&timeline_, &VideoTimeline::reset, this, [this] {
        progress_->setValue(0);
        redraw();
    });
    connect(&timeline_, &VideoTimeline::bookmarksChanged, this, &VideoAnalysisPanel::redraw);
    connect(&timeline_, &VideoTimeline::currentFrameChanged, plot_, &TimelineView::setCurrentFrame);
    connect(&timeline_, &VideoTimeline::pointAdded, this, [this](const FrameSeriesPoint& point) {
        const std::string name = series().toStdString();
        plot_->setPoint(point.frame, point.meanOf(name), point.p95Of(name));
        if (timeline_.points().size() % 10 == 0) redraw();
    });
    connect(&timeline_, &VideoTimeline::progress, this, [this](int done, int total) {
        progress_->setMaximum(std::max(1, total));
        progress_->setValue(done);
        analyse_->setEnabled(!timeline_.analysing());
        cancel_->setEnabled(true);
    });
    auto finished = [this] {
        analyse_->setEnabled(true);
        cancel_->setEnabled(timeline_.analysing() || timeline_.exporting());
        redraw();
    };
    connect(&timeline_, &VideoTimeline::analysisFinished, this, finished);
    connect(&timeline_, &VideoTimeline::framesExported, this, finished);
    redraw();
}

int VideoAnalysisPanel::every() const { return every_->value(); }

QString VideoAnalysisPanel::series() const { return series_->currentData().toString(); }

void VideoAnalysisPanel::redraw() {
    const TimelineSeries& s = timelineSeries()[std::max(0, series_->currentIndex())];
    plot_->reset(timeline_.frameCount(), s.label, s.unit);
    for (const auto& [frame, point] : timeline_.points()) plot_->setPoint(frame, point.meanOf(s.name), point.p95Of(s.name));
    plot_->setBookmarks(timeline_.bookmarks());
    plot_->setCurrentFrame(timeline_.currentFrame());
    worst_->clear();
    for (int frame : worstFrames()) {
        auto* item = new QListWidgetItem(QString("%1 · p95 %2 %3")
                                             .arg(QString::fromStdString(frameName(frame)))
                                             .arg(timeline_.points().at(frame).p95Of(s.name), 0, 'g', 3)
                                             .arg(s.unit));
        item->setData(Qt::UserRole, frame);
        worst_->addItem(item);
    }
    bookmarkList_->clear();
    for (int frame : timeline_.bookmarks()) {
        auto* item = new QListWidgetItem(QString::fromStdString(frameName(frame)));
        item->setData(Qt::UserRole, frame);
        bookmarkList_->addItem(item);
    }
    exportWorst_->setEnabled(!timeline_.points().empty());
    exportBookmarks_->setEnabled(!timeline_.bookmarks().isEmpty());
}

}  // namespace uvis
