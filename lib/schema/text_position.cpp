#include "schema/text_position.hpp"

#include <algorithm>
#include <cstdio>

namespace chat::schema {
namespace {

unsigned char byte_at(std::string_view text, std::size_t offset) {
    return static_cast<unsigned char>(text[offset]);
}

bool is_continuation(unsigned char byte) {
    return (byte & 0xC0U) == 0x80U;
}

// Length of the well-formed sequence starting at `offset`, or 0 when it is malformed. The
// ranges are those of the Unicode standard's table of well-formed UTF-8 byte sequences.
std::size_t sequence_length(std::string_view text, std::size_t offset) {
    unsigned char lead = byte_at(text, offset);
    if (lead < 0x80U) {
        return 1;
    }
    std::size_t length = 0;
    unsigned char second_min = 0x80U;
    unsigned char second_max = 0xBFU;
    if (lead >= 0xC2U && lead <= 0xDFU) {
        length = 2;
    } else if (lead >= 0xE0U && lead <= 0xEFU) {
        length = 3;
        if (lead == 0xE0U) {
            second_min = 0xA0U;  // overlong
        } else if (lead == 0xEDU) {
            second_max = 0x9FU;  // surrogates
        }
    } else if (lead >= 0xF0U && lead <= 0xF4U) {
        length = 4;
        if (lead == 0xF0U) {
            second_min = 0x90U;  // overlong
        } else if (lead == 0xF4U) {
            second_max = 0x8FU;  // above U+10FFFF
        }
    } else {
        return 0;
    }
    if (offset + length > text.size()) {
        return 0;
    }
    unsigned char second = byte_at(text, offset + 1);
    if (second < second_min || second > second_max) {
        return 0;
    }
    for (std::size_t i = 2; i < length; ++i) {
        if (!is_continuation(byte_at(text, offset + i))) {
            return 0;
        }
    }
    return length;
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
    return Position{line, static_cast<std::uint32_t>(offset - line_start + 1), offset};
}

std::optional<ParseFailure> find_invalid_utf8(std::string_view text) {
    std::size_t offset = 0;
    while (offset < text.size()) {
        std::size_t length = sequence_length(text, offset);
        if (length == 0) {
            return ParseFailure{position_at(text, offset),
                                "invalid UTF-8 (byte " + hex_byte(byte_at(text, offset)) +
                                    "); schema files must be UTF-8"};
        }
        offset += length;
    }
    return std::nullopt;
}

}  // namespace chat::schema
