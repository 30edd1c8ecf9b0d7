#include "schema/text_position.hpp"

#include <chat/utf8.hpp>

#include <algorithm>
#include <cstdio>

namespace chat::schema {
namespace {

unsigned char byte_at(std::string_view text, std::size_t offset) {
    return static_cast<unsigned char>(text[offset]);
}

std::string hex_byte(unsigned char byte) {
    char buffer[8];
    std::snprintf(buffer, sizeof buffer, "0x%02X", static_cast<unsigned>(byte));
    return buffer;
}

}  // namespace

Position position_at(std::string_view text, std::size_t offset) {
    offset = std::min(offset, text.size());
    std::string_view before = text.substr(0, offset);
    auto line = static_cast<std::uint32_t>(std::count(before.begin(), before.end(), '\n') + 1);
    auto last_newline = before.rfind('\n');
    std::size_t line_start = last_newline == std::string_view::npos ? 0 : last_newline + 1;
    auto column = utf8_length(before.substr(line_start)) + 1;
    return Position{line, static_cast<std::uint32_t>(column), offset};
}

std::optional<ParseFailure> find_invalid_utf8(std::string_view text) {
    std::size_t offset = 0;
    while (offset < text.size()) {
        std::size_t length = utf8_sequence_length(text, offset);
        if (length == 0) {
            return ParseFailure{position_at(text, offset), "invalid UTF-8 (byte " +
                                                               hex_byte(byte_at(text, offset)) +
                                                               "); schema files must be UTF-8"};
        }
        offset += length;
    }
    return std::nullopt;
}

}  // namespace chat::schema
