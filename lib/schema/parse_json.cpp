#include "schema/parse_json.hpp"

#include <optional>
#include <string>
#include <unordered_set>
#include <vector>

namespace chat::schema {
namespace {

struct Failure {
    Position position;
    std::string message;
};

bool is_digit(char c) {
    return c >= '0' && c <= '9';
}

std::string describe_char(char c) {
    if (static_cast<unsigned char>(c) < 0x20U || static_cast<unsigned char>(c) >= 0x80U) {
        return "a non-printable or non-ASCII character";
    }
    return std::string("'") + c + "'";
}

void append_utf8(std::string& out, std::uint32_t code_point) {
    auto byte = [&out](std::uint32_t value) { out.push_back(static_cast<char>(value)); };
    if (code_point < 0x80U) {
        byte(code_point);
    } else if (code_point < 0x800U) {
        byte(0xC0U | (code_point >> 6U));
        byte(0x80U | (code_point & 0x3FU));
    } else if (code_point < 0x10000U) {
        byte(0xE0U | (code_point >> 12U));
        byte(0x80U | ((code_point >> 6U) & 0x3FU));
        byte(0x80U | (code_point & 0x3FU));
    } else {
        byte(0xF0U | (code_point >> 18U));
        byte(0x80U | ((code_point >> 12U) & 0x3FU));
        byte(0x80U | ((code_point >> 6U) & 0x3FU));
        byte(0x80U | (code_point & 0x3FU));
    }
}

// A recursive-descent parser would overflow the stack on hostile nesting before any depth
// check could run in a caller, so open containers live on an explicit stack instead.
class JsonParser {
public:
    explicit JsonParser(std::string_view text) : m_text(text) {}

    Node parse() {
        if (m_text.substr(0, 3) == "\xEF\xBB\xBF") {
            m_offset = 3;
            m_line_start = 3;
        }
        skip_whitespace();
        if (at_end()) {
            throw Failure{here(), "the file is empty"};
        }
        for (;;) {
            std::optional<Node> value = start_value();
            if (!value) {
                continue;  // a container opened: its first value comes next
            }
            if (std::optional<Node> root = finish_value(std::move(*value))) {
                return std::move(*root);
            }
        }
    }

private:
    struct Frame {
        Node node;
        std::optional<Node> pending_key;
        std::unordered_set<std::string> keys;
    };

    // Reads a scalar, or opens a container; returns the node once it is complete.
    std::optional<Node> start_value() {
        skip_whitespace();
        if (at_end()) {
            throw Failure{here(), "unexpected end of the file; expected a value"};
        }
        char c = peek();
        if (c == '{' || c == '[') {
            open(c == '{' ? NodeKind::mapping : NodeKind::sequence);
            skip_whitespace();
            if (!at_end() && peek() == closer(m_stack.back().node.kind)) {
                ++m_offset;
                return pop();
            }
            if (m_stack.back().node.kind == NodeKind::mapping) {
                read_key();
            }
            return std::nullopt;
        }
        if (c == '"') {
            return read_string();
        }
        if (c == '-' || is_digit(c)) {
            return read_number();
        }
        return read_literal();
    }

    // Attaches a complete value to its container and consumes what follows it: a comma (then
    // the next value starts), a closing bracket (the container completes in turn), or the end.
    std::optional<Node> finish_value(Node value) {
        for (;;) {
            if (m_stack.empty()) {
                skip_whitespace();
                if (!at_end()) {
                    throw Failure{here(), "unexpected " + describe_char(peek()) +
                                              " after the end of the JSON value"};
                }
                return value;
            }
            attach(std::move(value));
            skip_whitespace();
            Frame& top = m_stack.back();
            bool is_object = top.node.kind == NodeKind::mapping;
            if (!at_end() && peek() == ',') {
                ++m_offset;
                skip_whitespace();
                if (is_object) {
                    read_key();
                }
                return std::nullopt;
            }
            if (!at_end() && peek() == closer(top.node.kind)) {
                ++m_offset;
                value = pop();
                continue;
            }
            throw Failure{here(), is_object ? "expected ',' or '}' after an object member"
                                            : "expected ',' or ']' after an array element"};
        }
    }

    static char closer(NodeKind kind) { return kind == NodeKind::mapping ? '}' : ']'; }

    void open(NodeKind kind) {
        if (m_stack.size() >= static_cast<std::size_t>(k_max_nesting)) {
            throw Failure{here(),
                          "nesting deeper than " + std::to_string(k_max_nesting) + " levels"};
        }
        Frame frame;
        frame.node.kind = kind;
        frame.node.position = here();
        ++m_offset;
        m_stack.push_back(std::move(frame));
    }

    Node pop() {
        Node node = std::move(m_stack.back().node);
        m_stack.pop_back();
        // Growth leaves up to half of a vector unused; big files have millions of them.
        node.items.shrink_to_fit();
        node.entries.shrink_to_fit();
        return node;
    }

    void attach(Node value) {
        Frame& top = m_stack.back();
        if (top.node.kind == NodeKind::sequence) {
            top.node.items.push_back(std::move(value));
        } else {
            top.node.entries.emplace_back(std::move(*top.pending_key), std::move(value));
            top.pending_key.reset();
        }
    }

    void read_key() {
        if (at_end() || peek() != '"') {
            throw Failure{here(), at_end() || peek() != '}'
                                      ? "expected a string as object key"
                                      : "expected an object key after ','; trailing commas "
                                        "are not allowed"};
        }
        Node key = read_string();
        Frame& top = m_stack.back();
        if (!top.keys.insert(key.text).second) {
            throw Failure{key.position, "duplicate key '" + key.text + "'"};
        }
        skip_whitespace();
        if (at_end() || peek() != ':') {
            throw Failure{here(), "expected ':' after the object key"};
        }
        ++m_offset;
        top.pending_key = std::move(key);
    }

    Node read_string() {
        Node node = scalar_here();
        node.is_quoted = true;
        ++m_offset;  // opening quote
        for (;;) {
            if (at_end()) {
                throw Failure{node.position, "unterminated string"};
            }
            char c = peek();
            if (c == '"') {
                ++m_offset;
                return node;
            }
            if (static_cast<unsigned char>(c) < 0x20U) {
                throw Failure{here(),
                              "control character in a string; write it as an escape "
                              "such as \\n or \\t"};
            }
            if (c == '\\') {
                read_escape(node.text);
            } else {
                node.text.push_back(c);
                m_line_continuation_bytes += (static_cast<unsigned char>(c) & 0xC0U) == 0x80U;
                ++m_offset;
            }
        }
    }

    void read_escape(std::string& out) {
        Position start = here();
        ++m_offset;  // backslash
        if (at_end()) {
            throw Failure{start, "unterminated string"};
        }
        char c = peek();
        ++m_offset;
        switch (c) {
            case '"':
                out.push_back('"');
                return;
            case '\\':
                out.push_back('\\');
                return;
            case '/':
                out.push_back('/');
                return;
            case 'b':
                out.push_back('\b');
                return;
            case 'f':
                out.push_back('\f');
                return;
            case 'n':
                out.push_back('\n');
                return;
            case 'r':
                out.push_back('\r');
                return;
            case 't':
                out.push_back('\t');
                return;
            case 'u':
                append_utf8(out, read_code_point(start));
                return;
            default:
                throw Failure{start, "invalid escape sequence '\\" + std::string(1, c) + "'"};
        }
    }

    std::uint32_t read_code_point(Position start) {
        std::uint32_t unit = read_hex4(start);
        if (unit >= 0xDC00U && unit <= 0xDFFFU) {
            throw Failure{start, "\\u escape holds a lone low surrogate"};
        }
        if (unit < 0xD800U || unit > 0xDBFFU) {
            return unit;
        }
        if (m_text.substr(m_offset, 2) != "\\u") {
            throw Failure{start, "\\u escape holds a high surrogate without its low surrogate"};
        }
        m_offset += 2;
        std::uint32_t low = read_hex4(start);
        if (low < 0xDC00U || low > 0xDFFFU) {
            throw Failure{start, "\\u escape holds a high surrogate without its low surrogate"};
        }
        return 0x10000U + ((unit - 0xD800U) << 10U) + (low - 0xDC00U);
    }

    std::uint32_t read_hex4(Position start) {
        std::uint32_t value = 0;
        for (int i = 0; i < 4; ++i) {
            char c = at_end() ? '\0' : peek();
            std::uint32_t digit = 0;
            if (is_digit(c)) {
                digit = static_cast<std::uint32_t>(c - '0');
            } else if (c >= 'a' && c <= 'f') {
                digit = static_cast<std::uint32_t>(c - 'a' + 10);
            } else if (c >= 'A' && c <= 'F') {
                digit = static_cast<std::uint32_t>(c - 'A' + 10);
            } else {
                throw Failure{start, "\\u escape needs four hexadecimal digits"};
            }
            value = value * 16U + digit;
            ++m_offset;
        }
        return value;
    }

    Node read_number() {
        Node node = scalar_here();
        std::size_t start = m_offset;
        if (peek() == '-') {
            ++m_offset;
        }
        if (at_end() || !is_digit(peek())) {
            throw Failure{here(), "invalid number: expected a digit"};
        }
        if (peek() == '0' && m_offset + 1 < m_text.size() && is_digit(m_text[m_offset + 1])) {
            throw Failure{node.position, "invalid number: leading zeros are not allowed"};
        }
        skip_digits();
        if (!at_end() && peek() == '.') {
            ++m_offset;
            if (at_end() || !is_digit(peek())) {
                throw Failure{here(), "invalid number: expected a digit after '.'"};
            }
            skip_digits();
        }
        if (!at_end() && (peek() == 'e' || peek() == 'E')) {
            ++m_offset;
            if (!at_end() && (peek() == '+' || peek() == '-')) {
                ++m_offset;
            }
            if (at_end() || !is_digit(peek())) {
                throw Failure{here(), "invalid number: expected a digit in the exponent"};
            }
            skip_digits();
        }
        node.text.assign(m_text.substr(start, m_offset - start));
        return node;
    }

    void skip_digits() {
        while (!at_end() && is_digit(peek())) {
            ++m_offset;
        }
    }

    Node read_literal() {
        Node node = scalar_here();
        for (std::string_view literal : {"true", "false", "null"}) {
            if (m_text.substr(m_offset, literal.size()) == literal) {
                m_offset += literal.size();
                node.text.assign(literal);
                return node;
            }
        }
        throw Failure{here(), "unexpected " + describe_char(peek()) +
                                  "; expected a value (object, array, string, number, true, "
                                  "false or null)"};
    }

    Node scalar_here() const {
        Node node;
        node.kind = NodeKind::scalar;
        node.position = here();
        return node;
    }

    void skip_whitespace() {
        while (!at_end()) {
            char c = peek();
            if (c == '\n') {
                m_line_start = m_offset + 1;
                m_line_continuation_bytes = 0;
                ++m_line;
            } else if (c != ' ' && c != '\t' && c != '\r') {
                return;
            }
            ++m_offset;
        }
    }

    Position here() const {
        // Columns count characters: the continuation bytes of the line so far are not counted.
        auto column = m_offset - m_line_start - m_line_continuation_bytes + 1;
        return Position{m_line, static_cast<std::uint32_t>(column), m_offset};
    }
    bool at_end() const { return m_offset >= m_text.size(); }
    char peek() const { return m_text[m_offset]; }

    std::string_view m_text;
    std::size_t m_offset = 0;
    std::size_t m_line_start = 0;
    std::size_t m_line_continuation_bytes = 0;
    std::uint32_t m_line = 1;
    std::vector<Frame> m_stack;
};

}  // namespace

std::variant<Node, ParseFailure> parse_json(std::string_view text) {
    try {
        return JsonParser(text).parse();
    } catch (const Failure& failure) {
        return ParseFailure{failure.position, failure.message};
    }
}

}  // namespace chat::schema
