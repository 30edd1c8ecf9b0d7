#pragma once
/// Splits expression text into tokens on demand, so the first error in reading order wins.

#include <cstddef>
#include <string>
#include <string_view>

namespace chat::expr {

enum class TokenKind {
    end,
    number,  ///< also True and False
    name,
    keyword_and,
    keyword_or,
    keyword_not,
    keyword_if,
    keyword_else,
    plus,
    minus,
    star,
    slash,
    double_slash,
    percent,
    double_star,
    equal,
    not_equal,
    less,
    less_equal,
    greater,
    greater_equal,
    left_paren,
    right_paren,
    comma,
};

/// One token; `text` points into the expression text.
struct Token {
    TokenKind kind = TokenKind::end;
    std::size_t offset = 0;
    std::string_view text;
    double value = 0;
};

/// Reads tokens from `text`, which must outlive the lexer. next() throws SyntaxError.
class Lexer {
public:
    explicit Lexer(std::string_view text) : m_text(text) {}

    /// Reads the next token into `token` (no temporary: the parser's recursive frames stay
    /// small); TokenKind::end, at the text's length, once the text is consumed.
    void next(Token& token);

private:
    void skip_space();
    Token read_number();
    Token read_word();
    Token read_symbol();
    Token make(TokenKind kind, std::size_t length);

    std::string_view m_text;
    std::size_t m_pos = 0;
};

/// How a message names a token: "end of expression" or the quoted text ("'and'").
std::string describe(const Token& token);

/// True for the names that are functions (min, max, abs, round, int, float); defined beside the
/// parser's table of functions.
bool is_function_name(std::string_view name);

}  // namespace chat::expr
