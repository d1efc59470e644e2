#pragma once
// Writing a file so that it is never half-written: into a temporary beside it, then rename.

#include <string>

namespace uvis {

// Writes `bytes` to `path` atomically. Empty on success, else the problem, naming the file.
// Refuses to replace an existing file unless `overwrite`.
std::string writeFileAtomically(const std::string& path, const std::string& bytes, bool overwrite = true);

// A result folder that appears whole or not at all: files go into a hidden sibling
// (".uvis-partial-<pid>-<n>"), commit() renames it into place; destroyed uncommitted, it is
// removed.
class PartialFolder {
public:
    // Empty on success; refuses an existing `dir` unless `overwrite`.
    std::string open(const std::string& dir, bool overwrite);
    const std::string& path() const { return partial_; }
    std::string commit();
    ~PartialFolder();

private:
    std::string dir_, partial_;
    bool committed_ = false;
};

// Temporary files and folders under `dir` left by a process that no longer runs (killed with
// SIGKILL, a power cut): removed. Those of running processes are left alone. Returns how many.
int removeStalePartials(const std::string& dir);

}  // namespace uvis
