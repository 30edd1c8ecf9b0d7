#pragma once
// UTF-8 well-formedness, shared by the schema loader (which rejects bad files) and the
// diagnostic printer (which must not echo bad bytes to a terminal).

#include <cstddef>
#include <string_view>

namespace chat {

/// Length of the well-formed UTF-8 sequence starting at `offset` (1 to 4), or 0 when the bytes
/// there are not well-formed (overlong forms, surrogates and code points above U+10FFFF are
/// not). `offset` must be inside `text`.
std::size_t utf8_sequence_length(std::string_view text, std::size_t offset);

/// Whether all of `text` is well-formed UTF-8.
bool is_valid_utf8(std::string_view text);

}  // namespace chat

namespace chat {

/// Number of characters (code points) in `text`; each malformed byte counts as one. Diagnostic
/// columns count characters, so that a caret lines up under non-ASCII text.
std::size_t utf8_length(std::string_view text);

/// Byte offset of the character at 0-based index `characters` (the size when past the end).
std::size_t utf8_byte_offset(std::string_view text, std::size_t characters);

}  // namespace chat
