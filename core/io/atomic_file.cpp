#include "core/io/atomic_file.h"

#include <atomic>
#include <cerrno>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <system_error>
#include <csignal>
#include <cstdlib>
#include <cstring>
#include <vector>
#include <unistd.h>

namespace uvis {
namespace {

// A short hidden name beside `target`, unique per process and call (parallel writers never share
// one). Short, whatever the target's name: a 250-character file name plus a suffix would pass
// the file system's 255-byte limit.
std::string temporaryBeside(const std::string& target, const char* kind) {
    static std::atomic<unsigned> counter{0};
    std::filesystem::path path(target);
    if (!path.has_filename()) path = path.parent_path();  // "out/" names the folder "out"
    const std::filesystem::path parent = path.parent_path();
    return (parent / ("." + std::string(kind) + "-" + std::to_string(::getpid()) + "-" + std::to_string(counter++)))
        .string();
}

}  // namespace

std::string writeFileAtomically(const std::string& path, const std::string& bytes, bool overwrite) {
    namespace fs = std::filesystem;
    std::error_code ec;
    if (!overwrite && fs::exists(path, ec)) return path + ": already exists (not overwritten)";
    const std::string tmp = temporaryBeside(path, "uvis-tmp");
    {
        std::ofstream out(tmp, std::ios::binary | std::ios::trunc);
        if (!out) return path + ": cannot write (" + std::error_code(errno, std::generic_category()).message() + ")";
        out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
        out.flush();
        if (!out) {
            std::remove(tmp.c_str());
            return path + ": write failed (disk full?)";
        }
    }
    fs::rename(tmp, path, ec);
    if (ec) {
        std::remove(tmp.c_str());
        return path + ": cannot move the finished file into place (" + ec.message() + ")";
    }
    return {};
}

std::string PartialFolder::open(const std::string& dir, bool overwrite) {
    namespace fs = std::filesystem;
    std::error_code ec;
    if (fs::exists(dir, ec) && !overwrite) return dir + ": already exists (use --overwrite to replace it)";
    dir_ = dir;
    partial_ = temporaryBeside(dir, "uvis-partial");
    fs::create_directories(partial_, ec);
    if (ec) return partial_ + ": cannot create (" + ec.message() + ")";
    return {};
}

std::string PartialFolder::commit() {
    namespace fs = std::filesystem;
    std::error_code ec;
    if (fs::exists(dir_, ec)) fs::remove_all(dir_, ec);
    fs::rename(partial_, dir_, ec);
    if (ec) return dir_ + ": cannot move the result into place (" + ec.message() + ")";
    committed_ = true;
    return {};
}

PartialFolder::~PartialFolder() {
    if (committed_ || partial_.empty()) return;
    std::error_code ec;
    std::filesystem::remove_all(partial_, ec);
}

}  // namespace uvis

namespace uvis {

int removeStalePartials(const std::string& dir) {
    namespace fs = std::filesystem;
    std::vector<fs::path> stale;
    std::error_code ec;
    for (auto it = fs::recursive_directory_iterator(dir, fs::directory_options::skip_permission_denied, ec);
         !ec && it != fs::recursive_directory_iterator(); it.increment(ec)) {
        const std::string name = it->path().filename().string();
        for (const char* kind : {".uvis-partial-", ".uvis-tmp-"}) {
            if (name.rfind(kind, 0) != 0) continue;
            const long pid = std::strtol(name.c_str() + std::strlen(kind), nullptr, 10);
            // Signal 0 only asks whether the process exists.
            if (pid > 0 && ::kill(static_cast<pid_t>(pid), 0) != 0 && errno == ESRCH) stale.push_back(it->path());
            if (it->is_directory(ec)) it.disable_recursion_pending();
        }
    }
    int removed = 0;
    for (const fs::path& p : stale) removed += fs::remove_all(p, ec) > 0;
    return removed;
}

}  // namespace uvis
