#pragma once
// A JSON object dumped member by member, so that objects which differ only in a few members
// are written without dumping the shared ones again: the outbox payloads of one message, one
// per recipient, differ only in is_own, is_read and thread_data.

#include <nlohmann/json.hpp>

#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace chat::store {

/// nlohmann::json::dump() of `object` (a JSON object) with member `key` set to the JSON text
/// `dumped_value`, which is not dumped again.
std::string dump_with(nlohmann::json object, const std::string& key, std::string_view dumped_value);

class DumpedObject {
public:
    /// `object` must be a JSON object.
    explicit DumpedObject(const nlohmann::json& object);

    struct Member {
        std::string_view key;
        std::string_view dumped_value;  // JSON text, as nlohmann::json::dump() writes it
    };

    /// Exactly what nlohmann::json::dump() gives for the object with `extra` members added,
    /// replacing members of the same key.
    std::string with(std::vector<Member> extra) const;
    std::string dump() const { return with({}); }

private:
    // Sorted by key, as nlohmann::json keeps them: (key, "\"key\":value").
    std::vector<std::pair<std::string, std::string>> m_members;
    std::size_t m_size = 2;  // of the dump without extras: braces, members and commas
};

}  // namespace chat::store
