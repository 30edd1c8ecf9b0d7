#pragma once
/// The compiled form of an expression: a flat postfix program run by a stack machine, so that
/// evaluation is one loop (no recursion, no allocation for typical expressions).

#include <chat/expression.hpp>

#include <cstddef>
#include <cstdint>
#include <exception>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace chat::expr {

/// One instruction. Jumps are relative and always forward (`pc + arg`), so a block of code can be
/// moved as a whole without patching the jumps inside it.
enum class OpCode : std::uint8_t {
    push_constant,  ///< push `value`
    push_slot,      ///< push slots[arg]
    negate,
    logical_not,
    absolute,
    truncate,    ///< int()
    round_even,  ///< round(x)
    add,
    subtract,
    multiply,
    divide,
    floor_divide,
    modulo,
    power,
    round_digits,  ///< round(x, n)
    equal,
    not_equal,
    less,
    less_equal,
    greater,
    greater_equal,
    minimum,  ///< min of the top `arg` values
    maximum,  ///< max of the top `arg` values
    /// Inner link of a comparison chain, comparison `arg2` (an OpCode from equal to
    /// greater_equal): pops b and a; when `a op b` holds pushes b and goes on, else pushes 0
    /// and jumps by `arg` to the end of the chain.
    chain_compare,
    jump_if_false_or_pop,  ///< `and`: keep a false top and jump by `arg`, else pop it
    jump_if_true_or_pop,   ///< `or`: keep a true top and jump by `arg`, else pop it
    /// Conditional: pops the condition; false jumps by `arg` (else branch); unknown (partial
    /// evaluation) pushes unknown and jumps by `arg2` (end of the conditional).
    pop_jump_if_false,
    jump,  ///< jump by `arg`
};

/// One instruction with its operands.
struct Op {
    OpCode code = OpCode::push_constant;
    std::uint32_t arg = 0;
    std::uint32_t arg2 = 0;
    double value = 0;
};

/// A parsed expression, shared by all copies of an Expression.
struct Program {
    std::vector<Op> code;
    std::vector<std::string> variables;
    /// Upper bound of the evaluation stack height.
    std::size_t max_stack = 0;
    /// The value when the program reads no variable and evaluates without error.
    std::optional<double> constant;
};

/// Carries a ParseError out of the parser's recursion to Expression::parse, which returns it.
struct SyntaxError : std::exception {
    explicit SyntaxError(ParseError parse_error) : error(std::move(parse_error)) {}
    const char* what() const noexcept override { return error.message.c_str(); }
    ParseError error;
};

/// Compiles `text` (at most k_max_length bytes, checked by the caller) into a program. Throws
/// SyntaxError on the first syntax error.
Program compile(std::string_view text);

/// Runs `program` over known slots. Throws EvaluationError.
double run(const Program& program, std::span<const double> slots);

/// Runs `program` over partly unknown slots. Throws EvaluationError for definite errors only.
std::optional<double> run_partial(const Program& program,
                                  std::span<const std::optional<double>> slots);

}  // namespace chat::expr
