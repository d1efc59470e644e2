#include "ui/dock_column.h"

#include <QDockWidget>
#include <QMainWindow>
#include <QScreen>
#include <QScrollArea>
#include <QStyle>

#include <algorithm>

#include "core/services/settings/window_placement.h"

namespace uvis {
namespace {

QWidget* contents(QDockWidget* dock) { return qobject_cast<QScrollArea*>(dock->widget())->widget(); }

}  // namespace

QDockWidget* addScrollingDock(QMainWindow* window, QWidget* widget, const QString& title, const char* name) {
    auto* d = new QDockWidget(title, window);
    d->setObjectName(name);
    auto* scroll = new QScrollArea;
    scroll->setWidget(widget);
    scroll->setWidgetResizable(true);
    scroll->setFrameShape(QFrame::NoFrame);
    scroll->setHorizontalScrollBarPolicy(Qt::ScrollBarAsNeeded);  // a narrow dock scrolls sideways
    d->setWidget(scroll);
    window->addDockWidget(Qt::RightDockWidgetArea, d);
    return d;
}

void fitControlDocks(QMainWindow* window, QDockWidget* first, QDockWidget* second, QDockWidget* group, bool fresh) {
    // Never narrower than the widest controls and a vertical scroll bar: a width given once was
    // lost when the window manager maximised the window a moment later, and a fresh start showed
    // the controls cut, with a sideways scroll bar.
    const int width = controlDockMinimumWidth(
        std::max(contents(first)->sizeHint().width(), contents(second)->sizeHint().width()) +
            window->style()->pixelMetric(QStyle::PM_ScrollBarExtent) + 8,
        window->screen()->availableGeometry().width());
    QList<int> wanted;
    for (QDockWidget* d : {first, second}) {
        const int titleBar = d->height() - d->widget()->height();  // as the style draws it
        wanted << contents(d)->sizeHint().height() + titleBar;
        d->setMaximumHeight(wanted.back());
        d->setMinimumWidth(width);
    }
    if (!fresh) return;
    // The group is named too: resizeDocks scales every size down when the sizes it is given and
    // the others' present ones do not fit together.
    const int column = first->height() + second->height() + group->height();
    window->resizeDocks({first, second, group}, dockColumnHeights(column, wanted, group->minimumSizeHint().height()),
                        Qt::Vertical);
}

}  // namespace uvis
