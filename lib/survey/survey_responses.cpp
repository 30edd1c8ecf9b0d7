// Stateless survey checking (SPEC §10). Hot path: the benchmark wants 1,000,000 responses per
// second on 50 questions (SPEC §14), so lines are read in blocks and scanned in place by a small
// JSON reader that allocates nothing once its buffers have grown (nlohmann::json would build a
// tree per line), answers are checked into CheckedAnswer objects reused per question, and the
// output is built in one reused buffer. Benchmark with scripts/bench after any change here.
//
// Reading decisions beyond the header:
// - blank lines (spaces, tabs, CR only) are skipped and counted neither as responses nor as
//   malformed, but they do count for the line numbers of malformed lines;
// - `id` may be any scalar (booleans too) and is copied byte for byte; arrays and objects are
//   malformed;
// - a qid key is the canonical decimal form ("7", not "07", "+7", "7.0"); any other key, or a
//   qid the schema lacks, is QUESTION_FROM_WRONG_SCHEMA whatever its value (null included);
// - in a VALUE list, an integer (no fraction, no exponent) is a position: negative or beyond
//   64 bits, it names no answer (answers WRONG_VALUE); any other element, a duplicate key or
//   an unknown key in an open-choice object, and true/false make the shape wrong: {"text":
//   ["WRONG_VALUE"]}; in an open-choice object, "answers": null and "text": null are absent;
// - ResponseSummary::responses does not count malformed lines;
// - nesting deeper than 64 containers (the response object included) is malformed.

#include <chat/survey.hpp>
#include <chat/survey_responses.hpp>
#include <chat/utf8.hpp>

#include <algorithm>
#include <bit>
#include <charconv>
#include <cstring>
#include <memory>
#include <optional>
#include <utility>
#include <vector>

namespace chat {
namespace {

constexpr std::size_t k_block_bytes = std::size_t{1} << 20;
constexpr std::size_t k_flush_bytes = std::size_t{1} << 16;
// Containers open at once, the response object included (SPEC §15 nesting depth).
constexpr int k_max_depth = 64;
// Containers around a VALUE: the response object and its answers object.
constexpr int k_value_depth = 2;
constexpr std::size_t k_shown_key_bytes = 32;

bool is_digit(char c) {
    return c >= '0' && c <= '9';
}

bool is_blank_line(std::string_view line) {
    return line.find_first_not_of(" \t\r") == std::string_view::npos;
}

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

// Appends `text` as the inside of a JSON string; bytes that are not UTF-8 become U+FFFD.
void append_escaped(std::string& out, std::string_view text) {
    auto is_plain = [](char c) {
        return c >= 0x20 && c != '"' && c != '\\' && static_cast<unsigned char>(c) < 0x80;
    };
    if (std::all_of(text.begin(), text.end(), is_plain)) {
        out += text;
        return;
    }
    for (std::size_t i = 0; i < text.size();) {
        auto c = static_cast<unsigned char>(text[i]);
        if (c == '"' || c == '\\') {
            out += '\\';
            out += text[i++];
        } else if (c < 0x20) {
            static constexpr char k_hex[] = "0123456789abcdef";
            out += "\\u00";
            out += k_hex[c >> 4U];
            out += k_hex[c & 0xFU];
            ++i;
        } else if (std::size_t length = utf8_sequence_length(text, i); length > 0) {
            out.append(text, i, length);
            i += length;
        } else {
            out += "\xEF\xBF\xBD";
            ++i;
        }
    }
}

void append_int(std::string& out, std::int64_t value) {
    char digits[24];
    auto result = std::to_chars(digits, digits + sizeof digits, value);
    out.append(digits, static_cast<std::size_t>(result.ptr - digits));
}

// A key as messages show it: its JSON text, shortened at a character boundary.
std::string shown_key(std::string_view raw) {
    if (raw.size() <= k_shown_key_bytes) {
        return std::string(raw);
    }
    std::size_t end = 0;
    while (end < raw.size()) {
        std::size_t length = std::max<std::size_t>(utf8_sequence_length(raw, end), 1);
        if (end + length > k_shown_key_bytes) {
            break;
        }
        end += length;
    }
    return std::string(raw.substr(0, end)) + "...";
}

// A qid key in its canonical decimal form ("7", not "07", "+7" or " 7").
std::optional<std::int64_t> qid_of_key(std::string_view key) {
    if (key.empty() || (key.size() > 1 && key.front() == '0')) {
        return std::nullopt;
    }
    constexpr std::size_t k_safe_digits = 18;  // cannot overflow 64 bits
    std::int64_t qid = 0;
    if (key.size() > k_safe_digits) {
        auto [end, error] = std::from_chars(key.data(), key.data() + key.size(), qid);
        bool is_qid = error == std::errc{} && end == key.data() + key.size() && key[0] != '-';
        return is_qid ? std::optional(qid) : std::nullopt;
    }
    for (char c : key) {
        if (!is_digit(c)) {
            return std::nullopt;
        }
        qid = qid * 10 + (c - '0');
    }
    return qid;
}

// Question indexes by qid: a table when qids are dense enough, else the schema's search.
class QidIndex {
public:
    explicit QidIndex(const RuntimeSchema& schema) : m_schema(schema) {
        std::int64_t max_qid = -1;
        for (std::size_t index = 0; index < schema.question_count(); ++index) {
            max_qid = std::max(max_qid, schema.question(index).qid);
        }
        auto dense_limit = static_cast<std::int64_t>(4 * schema.question_count() + 4096);
        if (max_qid >= dense_limit) {
            return;
        }
        m_table.assign(static_cast<std::size_t>(max_qid + 1), k_none);
        for (std::size_t index = 0; index < schema.question_count(); ++index) {
            m_table[static_cast<std::size_t>(schema.question(index).qid)] =
                static_cast<std::uint32_t>(index);
        }
        m_is_dense = true;
    }

    std::optional<std::size_t> find(std::int64_t qid) const {
        if (!m_is_dense) {
            return m_schema.index_of(qid);
        }
        if (qid < 0 || static_cast<std::uint64_t>(qid) >= m_table.size() ||
            m_table[static_cast<std::size_t>(qid)] == k_none) {
            return std::nullopt;
        }
        return m_table[static_cast<std::size_t>(qid)];
    }

private:
    static constexpr std::uint32_t k_none = ~std::uint32_t{0};
    const RuntimeSchema& m_schema;
    std::vector<std::uint32_t> m_table;
    bool m_is_dense = false;
};

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

// Reads lines in blocks. A line within a block is returned in place; one that crosses blocks is
// gathered in a buffer that never grows past k_max_response_line_bytes.
class LineReader {
public:
    explicit LineReader(std::istream& in) : m_in(in), m_block(new char[k_block_bytes]) {}

    // The next line without its '\n'; false at the end of the input. A line over the limit is
    // consumed and returned empty with `is_too_long` set.
    bool next(std::string_view& line, bool& is_too_long) {
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

private:
    bool refill() {
        m_begin = 0;
        m_end = 0;
        if (!m_in.good()) {
            return false;
        }
        m_in.read(m_block.get(), static_cast<std::streamsize>(k_block_bytes));
        m_end = static_cast<std::size_t>(m_in.gcount());
        return m_end > 0;
    }

    void gather(const char* start, std::size_t length, bool& is_too_long) {
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
        while (m_pos < m_end &&
               (*m_pos == ' ' || *m_pos == '\t' || *m_pos == '\r' || *m_pos == '\n')) {
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
    bool fail(const char* at, std::string message) {
        m_error_at = at;
        m_message = std::move(message);
        return false;
    }

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
    bool is_integer() const { return m_is_integer; }

    bool read_literal(std::string_view word) {
        if (static_cast<std::size_t>(m_end - m_pos) < word.size() ||
            std::string_view(m_pos, word.size()) != word) {
            return fail(m_pos, "expected '" + std::string(word) + "'");
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
    bool skip_value(int depth) {
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

    static bool starts_scalar(char c) {
        return c == '"' || c == 't' || c == 'f' || c == 'n' || c == '-' || is_digit(c);
    }

    bool read_scalar() {
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

private:
    static bool is_plain_byte(unsigned char c) {
        return c >= 0x20 && c < 0x80 && c != '"' && c != '\\';
    }

    // Hot: most of a line is string content. Looks at eight bytes at a time for a quote, a
    // backslash, a control character or a non-ASCII byte, and jumps to the first one: a
    // byte-by-byte loop would mispredict its exit on every string.
    void skip_plain_bytes() {
        constexpr std::uint64_t k_ones = 0x0101010101010101ULL;
        constexpr std::uint64_t k_highs = 0x8080808080808080ULL;
        while (std::endian::native == std::endian::little && m_end - m_pos >= 8) {
            std::uint64_t word = 0;
            std::memcpy(&word, m_pos, sizeof word);
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
                m_pos += std::countr_zero(special) / 8;
                return;
            }
            m_pos += 8;
        }
        while (m_pos < m_end && is_plain_byte(static_cast<unsigned char>(*m_pos))) {
            ++m_pos;
        }
    }

    void skip_digits() {
        while (m_pos < m_end && is_digit(*m_pos)) {
            ++m_pos;
        }
    }

    // A scalar, or the opening of a container together with its first key when it has one.
    bool skip_value_start(char* closers, int& open, int depth) {
        while (true) {
            skip_spaces();
            char c = peek();
            if (c != '[' && c != '{') {
                return read_scalar();
            }
            if (depth + open >= k_max_depth) {
                return fail(m_pos, "expected at most " + std::to_string(k_max_depth) +
                                       " levels of nesting");
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

    bool skip_key(bool is_first = false) {
        if (peek() != '"') {
            return fail(m_pos, is_first ? "expected a key string or '}'"
                                        : "expected a key string after ','");
        }
        if (is_failure(read_string(false))) {
            return false;
        }
        skip_spaces();
        return consume(':') || fail(m_pos, "expected ':' after a key");
    }

    // At a '\\' or a byte that is not plain ASCII inside a string: checks it and moves past.
    bool read_special(bool& has_escape) {
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
        if (m_pos < m_end && std::strchr("\"\\/bfnrt", *m_pos) != nullptr && *m_pos != '\0') {
            ++m_pos;
            return true;
        }
        if (!consume('u')) {
            return fail(escape, "expected one of \\\" \\\\ \\/ \\b \\f \\n \\r \\t \\u after '\\'");
        }
        return read_unicode_escape(escape);
    }

    // After "\u": four hex digits, and a low surrogate escape after a high surrogate.
    bool read_unicode_escape(const char* escape) {
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

    bool read_hex4(std::uint32_t& unit) {
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
    std::string_view unescaped(std::string_view raw) {
        auto line_size = static_cast<std::size_t>(m_end - m_begin);
        if (m_unescaped.size() < line_size) {
            m_unescaped.resize(line_size);
        }
        char* start = m_unescaped.data() + m_unescaped_used;
        char* out = start;
        for (std::size_t i = 0; i < raw.size();) {
            if (raw[i] != '\\') {
                *out++ = raw[i++];
                continue;
            }
            char kind = raw[i + 1];
            i += 2;
            if (kind != 'u') {
                static constexpr std::string_view k_from = "\"\\/bfnrt";
                static constexpr std::string_view k_to = "\"\\/\b\f\n\r\t";
                *out++ = k_to[k_from.find(kind)];
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

    static std::uint32_t hex4_at(std::string_view raw, std::size_t i) {
        std::uint32_t unit = 0;
        for (std::size_t k = i; k < i + 4; ++k) {
            unit = unit * 16 + static_cast<std::uint32_t>(hex_value(raw[k]));
        }
        return unit;
    }

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

// One qid's field errors, for the `errors` object.
struct QidErrors {
    std::int64_t qid = 0;
    FieldErrors errors;
};

// A key of `answers` that names no question of the schema.
struct WrongKey {
    std::string_view raw;  // as written, which is valid JSON string content
    std::string_view key;  // unescaped, to find duplicates
};

// Checks response lines one by one, keeping every buffer between lines.
class ResponseChecker {
public:
    ResponseChecker(const RuntimeSchema& schema, std::ostream& out, MalformedLineSink& sink)
        : m_schema(schema),
          m_qids(schema),
          m_computer(schema),
          m_out_stream(out),
          m_sink(sink),
          m_checked(schema.question_count()),
          m_answers(schema.question_count(), nullptr),
          m_is_seen(schema.question_count(), 0),
          m_has_error(schema.question_count(), 0) {
        m_out.reserve(2 * k_flush_bytes);
    }

    void check_line(std::int64_t line_number, std::string_view line) {
        m_line_number = line_number;
        JsonScanner scanner(line, m_unescaped);
        if (read_response(scanner)) {
            write_response();
        } else {
            report_malformed(static_cast<std::int64_t>(scanner.column()), scanner.message());
        }
        clear_line();
        if (m_out.size() >= k_flush_bytes) {
            flush();
        }
    }

    void report_too_long(std::int64_t line_number) {
        m_line_number = line_number;
        report_malformed(
            static_cast<std::int64_t>(k_max_response_line_bytes) + 1,
            "expected a line of at most " + std::to_string(k_max_response_line_bytes) + " bytes");
    }

    void flush() {
        m_out_stream.write(m_out.data(), static_cast<std::streamsize>(m_out.size()));
        m_out.clear();
    }

    const ResponseSummary& summary() const { return m_summary; }

private:
    bool read_response(JsonScanner& scanner) {
        scanner.skip_spaces();
        if (scanner.peek() != '{') {
            return scanner.fail(scanner.position(), "expected '{' at the start of a response");
        }
        bool has_answers = false;
        bool is_read = scanner.read_members(
            [&](const char* key_at, std::string_view raw_key, std::string_view key) {
                if (key == "id") {
                    return !m_id.empty() ? scanner.fail(key_at, "duplicate key \"id\"")
                                         : read_id(scanner);
                }
                if (key == "answers") {
                    if (has_answers) {
                        return scanner.fail(key_at, "duplicate key \"answers\"");
                    }
                    has_answers = true;
                    return read_answers(scanner);
                }
                return scanner.fail(key_at, "unknown key \"" + shown_key(raw_key) +
                                                "\", expected \"id\" or \"answers\"");
            });
        if (!is_read) {
            return false;
        }
        scanner.skip_spaces();
        return scanner.at_end() ||
               scanner.fail(scanner.position(), "expected the end of the line after the response");
    }

    // Any scalar, true and false included, kept as written.
    bool read_id(JsonScanner& scanner) {
        const char* start = scanner.position();
        if (!JsonScanner::starts_scalar(scanner.peek())) {
            return scanner.fail(start, "expected a string, a number or null as \"id\"");
        }
        if (!scanner.read_scalar()) {
            return false;
        }
        m_id = std::string_view(start, static_cast<std::size_t>(scanner.position() - start));
        return true;
    }

    bool read_answers(JsonScanner& scanner) {
        if (scanner.peek() != '{') {
            return scanner.fail(scanner.position(), "expected an object as \"answers\"");
        }
        return scanner.read_members(
            [&](const char* key_at, std::string_view raw_key, std::string_view key) {
                auto qid = qid_of_key(key);
                auto index = qid ? m_qids.find(*qid) : std::nullopt;
                if (!index) {
                    return note_wrong_key(scanner, key_at, raw_key, key) && read_value(scanner);
                }
                if (m_is_seen[*index]) {
                    return scanner.fail(key_at, "duplicate qid \"" + shown_key(raw_key) + "\"");
                }
                m_is_seen[*index] = 1;
                m_touched.push_back(*index);
                return read_value(scanner) && check_value(*index);
            });
    }

    bool note_wrong_key(JsonScanner& scanner, const char* key_at, std::string_view raw_key,
                        std::string_view key) {
        for (const auto& wrong : m_wrong_keys) {
            if (wrong.key == key) {
                return scanner.fail(key_at, "duplicate qid \"" + shown_key(raw_key) + "\"");
            }
        }
        m_wrong_keys.push_back({raw_key, key});
        return true;
    }

    // VALUE (see the header) into m_input; m_value_kind tells what it was.
    bool read_value(JsonScanner& scanner) {
        m_input.text.reset();
        m_input.answers.clear();
        m_value_kind = ValueKind::answer;
        switch (scanner.peek()) {
            case '"':
                return set_text(scanner.read_string());
            case '[':
                return read_choices(scanner, k_value_depth + 1);
            case '{':
                return read_open_choice(scanner);
            case 'n':
                m_value_kind = ValueKind::none;
                return scanner.read_literal("null");
            case 't':
            case 'f':
                m_value_kind = ValueKind::wrong_shape;
                return scanner.skip_value(k_value_depth);
            default:
                if (scanner.peek() != '-' && !is_digit(scanner.peek())) {
                    return scanner.fail(scanner.position(), "expected a value");
                }
                return set_text(scanner.read_number());
        }
    }

    bool set_text(std::string_view text) {
        if (JsonScanner::is_failure(text)) {
            return false;
        }
        m_input.text = text;
        return true;
    }

    // [answer text or position, ...] at `depth` containers deep.
    bool read_choices(JsonScanner& scanner, int depth) {
        return scanner.read_elements([&] {
            char c = scanner.peek();
            if (c == '"') {
                std::string_view text = scanner.read_string();
                if (JsonScanner::is_failure(text)) {
                    return false;
                }
                m_input.answers.emplace_back(text);
                return true;
            }
            if (c == '-' || is_digit(c)) {
                std::string_view raw = scanner.read_number();
                if (JsonScanner::is_failure(raw)) {
                    return false;
                }
                if (!scanner.is_integer()) {
                    m_value_kind = ValueKind::wrong_shape;
                    return true;
                }
                // Beyond 64 bits: a position no answer has.
                std::int64_t position = -1;
                std::from_chars(raw.data(), raw.data() + raw.size(), position);
                m_input.answers.emplace_back(position);
                return true;
            }
            m_value_kind = ValueKind::wrong_shape;
            return scanner.skip_value(depth);
        });
    }

    // {"answers": [...], "text": "..."}; either may be absent or null.
    bool read_open_choice(JsonScanner& scanner) {
        bool has_answers = false;
        bool has_text = false;
        return scanner.read_members([&](const char*, std::string_view, std::string_view key) {
            char c = scanner.peek();
            if (key == "answers" && !has_answers && (c == '[' || c == 'n')) {
                has_answers = true;
                return c == 'n' ? scanner.read_literal("null")
                                : read_choices(scanner, k_value_depth + 2);
            }
            bool is_text = c == '"' || c == '-' || is_digit(c) || c == 'n';
            if (key == "text" && !has_text && is_text) {
                has_text = true;
                return read_text(scanner);
            }
            m_value_kind = ValueKind::wrong_shape;
            return scanner.skip_value(k_value_depth + 1);
        });
    }

    bool read_text(JsonScanner& scanner) {
        switch (scanner.peek()) {
            case '"':
                return set_text(scanner.read_string());
            case 'n':
                return scanner.read_literal("null");
            default:
                return set_text(scanner.read_number());
        }
    }

    bool check_value(std::size_t index) {
        if (m_value_kind == ValueKind::none) {
            return true;
        }
        std::int64_t qid = m_schema.question(index).qid;
        if (m_value_kind == ValueKind::wrong_shape) {
            add_errors(index, {qid, {{"text", {"WRONG_VALUE"}}}});
            return true;
        }
        auto errors = check_answer(m_schema.question(index), m_input, m_checked[index]);
        if (errors.empty()) {
            m_answers[index] = &m_checked[index];
        } else {
            add_errors(index, {qid, std::move(errors)});
        }
        return true;
    }

    void add_errors(std::size_t index, QidErrors errors) {
        m_has_error[index] = 1;
        m_errors.push_back(std::move(errors));
    }

    void write_response() {
        const SurveyState& state = m_computer.compute(m_answers);
        for (std::int64_t qid : state.failed_expressions) {
            auto index = m_qids.find(qid);
            if (index && !m_has_error[*index]) {
                m_errors.push_back({qid, {{"question", {"EXPRESSION_ERROR"}}}});
            }
        }
        ++m_summary.responses;
        m_summary.complete += state.completed ? 1 : 0;
        m_summary.invalid += m_errors.empty() && m_wrong_keys.empty() ? 0 : 1;
        m_out += "{\"id\":";
        append_input_text(m_id.empty() ? std::string_view("null") : m_id);
        m_out += ",\"visibility\":";
        append_qids(state.visibility);
        m_out += state.completed ? ",\"completed\":true" : ",\"completed\":false";
        m_out += ",\"hidden_answers\":";
        append_qids(state.hidden_answers);
        m_out += ",\"errors\":{";
        append_errors();
        m_out += "}}\n";
    }

    // Text copied from the input can be as long as a line: written through rather than
    // gathered, so that the output buffer stays small (SPEC §14 bounded memory).
    void append_input_text(std::string_view text) {
        if (text.size() < k_flush_bytes) {
            m_out += text;
            return;
        }
        flush();
        m_out_stream.write(text.data(), static_cast<std::streamsize>(text.size()));
    }

    // Hot: through a buffer on the stack, one append per few hundred qids.
    void append_qids(const std::vector<std::int64_t>& qids) {
        constexpr std::ptrdiff_t k_room = 24;  // a comma, a qid and the closing bracket
        char chunk[4096];
        char* end = chunk + sizeof chunk;
        char* out = chunk;
        *out++ = '[';
        for (std::size_t i = 0; i < qids.size(); ++i) {
            if (end - out < k_room) {
                m_out.append(chunk, static_cast<std::size_t>(out - chunk));
                out = chunk;
            }
            if (i > 0) {
                *out++ = ',';
            }
            out = std::to_chars(out, end, qids[i]).ptr;
        }
        *out++ = ']';
        m_out.append(chunk, static_cast<std::size_t>(out - chunk));
    }

    // The schema's qids in ascending numeric order, then the keys that name no question of
    // the schema in input order.
    void append_errors() {
        std::sort(m_errors.begin(), m_errors.end(),
                  [](const QidErrors& a, const QidErrors& b) { return a.qid < b.qid; });
        bool is_first = true;
        auto start_entry = [&] {
            if (!is_first) {
                m_out += ',';
            }
            is_first = false;
            m_out += '"';
        };
        for (const auto& [qid, errors] : m_errors) {
            start_entry();
            append_int(m_out, qid);
            m_out += "\":{";
            append_field_errors(errors);
            m_out += '}';
        }
        for (const auto& wrong : m_wrong_keys) {
            start_entry();
            append_input_text(wrong.raw);
            m_out += "\":{\"question\":[\"QUESTION_FROM_WRONG_SCHEMA\"]}";
        }
    }

    void append_field_errors(const FieldErrors& errors) {
        bool is_first_field = true;
        for (const auto& [field, codes] : errors) {
            m_out += is_first_field ? "\"" : ",\"";
            is_first_field = false;
            append_escaped(m_out, field);
            m_out += "\":[";
            for (std::size_t i = 0; i < codes.size(); ++i) {
                m_out += i > 0 ? ",\"" : "\"";
                append_escaped(m_out, codes[i]);
                m_out += '"';
            }
            m_out += ']';
        }
    }

    void report_malformed(std::int64_t column, const std::string& message) {
        ++m_summary.malformed;
        m_out += "{\"line\":";
        append_int(m_out, m_line_number);
        m_out += ",\"error\":{\"code\":\"MALFORMED_LINE\",\"message\":\"";
        append_escaped(m_out, message);
        m_out += "\"}}\n";
        // Rare: keep this line's result ahead of whatever the sink writes.
        flush();
        m_sink.malformed({m_line_number, column, message});
    }

    void clear_line() {
        for (std::size_t index : m_touched) {
            m_answers[index] = nullptr;
            m_is_seen[index] = 0;
            m_has_error[index] = 0;
        }
        m_touched.clear();
        m_errors.clear();
        m_wrong_keys.clear();
        m_id = {};
    }

    enum class ValueKind { answer, none, wrong_shape };

    const RuntimeSchema& m_schema;
    QidIndex m_qids;
    SurveyStateComputer m_computer;
    std::ostream& m_out_stream;
    MalformedLineSink& m_sink;
    ResponseSummary m_summary;
    std::int64_t m_line_number = 0;

    // By question index; m_touched lists the indexes this line set, to clear only those.
    std::vector<CheckedAnswer> m_checked;
    std::vector<const CheckedAnswer*> m_answers;
    std::vector<unsigned char> m_is_seen;
    std::vector<unsigned char> m_has_error;
    std::vector<std::size_t> m_touched;

    std::string_view m_id;  // as written; empty when absent
    AnswerInput m_input;
    ValueKind m_value_kind = ValueKind::answer;
    std::vector<QidErrors> m_errors;
    std::vector<WrongKey> m_wrong_keys;
    std::vector<char> m_unescaped;
    std::string m_out;
};

}  // namespace

ResponseSummary check_responses(const RuntimeSchema& schema, std::istream& in, std::ostream& out,
                                MalformedLineSink& sink) {
    LineReader reader(in);
    ResponseChecker checker(schema, out, sink);
    std::string_view line;
    bool is_too_long = false;
    for (std::int64_t line_number = 1; reader.next(line, is_too_long); ++line_number) {
        if (is_too_long) {
            checker.report_too_long(line_number);
        } else if (!is_blank_line(line)) {
            checker.check_line(line_number, line);
        }
    }
    checker.flush();
    return checker.summary();
}

}  // namespace chat
