#include "lexer.hpp"

#include "program.hpp"

#include <chat/utf8.hpp>

#include <algorithm>
#include <array>
#include <charconv>
#include <cstdio>
#include <utility>

namespace chat::expr {
namespace {

struct Keyword {
    std::string_view text;
    TokenKind kind;
    double value;
};

constexpr std::array k_keywords{
    Keyword{"and", TokenKind::keyword_and, 0},   Keyword{"or", TokenKind::keyword_or, 0},
    Keyword{"not", TokenKind::keyword_not, 0},   Keyword{"if", TokenKind::keyword_if, 0},
    Keyword{"else", TokenKind::keyword_else, 0}, Keyword{"True", TokenKind::number, 1},
    Keyword{"False", TokenKind::number, 0},
};

struct Symbol {
    std::string_view text;
    TokenKind kind;
};

// Two-character symbols first, so "**" is not read as two "*".
constexpr std::array k_symbols{
    Symbol{"**", TokenKind::double_star}, Symbol{"//", TokenKind::double_slash},
    Symbol{"==", TokenKind::equal},       Symbol{"!=", TokenKind::not_equal},
    Symbol{"<=", TokenKind::less_equal},  Symbol{">=", TokenKind::greater_equal},
    Symbol{"+", TokenKind::plus},         Symbol{"-", TokenKind::minus},
    Symbol{"*", TokenKind::star},         Symbol{"/", TokenKind::slash},
    Symbol{"%", TokenKind::percent},      Symbol{"<", TokenKind::less},
    Symbol{">", TokenKind::greater},      Symbol{"(", TokenKind::left_paren},
    Symbol{")", TokenKind::right_paren},  Symbol{",", TokenKind::comma},
};

bool is_digit(char c) {
    return c >= '0' && c <= '9';
}
bool is_name_start(char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_';
}
bool is_space(char c) {
    return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

[[noreturn]] void fail(std::size_t offset, std::string message) {
    throw SyntaxError(ParseError{offset, std::move(message)});
}

/// "unexpected character '$'", with a readable form for control and non-ASCII bytes.
std::string unexpected_character(std::string_view rest) {
    const auto byte = static_cast<unsigned char>(rest[0]);
    std::array<char, 32> buffer{};
    if (byte >= 0x20 && byte < 0x7F) {
        return "unexpected character '" + std::string(1, rest[0]) + "'";
    }
    if (byte < 0x80) {
        std::snprintf(buffer.data(), buffer.size(), "U+%04X", static_cast<unsigned>(byte));
        return "unexpected character " + std::string(buffer.data());
    }
    if (const std::size_t length = utf8_sequence_length(rest, 0); length != 0) {
        return "unexpected character '" + std::string(rest.substr(0, length)) + "'";
    }
    std::snprintf(buffer.data(), buffer.size(), "0x%02X", static_cast<unsigned>(byte));
    return "unexpected byte " + std::string(buffer.data());
}

/// Length of the digits at the start of `text`.
std::size_t count_digits(std::string_view text) {
    std::size_t count = 0;
    while (count < text.size() && is_digit(text[count])) {
        ++count;
    }
    return count;
}

/// Length of an exponent part ("e-3") at the start of `text`, 0 when there is none.
std::size_t exponent_length(std::string_view text) {
    if (text.empty() || (text[0] != 'e' && text[0] != 'E')) {
        return 0;
    }
    const std::size_t sign = text.size() > 1 && (text[1] == '+' || text[1] == '-') ? 1 : 0;
    const std::size_t digits = count_digits(text.substr(1 + sign));
    return digits == 0 ? 0 : 1 + sign + digits;
}

/// from_chars leaves the value untouched when out of range: tell overflow from underflow by the
/// position of the first significant digit plus the written exponent.
bool is_too_large(std::string_view literal) {
    const std::size_t e = literal.find_first_of("eE");
    const std::string_view mantissa = literal.substr(0, e);
    long long exponent = 0;
    if (e != std::string_view::npos) {
        std::string_view digits = literal.substr(e + 1);
        const bool is_negative = digits[0] == '-';
        if (digits[0] == '+' || is_negative) {
            digits.remove_prefix(1);
        }
        // Any exponent past the double range decides alone; clamping keeps the sum in range.
        constexpr long long k_clamp = 1'000'000;
        const auto [ptr, error] =
            std::from_chars(digits.data(), digits.data() + digits.size(), exponent);
        if (error != std::errc{} || exponent > k_clamp) {
            exponent = k_clamp;
        }
        exponent = is_negative ? -exponent : exponent;
    }
    const std::size_t point = std::min(mantissa.find('.'), mantissa.size());
    const std::size_t first = mantissa.find_first_of("123456789");
    const long long position = first < point ? static_cast<long long>(point - first) - 1
                                             : -static_cast<long long>(first - point);
    return position + exponent > 0;
}

}  // namespace

void Lexer::next(Token& token) {
    skip_space();
    if (m_pos == m_text.size()) {
        token = Token{TokenKind::end, m_pos, {}, 0};
        return;
    }
    const char c = m_text[m_pos];
    const bool starts_number =
        is_digit(c) || (c == '.' && m_pos + 1 < m_text.size() && is_digit(m_text[m_pos + 1]));
    if (starts_number) {
        token = read_number();
    } else if (is_name_start(c)) {
        token = read_word();
    } else {
        token = read_symbol();
    }
}

void Lexer::skip_space() {
    while (m_pos < m_text.size() && is_space(m_text[m_pos])) {
        ++m_pos;
    }
}

Token Lexer::make(TokenKind kind, std::size_t length) {
    Token token{kind, m_pos, m_text.substr(m_pos, length), 0};
    m_pos += length;
    return token;
}

Token Lexer::read_number() {
    const std::string_view rest = m_text.substr(m_pos);
    std::size_t length = count_digits(rest);
    if (length < rest.size() && rest[length] == '.') {
        length += 1 + count_digits(rest.substr(length + 1));
    }
    length += exponent_length(rest.substr(length));
    if (length < rest.size() && is_name_character(rest[length])) {
        std::size_t end = length;
        while (end < rest.size() && is_name_character(rest[end])) {
            ++end;
        }
        fail(m_pos, "invalid number '" + std::string(rest.substr(0, end)) + "'");
    }
    Token token = make(TokenKind::number, length);
    const auto [ptr, error] =
        std::from_chars(token.text.data(), token.text.data() + token.text.size(), token.value);
    if (error == std::errc::result_out_of_range) {
        if (is_too_large(token.text)) {
            fail(token.offset, "number '" + std::string(token.text) + "' is too large");
        }
        token.value = 0;
    }
    return token;
}

Token Lexer::read_word() {
    std::size_t length = 1;
    while (m_pos + length < m_text.size() && is_name_character(m_text[m_pos + length])) {
        ++length;
    }
    Token token = make(TokenKind::name, length);
    for (const Keyword& keyword : k_keywords) {
        if (keyword.text == token.text) {
            token.kind = keyword.kind;
            token.value = keyword.value;
            break;
        }
    }
    return token;
}

Token Lexer::read_symbol() {
    const std::string_view rest = m_text.substr(m_pos);
    for (const Symbol& symbol : k_symbols) {
        if (rest.starts_with(symbol.text)) {
            return make(symbol.kind, symbol.text.size());
        }
    }
    fail(m_pos, unexpected_character(rest));
}

std::string describe(const Token& token) {
    if (token.kind == TokenKind::end) {
        return "end of expression";
    }
    // Appended rather than "'" + std::string(...): g++ 12 -O3 warns (-Wrestrict, a false
    // positive) on that form.
    std::string text = "'";
    text += token.text;
    text += '\'';
    return text;
}

bool is_variable_name(std::string_view name) {
    if (name.empty() || !is_name_start(name[0])) {
        return false;
    }
    for (char c : name) {
        if (!is_name_character(c)) {
            return false;
        }
    }
    for (const Keyword& keyword : k_keywords) {
        if (keyword.text == name) {
            return false;
        }
    }
    return !is_function_name(name);
}

}  // namespace chat::expr
