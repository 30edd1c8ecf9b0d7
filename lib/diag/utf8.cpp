#include <chat/utf8.hpp>

#include <algorithm>

namespace chat {
namespace {

unsigned char byte_at(std::string_view text, std::size_t offset) {
    return static_cast<unsigned char>(text[offset]);
}

bool is_continuation(unsigned char byte) {
    return (byte & 0xC0U) == 0x80U;
}

}  // namespace

// The ranges are those of the Unicode standard's table of well-formed UTF-8 byte sequences.
std::size_t utf8_sequence_length(std::string_view text, std::size_t offset) {
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

bool is_valid_utf8(std::string_view text) {
    for (std::size_t offset = 0; offset < text.size();) {
        std::size_t length = utf8_sequence_length(text, offset);
        if (length == 0) {
            return false;
        }
        offset += length;
    }
    return true;
}

}  // namespace chat

namespace chat {
namespace {

std::size_t step_at(std::string_view text, std::size_t offset) {
    std::size_t length = utf8_sequence_length(text, offset);
    return length == 0 ? 1 : length;
}

}  // namespace

std::size_t utf8_length(std::string_view text) {
    std::size_t characters = 0;
    for (std::size_t offset = 0; offset < text.size(); offset += step_at(text, offset)) {
        ++characters;
    }
    return characters;
}

std::size_t utf8_byte_offset(std::string_view text, std::size_t characters) {
    std::size_t offset = 0;
    for (; offset < text.size() && characters > 0; --characters) {
        offset += step_at(text, offset);
    }
    return std::min(offset, text.size());
}

}  // namespace chat
