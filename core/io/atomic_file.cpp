#include "core/io/atomic_file.h"

#include <atomic>
#include <cerrno>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <system_error>
#include <unistd.h>

namespace uvis {

std::string writeFileAtomically(const std::string& path, const std::string& bytes, bool overwrite) {
    namespace fs = std::filesystem;
    std::error_code ec;
    if (!overwrite && fs::exists(path, ec)) return path + ": already exists (not overwritten)";
    // Unique per process and call, so that parallel writers never share a temporary.
    static std::atomic<unsigned> counter{0};
    const std::string tmp = path + ".tmp-" + std::to_string(::getpid()) + "-" + std::to_string(counter++);
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
    const fs::path target(dir);
    dir_ = dir;
    partial_ = (target.parent_path() / ("." + target.filename().string() + ".partial")).string();
    fs::remove_all(partial_, ec);
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
