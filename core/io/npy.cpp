#include "core/io/npy.h"

#include <cstring>
#include <fstream>
#include <regex>
#include <sstream>

#include "core/io/atomic_file.h"

namespace uvis {
namespace {

std::string header(const char* descr, int height, int width) {
    std::string dict = std::string("{'descr': '") + descr + "', 'fortran_order': False, 'shape': (" +
                       std::to_string(height) + ", " + std::to_string(width) + "), }";
    // magic (6) + version (2) + length (2) + dict, padded with spaces to a multiple of 64, '\n'.
    const size_t unpadded = 10 + dict.size() + 1;
    dict.append((64 - unpadded % 64) % 64, ' ');
    dict.push_back('\n');
    std::string out("\x93NUMPY\x01\x00", 8);
    out.push_back(static_cast<char>(dict.size() & 0xff));
    out.push_back(static_cast<char>((dict.size() >> 8) & 0xff));
    return out + dict;
}

template <typename T>
std::string bytesOf(const char* descr, const Map<T>& map) {
    std::string out = header(descr, map.height, map.width);
    // x86-64 and AArch64 are little-endian, as '<f4' says.
    out.append(reinterpret_cast<const char*>(map.values.data()), map.values.size() * sizeof(T));
    return out;
}

struct Parsed {
    std::string descr;
    int height = 0, width = 0;
    std::string data;
    std::string error;
};

Parsed parse(const std::string& path) {
    Parsed p;
    std::ifstream in(path, std::ios::binary);
    if (!in) {
        p.error = path + ": cannot open";
        return p;
    }
    std::ostringstream buffer;
    buffer << in.rdbuf();
    const std::string bytes = buffer.str();
    if (bytes.size() < 10 || bytes.compare(0, 6, "\x93NUMPY") != 0) {
        p.error = path + ": not a NumPy .npy file";
        return p;
    }
    const int major = static_cast<unsigned char>(bytes[6]);
    size_t headerLength = 0, offset = 0;
    if (major == 1) {
        headerLength = static_cast<unsigned char>(bytes[8]) | (static_cast<unsigned char>(bytes[9]) << 8);
        offset = 10;
    } else if (major == 2 || major == 3) {
        if (bytes.size() < 12) {
            p.error = path + ": truncated .npy header";
            return p;
        }
        for (int i = 3; i >= 0; --i) headerLength = (headerLength << 8) | static_cast<unsigned char>(bytes[8 + i]);
        offset = 12;
    } else {
        p.error = path + ": unsupported .npy version " + std::to_string(major);
        return p;
    }
    if (headerLength > 65536 || offset + headerLength > bytes.size()) {
        p.error = path + ": truncated .npy header";
        return p;
    }
    const std::string dict = bytes.substr(offset, headerLength);
    std::smatch m;
    if (!std::regex_search(dict, m, std::regex("'descr':\\s*'([^']+)'"))) {
        p.error = path + ": .npy header has no 'descr'";
        return p;
    }
    p.descr = m[1];
    if (std::regex_search(dict, m, std::regex("'fortran_order':\\s*True"))) {
        p.error = path + ": Fortran-ordered arrays are not supported (save with C order)";
        return p;
    }
    if (!std::regex_search(dict, m, std::regex("'shape':\\s*\\(\\s*(\\d+)\\s*,\\s*(\\d+)\\s*,?\\s*\\)"))) {
        p.error = path + ": expected a 2-D array [height, width]";
        return p;
    }
    const long long h = std::stoll(m[1]), w = std::stoll(m[2]);
    if (h <= 0 || w <= 0 || h > 65536 || w > 65536) {
        p.error = path + ": implausible array shape " + std::string(m[1]) + "×" + std::string(m[2]);
        return p;
    }
    p.height = static_cast<int>(h);
    p.width = static_cast<int>(w);
    p.data = bytes.substr(offset + headerLength);
    return p;
}

}  // namespace

std::string npyBytes(const FloatMap& map) { return bytesOf("<f4", map); }
std::string npyBytes(const ClassMap& map) { return bytesOf("|u1", map); }

std::string writeNpy(const std::string& path, const FloatMap& map) {
    return writeFileAtomically(path, npyBytes(map));
}
std::string writeNpy(const std::string& path, const ClassMap& map) {
    return writeFileAtomically(path, npyBytes(map));
}

NpyFloatResult readNpyFloat(const std::string& path) {
    NpyFloatResult r;
    Parsed p = parse(path);
    if (!p.error.empty()) {
        r.error = p.error;
        return r;
    }
    const size_t n = static_cast<size_t>(p.height) * p.width;
    r.dtype = p.descr;
    size_t itemSize = p.descr == "<f4" ? 4 : p.descr == "<f8" ? 8 : p.descr == "<u2" ? 2 : 0;
    if (itemSize == 0) {
        r.error = path + ": element type '" + p.descr + "' is not float32, float64 or uint16";
        return r;
    }
    if (p.data.size() < n * itemSize) {
        r.error = path + ": truncated: " + std::to_string(p.data.size()) + " bytes of data for a " +
                  std::to_string(p.height) + "×" + std::to_string(p.width) + " array";
        return r;
    }
    r.map.height = p.height;
    r.map.width = p.width;
    r.map.values.resize(n);
    for (size_t i = 0; i < n; ++i) {
        const char* src = p.data.data() + i * itemSize;
        if (itemSize == 4) std::memcpy(&r.map.values[i], src, 4);
        else if (itemSize == 8) {
            double d;
            std::memcpy(&d, src, 8);
            r.map.values[i] = static_cast<float>(d);
        } else {
            std::uint16_t u;
            std::memcpy(&u, src, 2);
            r.map.values[i] = static_cast<float>(u);
        }
    }
    return r;
}

NpyClassResult readNpyClasses(const std::string& path) {
    NpyClassResult r;
    Parsed p = parse(path);
    if (!p.error.empty()) {
        r.error = p.error;
        return r;
    }
    if (p.descr != "|u1" && p.descr != "<u1") {
        r.error = path + ": element type '" + p.descr + "' is not uint8";
        return r;
    }
    const size_t n = static_cast<size_t>(p.height) * p.width;
    if (p.data.size() < n) {
        r.error = path + ": truncated array data";
        return r;
    }
    r.map.height = p.height;
    r.map.width = p.width;
    r.map.values.assign(p.data.begin(), p.data.begin() + static_cast<std::ptrdiff_t>(n));
    return r;
}

}  // namespace uvis
