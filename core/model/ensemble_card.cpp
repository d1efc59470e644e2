#include "core/model/ensemble_card.h"

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "core/types/json_document.h"

namespace uvis {
namespace fs = std::filesystem;
namespace {

constexpr std::uintmax_t kMaxCardBytes = 1 << 20;

bool isMemberFile(const fs::path& p) {
    const std::string ext = p.extension().string();
    return ext == ".uvis" || ext == ".pt" || ext == ".ts";
}

// The card's JSON, or null when the file is not one (too big, not JSON, no "uvis_ensemble").
nlohmann::json readCard(const std::string& path) {
    std::error_code ec;
    if (!fs::is_regular_file(path, ec) || fs::file_size(path, ec) > kMaxCardBytes) return nullptr;
    std::ifstream in(path, std::ios::binary);
    char first = 0;
    in >> first;  // skips white space: a LibTorch archive starts with "PK"
    if (first != '{') return nullptr;
    in.seekg(0);
    std::ostringstream text;
    text << in.rdbuf();
    const nlohmann::json j = parseJson(text.str(), path).value;
    if (j.is_discarded() || !j.is_object() || !j.contains("uvis_ensemble")) return nullptr;
    return j;
}

}  // namespace

bool isEnsemblePath(const std::string& path) {
    std::error_code ec;
    return fs::is_directory(path, ec) || !readCard(path).is_null();
}

EnsembleListing listEnsemble(const std::string& path) {
    EnsembleListing out;
    std::error_code ec;
    if (fs::is_directory(path, ec)) {
        out.name = fs::path(path).lexically_normal().filename().string();
        if (out.name.empty()) out.name = fs::path(path).lexically_normal().parent_path().filename().string();
        for (const auto& entry : fs::directory_iterator(path, ec))
            if (entry.is_regular_file(ec) && isMemberFile(entry.path())) out.members.push_back(entry.path().string());
        std::sort(out.members.begin(), out.members.end());
        if (out.members.size() > kMaxEnsembleMembers)
            out.error = path + ": an ensemble has at most " + std::to_string(kMaxEnsembleMembers) +
                        " members; this folder holds " + std::to_string(out.members.size()) + " model files";
        else if (out.members.size() < 2)
            out.error = path + ": an ensemble folder needs at least two model files (*.uvis, *.pt, *.ts); it holds " +
                        std::to_string(out.members.size());
        return out;
    }
    const nlohmann::json j = readCard(path);
    if (j.is_null()) {
        out.error = path + ": not an ensemble card (a JSON object with \"uvis_ensemble\")";
        return out;
    }
    const auto members = j.find("members");
    if (members == j.end() || !members->is_array() || members->size() < 2 || members->size() > kMaxEnsembleMembers) {
        out.error = path + ": field 'members' must list 2 to " + std::to_string(kMaxEnsembleMembers) + " model files";
        return out;
    }
    const fs::path base = fs::path(path).parent_path();
    for (const auto& m : *members) {
        if (!m.is_string() || m.get<std::string>().empty()) {
            out.error = path + ": every entry of 'members' must be a file name";
            return out;
        }
        const fs::path p(m.get<std::string>());
        out.members.push_back((p.is_absolute() ? p : base / p).lexically_normal().string());
    }
    const auto name = j.find("name");
    out.name = name != j.end() && name->is_string() ? name->get<std::string>() : fs::path(path).stem().string();
    return out;
}

std::string ensembleCardJson(const std::string& cardPath, const std::string& name,
                             const std::vector<std::string>& members) {
    nlohmann::json j;
    j["uvis_ensemble"] = 1;
    j["name"] = name;
    const fs::path base = fs::absolute(cardPath).parent_path();
    for (const auto& m : members) j["members"].push_back(fs::absolute(m).lexically_relative(base).string());
    return jsonText(j, 2) + "\n";
}

}  // namespace uvis
