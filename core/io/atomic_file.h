#pragma once
// Writing a file so that it is never half-written: into a temporary beside it, then rename.

#include <string>

namespace uvis {

// Writes `bytes` to `path` atomically. Empty on success, else the problem, naming the file.
// Refuses to replace an existing file unless `overwrite`.
std::string writeFileAtomically(const std::string& path, const std::string& bytes, bool overwrite = true);

}  // namespace uvis
