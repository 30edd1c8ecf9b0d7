#include "survey/json_line_scanner.hpp"

#include <chat/utf8.hpp>

#include <algorithm>

namespace chat::survey {
namespace {

constexpr std::size_t k_block_bytes = std::size_t{1} << 20;

int hex_value(char c) {
    if (c >= '0' && c <= '9') {
        return c - '0';
    }
    if (c >= 'a' && c <= 'f') {
        return c - 'a' + 10;
    }
    if (c >= 'A' && c <= 'F') {
        return c - 'A' + 10;
    }
    return -1;
}

void append_utf8(char*& out, std::uint32_t code_point) {
    auto put = [&out](std::uint32_t byte) { *out++ = static_cast<char>(byte); };
    if (code_point < 0x80) {
        put(code_point);
    } else if (code_point < 0x800) {
        put(0xC0U | (code_point >> 6U));
        put(0x80U | (code_point & 0x3FU));
    } else if (code_point < 0x10000) {
        put(0xE0U | (code_point >> 12U));
        put(0x80U | ((code_point >> 6U) & 0x3FU));
        put(0x80U | (code_point & 0x3FU));
    } else {
        put(0xF0U | (code_point >> 18U));
        put(0x80U | ((code_point >> 12U) & 0x3FU));
        put(0x80U | ((code_point >> 6U) & 0x3FU));
        put(0x80U | (code_point & 0x3FU));
    }
}

// What the escape `\c` stands for, for the one-character escapes; '\0' for any other c.
char unescaped_char(char c) {
    switch (c) {
        case '"':
        case '\\':
        case '/':
            return c;
        case 'b':
            return '\b';
        case 'f':
            return '\f';
        case 'n':
            return '\n';
        case 'r':
            return '\r';
        case 't':
            return '\t';
        default:
            return '\0';
    }
}

}  // namespace

LineReader::LineReader(std::istream& in) : m_in(in), m_block(new char[k_block_bytes]) {}

bool LineReader::next(std::string_view& line, bool& is_too_long) {
    m_line.clear();
    is_too_long = false;
    bool has_started = false;
    while (true) {
        if (m_begin == m_end && !refill()) {
            line = m_line;
            return has_started;
        }
        const char* start = m_block.get() + m_begin;
        std::size_t available = m_end - m_begin;
        const auto* newline = static_cast<const char*>(std::memchr(start, '\n', available));
        std::size_t length = newline ? static_cast<std::size_t>(newline - start) : available;
        m_begin += newline ? length + 1 : length;
        if (newline && !has_started) {
            is_too_long = length > k_max_response_line_bytes;
            line = is_too_long ? std::string_view{} : std::string_view(start, length);
            return true;
        }
        has_started = true;
        gather(start, length, is_too_long);
        if (newline) {
            line = m_line;
            return true;
        }
    }
}

bool LineReader::refill() {
    m_begin = 0;
    m_end = 0;
    if (!m_in.good()) {
        return false;
    }
    m_in.read(m_block.get(), static_cast<std::streamsize>(k_block_bytes));
    m_end = static_cast<std::size_t>(m_in.gcount());
    return m_end > 0;
}

void LineReader::gather(const char* start, std::size_t length, bool& is_too_long) {
    if (is_too_long) {
        return;
    }
    if (m_line.size() + length > k_max_response_line_bytes) {
        is_too_long = true;
        m_line.clear();
        return;
    }
    if (m_line.capacity() < m_line.size() + length) {
        m_line.reserve(std::min(std::max(2 * m_line.capacity(), m_line.size() + length),
                                k_max_response_line_bytes));
    }
    m_line.append(start, length);
}

bool JsonScanner::fail(const char* at, std::string message) {
    m_error_at = at;
    m_message = std::move(message);
    return false;
}

// After the whole part of a number, at '.', 'e' or 'E'.
std::string_view JsonScanner::read_number_end(const char* start) {
    if (consume('.')) {
        m_is_integer = false;
        if (!is_digit(peek())) {
            fail(m_pos, "expected a digit after '.'");
            return {};
        }
        skip_digits();
    }
    if (consume('e') || consume('E')) {
        m_is_integer = false;
        if (!consume('+')) {
            consume('-');
        }
        if (!is_digit(peek())) {
            fail(m_pos, "expected a digit in the exponent");
            return {};
        }
        skip_digits();
    }
    return std::string_view(start, static_cast<std::size_t>(m_pos - start));
}

bool JsonScanner::fail_literal(std::string_view word) {
    return fail(m_pos, "expected '" + std::string(word) + "'");
}

bool JsonScanner::skip_value(int depth) {
    char closers[k_max_depth];
    int open = 0;
    while (true) {
        if (!skip_value_start(closers, open, depth)) {
            return false;
        }
        // After a value or an opening: close what ends here, then find the next value.
        while (true) {
            skip_spaces();
            if (open == 0) {
                return true;
            }
            char closer = closers[open - 1];
            if (consume(closer)) {
                --open;
                continue;
            }
            if (!consume(',')) {
                return fail(m_pos, closer == '}' ? "expected ',' or '}' after a value"
                                                 : "expected ',' or ']' after a value");
            }
            skip_spaces();
            if (closer == '}' && !skip_key()) {
                return false;
            }
            break;
        }
    }
}

bool JsonScanner::read_scalar() {
    char c = peek();
    switch (c) {
        case '"':
            return !is_failure(read_string(false));
        case 't':
            return read_literal("true");
        case 'f':
            return read_literal("false");
        case 'n':
            return read_literal("null");
        default:
            if (c == '-' || is_digit(c)) {
                return !is_failure(read_number());
            }
            return fail(m_pos, "expected a value");
    }
}

// A scalar, or the opening of a container together with its first key when it has one.
bool JsonScanner::skip_value_start(char* closers, int& open, int depth) {
    while (true) {
        skip_spaces();
        char c = peek();
        if (c != '[' && c != '{') {
            return read_scalar();
        }
        if (depth + open >= k_max_depth) {
            return fail(m_pos,
                        "expected at most " + std::to_string(k_max_depth) + " levels of nesting");
        }
        closers[open++] = c == '[' ? ']' : '}';
        ++m_pos;
        skip_spaces();
        if (peek() == closers[open - 1]) {
            return true;  // empty: the caller's loop closes it
        }
        if (c == '{' && !skip_key(true)) {
            return false;
        }
    }
}

bool JsonScanner::skip_key(bool is_first) {
    if (peek() != '"') {
        return fail(m_pos,
                    is_first ? "expected a key string or '}'" : "expected a key string after ','");
    }
    if (is_failure(read_string(false))) {
        return false;
    }
    skip_spaces();
    return consume(':') || fail(m_pos, "expected ':' after a key");
}

// At a '\\' or a byte that is not plain ASCII inside a string: checks it and moves past.
bool JsonScanner::read_special(bool& has_escape) {
    auto c = static_cast<unsigned char>(*m_pos);
    if (c < 0x20) {
        return fail(m_pos, "expected '\"' to close the string or an escaped control character");
    }
    if (c >= 0x80) {
        auto offset = static_cast<std::size_t>(m_pos - m_begin);
        std::size_t length = utf8_sequence_length(
            std::string_view(m_begin, static_cast<std::size_t>(m_end - m_begin)), offset);
        if (length == 0) {
            return fail(m_pos, "expected UTF-8 text in the string");
        }
        m_pos += length;
        return true;
    }
    has_escape = true;
    const char* escape = m_pos++;
    if (m_pos < m_end && unescaped_char(*m_pos) != '\0') {
        ++m_pos;
        return true;
    }
    if (!consume('u')) {
        return fail(escape, "expected one of \\\" \\\\ \\/ \\b \\f \\n \\r \\t \\u after '\\'");
    }
    return read_unicode_escape(escape);
}

// After "\u": four hex digits, and a low surrogate escape after a high surrogate.
bool JsonScanner::read_unicode_escape(const char* escape) {
    std::uint32_t unit = 0;
    if (!read_hex4(unit)) {
        return fail(escape, "expected four hex digits after '\\u'");
    }
    if (unit >= 0xDC00 && unit <= 0xDFFF) {
        return fail(escape, "expected a high surrogate escape before a low surrogate");
    }
    if (unit < 0xD800 || unit > 0xDBFF) {
        return true;
    }
    std::uint32_t low = 0;
    if (!consume('\\') || !consume('u') || !read_hex4(low) || low < 0xDC00 || low > 0xDFFF) {
        return fail(escape, "expected a low surrogate escape after a high surrogate");
    }
    return true;
}

bool JsonScanner::read_hex4(std::uint32_t& unit) {
    if (m_end - m_pos < 4) {
        return false;
    }
    for (int i = 0; i < 4; ++i) {
        int digit = hex_value(*m_pos);
        if (digit < 0) {
            return false;
        }
        unit = unit * 16 + static_cast<std::uint32_t>(digit);
        ++m_pos;
    }
    return true;
}

// The text of an already checked string with escapes, written after the strings unescaped
// before it on this line: unescaping never lengthens, so the buffer never moves.
std::string_view JsonScanner::unescaped(std::string_view raw) {
    auto line_size = static_cast<std::size_t>(m_end - m_begin);
    if (m_unescaped.size() < line_size) {
        m_unescaped.resize(line_size);
    }
    char* start = m_unescaped.data() + m_unescaped_used;
    char* out = start;
    for (std::size_t i = 0; i < raw.size();) {
        // The text up to the next escape in one copy.
        std::size_t escape = std::min(raw.find('\\', i), raw.size());
        std::memcpy(out, raw.data() + i, escape - i);
        out += escape - i;
        i = escape;
        if (i == raw.size()) {
            break;
        }
        char kind = raw[i + 1];
        i += 2;
        if (kind != 'u') {
            *out++ = unescaped_char(kind);
            continue;
        }
        std::uint32_t unit = hex4_at(raw, i);
        i += 4;
        if (unit >= 0xD800 && unit <= 0xDBFF) {
            unit = 0x10000 + ((unit - 0xD800) << 10U) + (hex4_at(raw, i + 2) - 0xDC00);
            i += 6;
        }
        append_utf8(out, unit);
    }
    m_unescaped_used += static_cast<std::size_t>(out - start);
    return std::string_view(start, static_cast<std::size_t>(out - start));
}

std::uint32_t JsonScanner::hex4_at(std::string_view raw, std::size_t i) {
    std::uint32_t unit = 0;
    for (std::size_t k = i; k < i + 4; ++k) {
        unit = unit * 16 + static_cast<std::uint32_t>(hex_value(raw[k]));
    }
    return unit;
}

}  // namespace chat::survey
