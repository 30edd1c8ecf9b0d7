#pragma once

#include "schema/document.hpp"

#include <string_view>
#include <variant>

namespace chat::schema {

/// Parses one JSON text (RFC 8259, strictly: no comments, no trailing commas, nothing after
/// the value) into a located tree. Nesting is limited to k_max_nesting; duplicate object keys
/// are failures. The input must already be valid UTF-8. A leading byte order mark is skipped.
std::variant<Node, ParseFailure> parse_json(std::string_view text);

}  // namespace chat::schema
