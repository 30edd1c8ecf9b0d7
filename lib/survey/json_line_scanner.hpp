#pragma once
// Reading JSON lines in place for stateless survey checking (SPEC §10): lines come in blocks,
// and a small scanner reads one line without building a tree or allocating once its buffers
// have grown. Hot path (SPEC §14): the reading functions a line runs through per member are
// defined here so that they inline into their caller; the rare paths live in the .cpp.

#include <chat/survey_responses.hpp>

#include <bit>
#include <cstdint>
#include <cstring>
#include <istream>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

namespace chat::survey {

// Containers open at once, the response object included (SPEC §15 nesting depth).
inline constexpr int k_max_depth = 64;

inline bool is_digit(char c) {
    return c >= '0' && c <= '9';
}

// Reads lines in blocks. A line within a block is returned in place; one that crosses blocks is
// gathered in a buffer that never grows past k_max_response_line_bytes.
class LineReader {
public:
    explicit LineReader(std::istream& in);

    // The next line without its '\n'; false at the end of the input. A line over the limit is
    // consumed and returned empty with `is_too_long` set.
    bool next(std::string_view& line, bool& is_too_long);

private:
    bool refill();
    void gather(const char* start, std::size_t length, bool& is_too_long);

    std::istream& m_in;
    std::unique_ptr<char[]> m_block;
    std::size_t m_begin = 0;
    std::size_t m_end = 0;
    std::string m_line;
};

// Scans one line of JSON in place. Every reading function returns false on malformed input,
// after recording where and why; containers are walked with loops and an explicit depth count,
// never by recursing on the input's nesting.
class JsonScanner {
public:
    // `unescaped` receives the strings that contain escapes; it is sized to the line on first
    // use, so that the views handed out stay valid until the next line.
    JsonScanner(std::string_view line, std::vector<char>& unescaped)
        : m_begin(line.data()),
          m_pos(line.data()),
          m_end(line.data() + line.size()),
          m_unescaped(unescaped) {}

    std::size_t column() const { return static_cast<std::size_t>(m_error_at - m_begin) + 1; }
    const std::string& message() const { return m_message; }

    void skip_spaces() {
        // Most calls stand on a token already: one comparison tells it from every space.
        while (m_pos < m_end && static_cast<unsigned char>(*m_pos) <= ' ' && is_space(*m_pos)) {
            ++m_pos;
        }
    }
    bool at_end() const { return m_pos == m_end; }
    char peek() const { return m_pos < m_end ? *m_pos : '\0'; }
    const char* position() const { return m_pos; }
    bool consume(char c) {
        if (m_pos < m_end && *m_pos == c) {
            ++m_pos;
            return true;
        }
        return false;
    }
    // Records the first failure: where reading stopped and why. Returns false.
    bool fail(const char* at, std::string message);

    // Reading functions return their text as a view with a null data() on failure: views
    // returned by value travel in registers, where out-parameters made the hot path wait on
    // store forwarding.
    static bool is_failure(std::string_view text) { return text.data() == nullptr; }

    // The string at the current '"': its unescaped text when `unescape` is set, else its JSON
    // text between the quotes, which raw_string() also gives.
    std::string_view read_string(bool unescape = true) {
        const char* content = ++m_pos;
        bool has_escape = false;
        while (true) {
            skip_plain_bytes();
            if (m_pos == m_end) {
                fail(m_pos, "expected '\"' to close the string");
                return {};
            }
            if (*m_pos == '"') {
                break;
            }
            if (!read_special(has_escape)) {
                return {};
            }
        }
        m_raw_begin = content;
        m_raw_size = static_cast<std::size_t>(m_pos - content);
        ++m_pos;
        std::string_view raw(content, m_raw_size);
        return has_escape && unescape ? unescaped(raw) : raw;
    }
    std::string_view raw_string() const { return std::string_view(m_raw_begin, m_raw_size); }

    // The number at the current '-' or digit, as written; is_integer() tells whether it has
    // neither fraction nor exponent.
    std::string_view read_number() {
        const char* start = m_pos;
        consume('-');
        if (!is_digit(peek())) {
            fail(m_pos, "expected a digit after '-'");
            return {};
        }
        if (!consume('0')) {
            skip_digits();
        }
        m_is_integer = true;
        if (peek() == '.' || peek() == 'e' || peek() == 'E') {
            return read_number_end(start);
        }
        return std::string_view(start, static_cast<std::size_t>(m_pos - start));
    }
    bool is_integer() const { return m_is_integer; }

    bool read_literal(std::string_view word) {
        if (static_cast<std::size_t>(m_end - m_pos) < word.size() ||
            std::string_view(m_pos, word.size()) != word) {
            return fail_literal(word);
        }
        m_pos += word.size();
        return true;
    }

    // The members of the object whose '{' is current: on_member(key_at, raw_key, key) reads
    // each value (the scanner then stands on it) and returns false to stop as malformed.
    template <typename OnMember>
    bool read_members(OnMember&& on_member) {
        ++m_pos;
        skip_spaces();
        if (consume('}')) {
            return true;
        }
        const char* expected_key = "expected a key string or '}'";
        while (true) {
            if (peek() != '"') {
                return fail(m_pos, expected_key);
            }
            const char* key_at = m_pos;
            std::string_view key = read_string();
            if (is_failure(key)) {
                return false;
            }
            std::string_view raw_key = raw_string();
            skip_spaces();
            if (!consume(':')) {
                return fail(m_pos, "expected ':' after a key");
            }
            skip_spaces();
            if (!on_member(key_at, raw_key, key)) {
                return false;
            }
            skip_spaces();
            if (consume('}')) {
                return true;
            }
            if (!consume(',')) {
                return fail(m_pos, "expected ',' or '}' after a value");
            }
            skip_spaces();
            expected_key = "expected a key string after ','";
        }
    }

    // The elements of the array whose '[' is current, read by on_element() as above.
    template <typename OnElement>
    bool read_elements(OnElement&& on_element) {
        ++m_pos;
        skip_spaces();
        if (consume(']')) {
            return true;
        }
        while (true) {
            if (!on_element()) {
                return false;
            }
            skip_spaces();
            if (consume(']')) {
                return true;
            }
            if (!consume(',')) {
                return fail(m_pos, "expected ',' or ']' after a value");
            }
            skip_spaces();
        }
    }

    // Reads past any value, `depth` containers being open around it.
    bool skip_value(int depth);

    static bool starts_scalar(char c) {
        return c == '"' || c == 't' || c == 'f' || c == 'n' || c == '-' || is_digit(c);
    }

    bool read_scalar();

private:
    static bool is_space(char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; }

    static bool is_plain_byte(unsigned char c) {
        return c >= 0x20 && c < 0x80 && c != '"' && c != '\\';
    }

    // Hot: most of a line is string content. Looks at sixteen (SSE2) or eight bytes at a time
    // for a quote, a backslash, a control character or a non-ASCII byte, and jumps to the
    // first one: a byte-by-byte loop would mispredict its exit on every string.
    void skip_plain_bytes() {
        constexpr std::uint64_t k_ones = 0x0101010101010101ULL;
        constexpr std::uint64_t k_highs = 0x8080808080808080ULL;
        const char* pos = m_pos;
#if defined(__SSE2__)
        // Sixteen bytes at a time: as signed bytes, those below 0x20 and the non-ASCII ones
        // are both less than 0x20.
        const __m128i quote = _mm_set1_epi8('"');
        const __m128i backslash = _mm_set1_epi8('\\');
        const __m128i space = _mm_set1_epi8(0x20);
        while (m_end - pos >= 16) {
            __m128i bytes = _mm_loadu_si128(reinterpret_cast<const __m128i*>(pos));
            __m128i special = _mm_or_si128(
                _mm_or_si128(_mm_cmpeq_epi8(bytes, quote), _mm_cmpeq_epi8(bytes, backslash)),
                _mm_cmplt_epi8(bytes, space));
            auto mask = static_cast<unsigned>(_mm_movemask_epi8(special));
            if (mask != 0) {
                m_pos = pos + std::countr_zero(mask);
                return;
            }
            pos += 16;
        }
#endif
        while (std::endian::native == std::endian::little && m_end - pos >= 8) {
            std::uint64_t word = 0;
            std::memcpy(&word, pos, sizeof word);
            std::uint64_t quotes = word ^ (k_ones * '"');
            std::uint64_t backslashes = word ^ (k_ones * '\\');
            // The high bit of a byte ends up set when the byte is a quote, a backslash, below
            // 0x20 or non-ASCII; bytes above such a byte may be flagged wrongly (borrows), the
            // lowest flagged one never is.
            std::uint64_t special =
                (((quotes - k_ones) & ~quotes) | ((backslashes - k_ones) & ~backslashes) |
                 ((word - k_ones * 0x20) & ~word) | word) &
                k_highs;
            if (special != 0) {
                m_pos = pos + std::countr_zero(special) / 8;
                return;
            }
            pos += 8;
        }
        while (pos < m_end && is_plain_byte(static_cast<unsigned char>(*pos))) {
            ++pos;
        }
        m_pos = pos;
    }

    void skip_digits() {
        while (m_pos < m_end && is_digit(*m_pos)) {
            ++m_pos;
        }
    }

    std::string_view read_number_end(const char* start);
    bool fail_literal(std::string_view word);
    bool skip_value_start(char* closers, int& open, int depth);
    bool skip_key(bool is_first = false);
    bool read_special(bool& has_escape);
    bool read_unicode_escape(const char* escape);
    bool read_hex4(std::uint32_t& unit);
    std::string_view unescaped(std::string_view raw);
    static std::uint32_t hex4_at(std::string_view raw, std::size_t i);

    const char* m_begin;
    const char* m_pos;
    const char* m_end;
    std::vector<char>& m_unescaped;
    std::size_t m_unescaped_used = 0;
    const char* m_raw_begin = nullptr;
    std::size_t m_raw_size = 0;
    bool m_is_integer = false;
    const char* m_error_at = nullptr;
    std::string m_message;
};

}  // namespace chat::survey
