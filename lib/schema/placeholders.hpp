#pragma once
// `{{ root.path | default("...") }}` placeholders inside question and answer texts (SPEC §16).

#include <cstddef>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace chat::schema {

struct Placeholder {
    std::size_t offset = 0;               // of the opening "{{"
    std::vector<std::string> path;        // "user", "first_name"
    std::optional<std::string> fallback;  // the default("...") text
    std::string error;                    // non-empty when the placeholder is malformed
};

/// Every placeholder of `text`, in order.
std::vector<Placeholder> find_placeholders(std::string_view text);

/// Why the placeholder's path cannot be rendered (unknown root or field), or empty when it can.
/// `has_qid` tells whether an `answers.<qid>` names a question of the schema.
std::string unknown_path_reason(const Placeholder& placeholder,
                                const std::function<bool(std::int64_t)>& has_qid);

}  // namespace chat::schema
