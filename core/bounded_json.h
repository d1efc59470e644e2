#pragma once
// JSON from a user's file, read with a depth limit (internal: nlohmann-json). A hostile file nested
// 100,000 levels deep is refused instead of being walked recursively later.

#include <string>

#include <nlohmann/json.hpp>

namespace uvis {

// The parsed value, or a discarded one (is_discarded()) for invalid JSON or deeper nesting.
inline nlohmann::json parseBoundedJson(const std::string& text, int maxDepth = 32) {
    bool tooDeep = false;
    auto j = nlohmann::json::parse(
        text,
        [&](int depth, nlohmann::json::parse_event_t, nlohmann::json&) {
            if (depth > maxDepth) tooDeep = true;
            return !tooDeep;
        },
        false);
    return tooDeep ? nlohmann::json(nlohmann::json::value_t::discarded) : j;
}

}  // namespace uvis
