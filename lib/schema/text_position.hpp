#pragma once
// Byte offsets to lines and columns, and the UTF-8 check every schema file passes first.

#include "schema/document.hpp"

#include <optional>
#include <string_view>

namespace chat::schema {

/// The 1-based line and character column of byte `offset` in `text` (past the end: the end).
Position position_at(std::string_view text, std::size_t offset);

/// The first byte sequence that is not well-formed UTF-8 (overlong forms, surrogates and code
/// points above U+10FFFF included), or nothing when the whole text is valid.
std::optional<ParseFailure> find_invalid_utf8(std::string_view text);

}  // namespace chat::schema
