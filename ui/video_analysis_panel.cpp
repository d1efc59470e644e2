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

#include <algorithm>
#include <cmath>

#include "ui/timeline_view.h"

namespace uvis {

namespace {
struct Series {
    const char* name;
    const char* label;
    const char* unit;
};
const Series kSeries[] = {{"depth_epistemic_var", "depth epistemic variance", "m²"},
                          {"depth_aleatoric_var", "depth aleatoric variance", "m²"},
                          {"seg_mutual_info", "mutual information", "nats"},
                          {"seg_expected_entropy", "expected entropy", "nats"},
                          {"seg_entropy", "predictive entropy", "nats"}};
}  // namespace

VideoAnalysisPanel::VideoAnalysisPanel(QWidget* parent) : QWidget(parent) {
    timeline_ = new TimelineView;
    auto* column = new QVBoxLayout(this);
    auto* form = new QFormLayout;
    every_ = new QSpinBox;
    every_->setRange(1, 1000);
    every_->setValue(5);
    every_->setToolTip("Analyse every N-th frame");
    form->addRow("Every N-th frame", every_);
    series_ = new QComboBox;
    for (const Series& s : kSeries) series_->addItem(QString("%1 (%2)").arg(s.label, s.unit), s.name);
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
    batchStatus_ = new QLabel;
    batchStatus_->setWordWrap(true);
    column->addWidget(batchStatus_);

    connect(analyse_, &QPushButton::clicked, this, &VideoAnalysisPanel::analyseRequested);
    connect(cancel_, &QPushButton::clicked, this, [this] {
        cancelAnalysis();
        cancelBatchExport();
    });
    connect(series_, &QComboBox::currentIndexChanged, this, [this] { redraw(); });
    connect(timeline_, &TimelineView::frameClicked, this, &VideoAnalysisPanel::jumpRequested);
    for (QListWidget* list : {worst_, bookmarkList_})
        connect(list, &QListWidget::itemClicked, this,
                [this](QListWidgetItem* item) { Q_EMIT jumpRequested(item->data(Qt::UserRole).toInt()); });
    connect(add, &QPushButton::clicked, this, [this] { addBookmark(current_); });
    connect(remove, &QPushButton::clicked, this, [this] {
        if (QListWidgetItem* item = bookmarkList_->currentItem()) {
            bookmarks_.removeAll(item->data(Qt::UserRole).toInt());
            redraw();
        }
    });
    connect(exportWorst_, &QPushButton::clicked, this, [this] { Q_EMIT exportFramesRequested(worstFrames()); });
    connect(exportBookmarks_, &QPushButton::clicked, this, [this] { Q_EMIT exportFramesRequested(bookmarks_); });
    redraw();
}

VideoAnalysisPanel::~VideoAnalysisPanel() = default;

void VideoAnalysisPanel::videoOpened(int frameCount) {
    analysis_.reset();
    frameCount_ = frameCount;
    points_.clear();
    bookmarks_.clear();
    progress_->setValue(0);
    redraw();
}

void VideoAnalysisPanel::setCurrentFrame(int frame) {
    current_ = frame;
    timeline_->setCurrentFrame(frame);
}

int VideoAnalysisPanel::every() const { return every_->value(); }

QString VideoAnalysisPanel::series() const { return series_->currentData().toString(); }

void VideoAnalysisPanel::startAnalysis(const VideoAnalysisRequest& request) {
    analysis_ = std::make_unique<VideoAnalysisJob>(request);
    points_.clear();
    redraw();
    connect(analysis_.get(), &VideoAnalysisJob::frameAnalysed, this,
            [this](const FrameSeriesPoint& point, int analysed, int toAnalyse) {
                points_[point.frame] = point;
                progress_->setMaximum(std::max(1, toAnalyse));
                progress_->setValue(analysed);
                const std::string name = series().toStdString();
                timeline_->setPoint(point.frame, point.meanOf(name), point.p95Of(name));
                if (analysed % 10 == 0) redraw();
            });
    connect(analysis_.get(), &VideoAnalysisJob::done, this, [this](const QString& problem, bool cancelled) {
        analyse_->setEnabled(true);
        cancel_->setEnabled(false);
        redraw();
        Q_EMIT analysisFinished(problem, cancelled);
    });
    analyse_->setEnabled(false);
    cancel_->setEnabled(true);
    analysis_->start(QThread::LowPriority);
}

void VideoAnalysisPanel::cancelAnalysis() {
    if (analysis_) analysis_->cancel();
}

bool VideoAnalysisPanel::analysing() const { return analysis_ && analysis_->isRunning(); }

void VideoAnalysisPanel::startBatchExport(const FrameBatchRequest& request) {
    batch_ = std::make_unique<FrameBatchJob>(request);
    const QString dir = request.dir;
    batchStatus_->setText(QString("Exporting %1 frames to %2…").arg(request.frames.size()).arg(dir));
    connect(batch_.get(), &FrameBatchJob::progress, this, [this](int done, int total) {
        progress_->setMaximum(total);
        progress_->setValue(done);
    });
    connect(batch_.get(), &FrameBatchJob::done, this, [this, dir](const QString& error, bool cancelled) {
        cancel_->setEnabled(analysing());
        batchStatus_->setText(cancelled ? "Batch export cancelled; nothing was written."
                              : error.isEmpty() ? "Exported to " + dir
                                                : error);
        Q_EMIT batchFinished(dir, error, cancelled);
    });
    cancel_->setEnabled(true);
    batch_->start(QThread::LowPriority);
}

void VideoAnalysisPanel::cancelBatchExport() {
    if (batch_) batch_->cancel();
}

QList<int> VideoAnalysisPanel::worstFrames(int count) const {
    const std::string name = series().toStdString();
    std::vector<std::pair<double, int>> ranked;
    for (const auto& [frame, point] : points_) {
        const double v = point.p95Of(name);
        if (std::isfinite(v)) ranked.emplace_back(v, frame);
    }
    std::sort(ranked.begin(), ranked.end(), [](const auto& a, const auto& b) { return a.first > b.first; });
    QList<int> frames;
    for (size_t i = 0; i < ranked.size() && static_cast<int>(i) < count; ++i) frames << ranked[i].second;
    return frames;
}

void VideoAnalysisPanel::addBookmark(int frame) {
    if (!bookmarks_.contains(frame)) bookmarks_ << frame;
    std::sort(bookmarks_.begin(), bookmarks_.end());
    redraw();
}

void VideoAnalysisPanel::redraw() {
    const int index = std::max(0, series_->currentIndex());
    const Series& s = kSeries[index];
    timeline_->reset(frameCount_, s.label, s.unit);
    for (const auto& [frame, point] : points_) timeline_->setPoint(frame, point.meanOf(s.name), point.p95Of(s.name));
    timeline_->setBookmarks(bookmarks_);
    timeline_->setCurrentFrame(current_);
    worst_->clear();
    for (int frame : worstFrames()) {
        auto* item = new QListWidgetItem(
            QString("frame %1 · p95 %2 %3").arg(frame + 1).arg(points_.at(frame).p95Of(s.name), 0, 'g', 3).arg(s.unit));
        item->setData(Qt::UserRole, frame);
        worst_->addItem(item);
    }
    bookmarkList_->clear();
    for (int frame : bookmarks_) {
        auto* item = new QListWidgetItem(QString("frame %1").arg(frame + 1));
        item->setData(Qt::UserRole, frame);
        bookmarkList_->addItem(item);
    }
    exportWorst_->setEnabled(!points_.empty());
    exportBookmarks_->setEnabled(!bookmarks_.isEmpty());
}

}  // namespace uvis
