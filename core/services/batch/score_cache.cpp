#include "core/services/batch/score_cache.h"

#include <QCryptographicHash>
#include <QDir>
#include <QFileInfo>
#include <QStandardPaths>

#include <nlohmann/json.hpp>

#include <algorithm>
#include <fstream>

#include "core/io/atomic_file.h"
#include "core/types/json_document.h"

namespace uvis {

using nlohmann::json;

namespace {

std::string absolute(const std::string& path) { return QFileInfo(QString::fromStdString(path)).absoluteFilePath().toStdString(); }

}  // namespace

ScoreCache::ScoreCache(QString dir, qint64 maxBytes) : dir_(std::move(dir)), maxBytes_(maxBytes) {
    if (dir_.isEmpty()) dir_ = QStandardPaths::writableLocation(QStandardPaths::CacheLocation) + "/scores";
}

QString ScoreCache::fileFor(const std::string& key, const std::string& inputPath) const {
    const QByteArray id = QCryptographicHash::hash(QByteArray::fromStdString(key + "\n" + absolute(inputPath)),
                                                   QCryptographicHash::Sha256)
                              .toHex();
    return QDir(dir_).filePath(QString::fromLatin1(id) + ".json");
}

std::optional<ImageRow> ScoreCache::find(const std::string& key, const std::string& inputPath) const {
    const JsonRead read = readJsonFile(fileFor(key, inputPath).toStdString());
    if (!read.ok()) return std::nullopt;  // absent or damaged: scored again
    try {
        const json& doc = read.value;
        if (doc.at("key").get<std::string>() != key || doc.at("input").get<std::string>() != absolute(inputPath))
            return std::nullopt;
        return parseImageRowJson(jsonText(doc.at("row")));
    } catch (const std::exception&) {
        return std::nullopt;
    }
}

void ScoreCache::store(const std::string& key, const std::string& inputPath, const ImageRow& row) {
    QDir().mkpath(dir_);
    const json doc{{"key", key}, {"input", absolute(inputPath)}, {"row", parseJson(imageRowJson(row), "a table row").value}};
    if (writeFileAtomically(fileFor(key, inputPath).toStdString(), jsonText(doc) + "\n", true).empty()) trim();
}

void ScoreCache::trim() {
    QFileInfoList files = QDir(dir_).entryInfoList({"*.json"}, QDir::Files, QDir::Time);  // newest first
    qint64 total = 0;
    for (const QFileInfo& f : files) {
        total += f.size();
        if (total > maxBytes_) QFile::remove(f.absoluteFilePath());
    }
}

}  // namespace uvis
