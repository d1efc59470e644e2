#pragma once
// Rows of images already scored, kept under the user's cache folder, so that a data
// set opened again with the same model and settings fills its table at once. One small JSON file
// per (result key, input path); the folder is trimmed to a size limit, oldest first. A damaged or
// foreign entry is a miss, never an error. Qt Core layer.

#include <QString>

#include <optional>
#include <string>

#include "core/dataset/dataset_table.h"

namespace uvis {

class ScoreCache {
public:
    static constexpr qint64 kDefaultMaxBytes = 64ll << 20;
    // `dir` empty: the user's cache folder (QStandardPaths::CacheLocation)/scores.
    explicit ScoreCache(QString dir = {}, qint64 maxBytes = kDefaultMaxBytes);
    QString dir() const { return dir_; }

    // `key` is resultKey(settings, inputPath) (settings and the file's size and time).
    std::optional<ImageRow> find(const std::string& key, const std::string& inputPath) const;
    void store(const std::string& key, const std::string& inputPath, const ImageRow& row);

private:
    QString fileFor(const std::string& key, const std::string& inputPath) const;
    void trim();
    QString dir_;
    qint64 maxBytes_;
};

}  // namespace uvis
