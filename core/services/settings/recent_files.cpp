#include "core/services/settings/recent_files.h"

#include <QFileInfo>

namespace uvis {

QStringList addRecentFile(const QStringList& list, const QString& path, int limit) {
    const QString absolute = QFileInfo(path).absoluteFilePath();
    QStringList out{absolute};
    for (const QString& p : list)
        if (QFileInfo(p).absoluteFilePath() != absolute && out.size() < limit) out << p;
    return out;
}

}  // namespace uvis
