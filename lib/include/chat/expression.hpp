#pragma once
/// The expression language of SPEC §3: a small, safe, Python-like language over numbers, used by
/// variable modifications and fork rules. Parsing never throws; evaluation throws only
/// EvaluationError (division by zero, huge exponent, non-finite result).

#include <cstddef>
#include <memory>
#include <optional>
#include <span>
#include <stdexcept>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

namespace chat::expr {

/// Longest accepted expression text, in bytes.
inline constexpr std::size_t k_max_length = 1000;
/// Deepest accepted nesting (parentheses, calls, unary operators, conditionals).
inline constexpr int k_max_depth = 64;
/// Largest accepted exponent of `**`.
inline constexpr double k_max_exponent = 4'000'000;

/// Why an expression text was rejected: `offset` is the 0-based byte offset inside the text.
struct ParseError {
    std::size_t offset = 0;
    std::string message;
};

/// A run-time failure; the engine reports it as EXPRESSION_ERROR.
class EvaluationError : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

struct Program;

/// A parsed, immutable expression. Cheap to copy (shares its program).
/// Variables are read through "slots": slot i is the i-th name of variables().
class Expression {
public:
    /// Parses `text`; returns the expression or the first error (with its offset).
    static std::variant<Expression, ParseError> parse(std::string_view text);

    /// The distinct variable names the expression reads, in order of first appearance.
    const std::vector<std::string>& variables() const;

    /// Evaluates with slot i holding the value of variables()[i] (`slots.size()` must equal
    /// `variables().size()`, else std::invalid_argument). Throws EvaluationError. Does not
    /// allocate unless the expression needs an evaluation stack deeper than 32 values.
    double evaluate(std::span<const double> slots) const;

    /// Evaluates over partly unknown values: returns nullopt when the result depends on an
    /// unknown slot, the value otherwise. `0 and x` is 0 even when x is unknown. Throws
    /// EvaluationError only for an error that happens whatever the unknowns are (`x / 0`).
    /// Conservative: an unknown operand of an operator, function, `and`/`or` left side,
    /// condition or comparison-chain link gives nullopt even where the value could be
    /// deduced (`x * 0`, `x < 5 < 3`).
    std::optional<double> evaluate_partial(std::span<const std::optional<double>> slots) const;

    /// The value when the expression reads no variable and evaluates without error.
    std::optional<double> constant_value() const;

    /// Whether some values of its variables may make it fail other than by overflowing: it
    /// divides or takes a modulo by something other than a non-zero constant, or raises to
    /// something other than a whole constant exponent from 0 to k_max_exponent.
    bool can_fail() const;

private:
    explicit Expression(std::shared_ptr<const Program> program);
    std::shared_ptr<const Program> m_program;
};

/// True for the characters of names after the first: A-Z a-z 0-9 _ (placeholders use the same).
constexpr bool is_name_character(char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
}

/// True when `name` is a valid variable name: [A-Za-z_][A-Za-z0-9_]* and not a keyword
/// (True, False, and, or, not, if, else) nor a function name.
bool is_variable_name(std::string_view name);

}  // namespace chat::expr
