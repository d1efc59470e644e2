#pragma once
// JSON in and out, one rule for every file uvis reads or writes (header-only: nlohmann-json).
//
// Reading: a user's file may be huge or nested 100,000 levels deep (a hostile card or manifest);
// it is refused by its size before it is read and by its depth while it is parsed, instead of
// exhausting memory or the stack of whatever walks it later. Every failure names the source.
// Writing: a file name or message may hold bytes that are not UTF-8 (a name in another encoding,
// a forged header quoted in an error); nlohmann::json throws on those when it writes, so they
// become U+FFFD here instead.

#include <nlohmann/json.hpp>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

namespace uvis {

struct JsonLimits {
    std::uintmax_t maxBytes = 64u << 20;  // a data set's table of 100,000 rows fits
    int maxDepth = 64;
};

struct JsonRead {
    nlohmann::json value;  // discarded (is_discarded()) on failure
    std::string error;     // "<source>: …" in plain words; empty on success
    bool ok() const { return error.empty(); }
};

inline JsonRead parseJson(const std::string& text, const std::string& source, JsonLimits limits = {}) {
    JsonRead read;
    read.value = nlohmann::json(nlohmann::json::value_t::discarded);
    if (text.size() > limits.maxBytes) {
        read.error = source + ": " + std::to_string(text.size()) + " bytes of JSON (at most " +
                     std::to_string(limits.maxBytes) + " are read)";
        return read;
    }
    bool tooDeep = false;
    try {
        read.value = nlohmann::json::parse(text, [&](int depth, nlohmann::json::parse_event_t, nlohmann::json&) {
            if (depth > limits.maxDepth) tooDeep = true;
            return !tooDeep;
        });
    } catch (const nlohmann::json::exception& e) {  // syntax, and numbers out of range (1e999)
        read.error = source + ": not valid JSON (" + e.what() + ")";
        read.value = nlohmann::json(nlohmann::json::value_t::discarded);
        return read;
    }
    if (tooDeep) {
        read.error = source + ": JSON nested more than " + std::to_string(limits.maxDepth) + " levels deep";
        read.value = nlohmann::json(nlohmann::json::value_t::discarded);
    }
    return read;
}

inline JsonRead readJsonFile(const std::string& path, JsonLimits limits = {}) {
    std::error_code ec;
    const std::uintmax_t size = std::filesystem::file_size(path, ec);
    if (ec) return {nlohmann::json(nlohmann::json::value_t::discarded), path + ": cannot be read (" + ec.message() + ")"};
    if (size > limits.maxBytes)
        return {nlohmann::json(nlohmann::json::value_t::discarded),
                path + ": " + std::to_string(size) + " bytes of JSON (at most " + std::to_string(limits.maxBytes) +
                    " are read)"};
    std::ifstream in(path, std::ios::binary);
    if (!in) return {nlohmann::json(nlohmann::json::value_t::discarded), path + ": cannot be opened"};
    std::ostringstream text;
    text << in.rdbuf();
    return parseJson(text.str(), path, limits);
}

inline std::string jsonText(const nlohmann::json& doc, int indent = -1) {
    return doc.dump(indent, ' ', false, nlohmann::json::error_handler_t::replace);
}

}  // namespace uvis
