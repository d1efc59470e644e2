#pragma once
// JSON documents as text. A file name or message may hold bytes that are not UTF-8 (a name in
// another encoding, a forged header quoted in an error); nlohmann::json throws on those when it
// writes, so every document uvis writes goes through here: such bytes become U+FFFD.

#include <nlohmann/json.hpp>

#include <string>

namespace uvis {

inline std::string jsonText(const nlohmann::json& doc, int indent = -1) {
    return doc.dump(indent, ' ', false, nlohmann::json::error_handler_t::replace);
}

}  // namespace uvis
