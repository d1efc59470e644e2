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

}  // namespace uvis
