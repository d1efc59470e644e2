#include "ui/comparison_panel.h"

#include <QComboBox>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QMenu>
#include <QMessageBox>
#include <QPushButton>
#include <QSignalBlocker>

#include "core/services/sessions/comparison_session.h"
#include "ui/file_dialogs.h"
#include "ui/sampling_controls.h"
#include "ui/metrics_panel.h"

namespace uvis {
namespace {

constexpr CompareMode kModes[] = {CompareMode::Off, CompareMode::A, CompareMode::B, CompareMode::Both,
                                  CompareMode::Difference};

QString modeTitle(CompareMode m) {
    switch (m) {
    case CompareMode::Off: return "Off: A only";
    case CompareMode::A: return "A";
    case CompareMode::B: return "B";
    case CompareMode::Both: return "A and B side by side";
    case CompareMode::Difference: return "Difference B − A";
    }
    return {};
}

}  // namespace

ComparisonPanel::ComparisonPanel(ComparisonSession& session, MetricsPanel* metrics, std::function<QString()> lastFolder,
                                 QWidget* parent)
    : QWidget(parent), session_(session), metrics_(metrics), lastFolder_(std::move(lastFolder)) {
    auto* form = new QFormLayout(this);
    mode_ = new QComboBox;
    for (CompareMode m : kModes) mode_->addItem(modeTitle(m), static_cast<int>(m));
    mode_->setToolTip("<p>Compare the Monte Carlo dock's configuration (A) with a second one (B) on the same "
                      "image: keys <b>A</b>, <b>B</b>, <b>S</b> (side by side), <b>D</b> (difference B − A), "
                      "<b>Shift+C</b> (off). Side by side, A and B share each map's colour range.</p>");
    form->addRow("Show", mode_);
    configA_ = new QLabel;
    configB_ = new QLabel;
    for (QLabel* l : {configA_, configB_}) {
        l->setWordWrap(true);
        l->setTextInteractionFlags(Qt::TextSelectableByMouse);
    }
    form->addRow("A", configA_);
    form->addRow("B", configB_);
    sameModel_ = new QPushButton("A's model");
    sameModel_->setToolTip("B uses A's model, and follows it when A opens another");
    auto* open = new QPushButton("Open model…");
    open->setToolTip("B's own model: another file, an ensemble card or a folder of members");
    auto* models = new QHBoxLayout;
    models->addWidget(sameModel_);
    models->addWidget(open);
    form->addRow("B's model", models);
    controls_ = new SamplingControls;
    form->addRow(controls_);

    AnalysisSession& b = session_.b();
    bindControls(controls_, b);
    controls_->setSettings(b.settings());
    connect(mode_, &QComboBox::activated, this,
            [this](int i) { session_.setMode(static_cast<CompareMode>(mode_->itemData(i).toInt())); });
    connect(sameModel_, &QPushButton::clicked, &session_, &ComparisonSession::followModelA);
    connect(open, &QPushButton::clicked, this, [this] {
        if (const QString path = dialogs::askModel(this, lastFolder_()); !path.isEmpty()) session_.openModelB(path);
    });
    connect(&session_, &ComparisonSession::modeChanged, this, [this] {
        controls_->setSettings(session_.b().settings());  // B starts as A: its controls say so
        showState();
    });
    connect(&session_, &ComparisonSession::changed, this, &ComparisonPanel::showState);
    connect(&session_, &ComparisonSession::metricsChanged, this, &ComparisonPanel::showState);
    connect(&session_.workspace().analysis(), &AnalysisSession::resultUpdated, this, &ComparisonPanel::showState);
    // B's failures stay said in the dock (until B's next model loads) and in a box, naming the file.
    auto failed = [this](const QString& message) {
        error_ = message;
        showState();
        auto* box = new QMessageBox(QMessageBox::Warning, "uvis — configuration B", message, QMessageBox::Ok, this);
        box->setAttribute(Qt::WA_DeleteOnClose);
        box->open();
    };
    connect(&b, &AnalysisSession::modelFailed, this, [failed](const QString& path, const QString& message) {
        failed(message.contains(path) ? message : path + ": " + message);
    });
    connect(&b, &AnalysisSession::inferenceFailed, this, [failed](const QString& m) { failed("B's inference failed: " + m); });
    connect(&b, &AnalysisSession::modelLoaded, this, [this] {
        error_.clear();
        showState();
    });
    showState();
}

void ComparisonPanel::addMenu(QMenu* view) {
    QMenu* menu = view->addMenu("&Compare A/B");
    const QKeySequence keys[] = {QKeySequence(Qt::SHIFT | Qt::Key_C), QKeySequence(Qt::Key_A), QKeySequence(Qt::Key_B),
                                 QKeySequence(Qt::Key_S), QKeySequence(Qt::Key_D)};
    for (int i = 0; i < 5; ++i)
        menu->addAction(modeTitle(kModes[i]), keys[i], &session_, [this, i] { session_.setMode(kModes[i]); });
}

QString ComparisonPanel::modelText() const { return configB_->text(); }

void ComparisonPanel::showState() {
    const QSignalBlocker quiet(mode_);
    mode_->setCurrentIndex(mode_->findData(static_cast<int>(session_.mode())));
    const bool on = session_.active();
    const AnalysisSession& a = session_.workspace().analysis();
    configA_->setText(ComparisonSession::describe(a));
    configB_->setText(!on ? "not running (choose what to show)"
                          : ComparisonSession::describe(session_.b()) + (session_.followsModelA() ? " (A's model)" : "") +
                                (error_.isEmpty() ? QString() : "\n" + error_));
    controls_->setEnabled(on);
    sameModel_->setEnabled(on && !session_.followsModelA());
    if (!on) {
        metrics_->showComparison({}, {});
        return;
    }
    metrics_->showComparison("A — " + configA_->text(),
                             "B — " + ComparisonSession::describe(session_.b()) + "\n" +
                                 (session_.hasMetricsB() ? MetricsPanel::format(session_.metricsB())
                                                         : QString("(B's metrics appear when its result is complete "
                                                                   "and the image has ground truth)")));
}

}  // namespace uvis
