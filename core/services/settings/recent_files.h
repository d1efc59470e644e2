#pragma once
// The recent-files list: pure logic, unit-tested without QSettings.

#include <QStringList>

namespace uvis {

// `path` moves to the front; duplicates (same absolute path) are removed; at most `limit` kept.
QStringList addRecentFile(const QStringList& list, const QString& path, int limit = 10);

}  // namespace uvis
