#pragma once

#include "schema/document.hpp"

#include <string_view>
#include <variant>

namespace chat::schema {

/// Parses one YAML document into a located tree. Aliases are expanded (with a budget, so that
/// exponential alias bombs fail instead of exhausting memory); nesting is limited to
/// k_max_nesting; duplicate mapping keys and multiple documents are failures.
std::variant<Node, ParseFailure> parse_yaml(std::string_view text);

}  // namespace chat::schema
