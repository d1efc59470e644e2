#pragma once
// NumPy .npy files (format 1.0/2.0) for raw maps, SPEC §5: little-endian float32 or uint8,
// C order, 2-D [H,W]. Debian packages no C++ NPY library; the format is a short header and the
// raw array, and the reader checks every field of that header before trusting it.

#include <cstdint>
#include <string>

#include "core/types/maps.h"

namespace uvis {

std::string npyBytes(const FloatMap& map);
std::string npyBytes(const ClassMap& map);

// Atomic writes; empty on success, else the problem naming the file.
std::string writeNpy(const std::string& path, const FloatMap& map);
std::string writeNpy(const std::string& path, const ClassMap& map);

struct NpyFloatResult {
    FloatMap map;
    std::string error;
    std::string dtype;  // '<f4', '<f8' or '<u2' as the file says
};
// Reads a 2-D float32 or float64 ('<f4', '<f8') or 16-bit unsigned ('<u2') array as float.
NpyFloatResult readNpyFloat(const std::string& path);

struct NpyClassResult {
    ClassMap map;
    std::string error;
};
// Reads a 2-D uint8 array ('|u1').
NpyClassResult readNpyClasses(const std::string& path);

}  // namespace uvis
