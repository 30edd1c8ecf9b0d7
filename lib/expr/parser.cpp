#include "lexer.hpp"
#include "program.hpp"

#include <algorithm>
#include <array>
#include <cstddef>
#include <cstdint>
#include <limits>
#include <utility>
#include <vector>

namespace chat::expr {
namespace {

/// A function of the language: its argument counts and the instruction for each count.
struct Function {
    std::string_view name;
    std::uint32_t min_arguments;
    std::uint32_t max_arguments;
    std::string_view arity_message;
    OpCode one_argument;    ///< instruction for one argument; push_constant means none (float)
    OpCode more_arguments;  ///< instruction for two or more arguments
};

constexpr std::uint32_t k_any_count = std::numeric_limits<std::uint32_t>::max();

constexpr std::array k_functions{
    Function{"min", 2, k_any_count, "takes at least 2 arguments", OpCode::minimum, OpCode::minimum},
    Function{"max", 2, k_any_count, "takes at least 2 arguments", OpCode::maximum, OpCode::maximum},
    Function{"abs", 1, 1, "takes exactly 1 argument", OpCode::absolute, OpCode::absolute},
    Function{"int", 1, 1, "takes exactly 1 argument", OpCode::truncate, OpCode::truncate},
    Function{"float", 1, 1, "takes exactly 1 argument", OpCode::push_constant,
             OpCode::push_constant},
    Function{"round", 1, 2, "takes 1 or 2 arguments", OpCode::round_even, OpCode::round_digits},
};

struct BinaryOperator {
    TokenKind token;
    OpCode code;
};

constexpr std::array k_sum_operators{
    BinaryOperator{TokenKind::plus, OpCode::add},
    BinaryOperator{TokenKind::minus, OpCode::subtract},
};

constexpr std::array k_term_operators{
    BinaryOperator{TokenKind::star, OpCode::multiply},
    BinaryOperator{TokenKind::slash, OpCode::divide},
    BinaryOperator{TokenKind::double_slash, OpCode::floor_divide},
    BinaryOperator{TokenKind::percent, OpCode::modulo},
};

constexpr std::array k_comparison_operators{
    BinaryOperator{TokenKind::equal, OpCode::equal},
    BinaryOperator{TokenKind::not_equal, OpCode::not_equal},
    BinaryOperator{TokenKind::less, OpCode::less},
    BinaryOperator{TokenKind::less_equal, OpCode::less_equal},
    BinaryOperator{TokenKind::greater, OpCode::greater},
    BinaryOperator{TokenKind::greater_equal, OpCode::greater_equal},
};

template <std::size_t N>
const BinaryOperator* find_operator(const std::array<BinaryOperator, N>& table, TokenKind kind) {
    const auto* found = std::find_if(table.begin(), table.end(),
                                     [kind](const BinaryOperator& op) { return op.token == kind; });
    return found == table.end() ? nullptr : found;
}

const Function& find_function(std::string_view name) {
    return *std::find_if(k_functions.begin(), k_functions.end(),
                         [name](const Function& function) { return function.name == name; });
}

/// How an instruction changes the stack height when it falls through.
int stack_effect(const Op& op) {
    switch (op.code) {
        case OpCode::push_constant:
        case OpCode::push_slot:
            return 1;
        case OpCode::negate:
        case OpCode::logical_not:
        case OpCode::absolute:
        case OpCode::truncate:
        case OpCode::round_even:
        case OpCode::jump:
            return 0;
        case OpCode::minimum:
        case OpCode::maximum:
            return 1 - static_cast<int>(op.arg);
        default:
            return -1;
    }
}

/// Recursive descent over the grammar of SPEC §3, emitting postfix code as it goes. The descent
/// re-enters itself only through counted nesting (parentheses, calls, unary operators,
/// conditionals), so k_max_depth bounds it; operator chains, including right-associative `**`,
/// are loops. Frames are kept small (about 1 KB of stack per nesting level at -O2, so some
/// 60 KB at the limit): tokens are read in place and messages are built in the fail_ functions.
class Parser {
public:
    explicit Parser(std::string_view text) : m_lexer(text) { advance(); }

    Program parse();

private:
    void parse_expression();
    void parse_or();
    void parse_and();
    void parse_short_circuit(TokenKind keyword, OpCode jump, void (Parser::*operand)());
    void parse_not();
    void parse_comparison();
    void parse_sum();
    void parse_term();
    template <std::size_t N>
    void parse_binary(const std::array<BinaryOperator, N>& table, void (Parser::*operand)());
    void parse_factor();
    void parse_power();
    void parse_power_operands();
    void parse_primary();
    void parse_name();
    void parse_call(std::string_view name, std::size_t offset);

    void advance() { m_lexer.next(m_token); }
    bool accept(TokenKind kind);
    void expect(TokenKind kind, std::string_view expected);
    [[noreturn]] void fail_expected(std::string_view expected, std::string_view detail = {},
                                    std::string_view end = {}) const;
    [[noreturn]] void fail_at(std::size_t offset, std::string_view first,
                              std::string_view second = {}, std::string_view third = {}) const;
    [[noreturn]] void fail_too_deep(std::size_t offset) const;
    void enter(std::size_t offset);
    void leave(int levels);

    std::size_t emit(OpCode code, std::uint32_t arg = 0, std::uint32_t arg2 = 0, double value = 0);
    void emit_unary(OpCode code, std::size_t operand_start);
    void patch_jump(std::size_t at) {
        m_code[at].arg = static_cast<std::uint32_t>(m_code.size() - at);
    }
    void add_waiting_jump(std::uint32_t& waiting, std::size_t at);
    void patch_waiting_jumps(std::uint32_t waiting);
    std::uint32_t slot_of(std::string_view name);

    Lexer m_lexer;
    Token m_token;
    int m_depth = 0;
    std::vector<Op> m_code;
    std::vector<std::string> m_variables;
    std::size_t m_height = 0;
    std::size_t m_max_height = 0;
};

Program Parser::parse() {
    parse_expression();
    if (m_token.kind != TokenKind::end) {
        fail_expected("end of expression");
    }
    Program program;
    program.code = std::move(m_code);
    program.variables = std::move(m_variables);
    program.max_stack = m_max_height;
    return program;
}

/// `value if condition else other`: the condition's code is parsed second but must run first,
/// so it is rotated in front of the value's code (relative jumps survive the move).
void Parser::parse_expression() {
    const std::size_t start = m_code.size();
    const std::size_t height = m_height;
    parse_or();
    if (m_token.kind != TokenKind::keyword_if) {
        return;
    }
    enter(m_token.offset);
    advance();
    const std::size_t condition_start = m_code.size();
    parse_or();
    expect(TokenKind::keyword_else, "'else'");
    const auto begin = m_code.begin();
    std::rotate(begin + static_cast<std::ptrdiff_t>(start),
                begin + static_cast<std::ptrdiff_t>(condition_start), m_code.end());
    const std::size_t branch = start + (m_code.size() - condition_start);
    m_code.insert(m_code.begin() + static_cast<std::ptrdiff_t>(branch),
                  Op{OpCode::pop_jump_if_false, 0, 0, 0});
    m_height = height + 1;
    const std::size_t jump = emit(OpCode::jump);
    m_height = height;
    parse_expression();
    leave(1);
    m_code[branch].arg = static_cast<std::uint32_t>(jump + 1 - branch);
    m_code[branch].arg2 = static_cast<std::uint32_t>(m_code.size() - branch);
    patch_jump(jump);
}

void Parser::parse_or() {
    parse_short_circuit(TokenKind::keyword_or, OpCode::jump_if_true_or_pop, &Parser::parse_and);
}

void Parser::parse_and() {
    parse_short_circuit(TokenKind::keyword_and, OpCode::jump_if_false_or_pop, &Parser::parse_not);
}

/// `a or b or c`: every jump goes straight to the end, since a value that decided one link
/// decides the next ones the same way.
void Parser::parse_short_circuit(TokenKind keyword, OpCode jump, void (Parser::*operand)()) {
    (this->*operand)();
    std::uint32_t waiting = 0;
    while (accept(keyword)) {
        add_waiting_jump(waiting, emit(jump));
        (this->*operand)();
    }
    patch_waiting_jumps(waiting);
}

void Parser::parse_not() {
    int levels = 0;
    while (m_token.kind == TokenKind::keyword_not) {
        enter(m_token.offset);
        advance();
        ++levels;
    }
    const std::size_t start = m_code.size();
    parse_comparison();
    for (int i = 0; i < levels; ++i) {
        emit_unary(OpCode::logical_not, start);
    }
    leave(levels);
}

/// `a < b <= c`: each inner link keeps its right operand for the next one, or leaves 0 and
/// jumps to the end.
void Parser::parse_comparison() {
    parse_sum();
    std::uint32_t waiting = 0;
    while (const BinaryOperator* op = find_operator(k_comparison_operators, m_token.kind)) {
        advance();
        parse_sum();
        if (find_operator(k_comparison_operators, m_token.kind) != nullptr) {
            const auto compare = static_cast<std::uint32_t>(op->code);
            add_waiting_jump(waiting, emit(OpCode::chain_compare, 0, compare));
        } else {
            emit(op->code);
        }
    }
    patch_waiting_jumps(waiting);
}

void Parser::parse_sum() {
    parse_binary(k_sum_operators, &Parser::parse_term);
}

void Parser::parse_term() {
    parse_binary(k_term_operators, &Parser::parse_factor);
}

template <std::size_t N>
void Parser::parse_binary(const std::array<BinaryOperator, N>& table, void (Parser::*operand)()) {
    (this->*operand)();
    while (const BinaryOperator* op = find_operator(table, m_token.kind)) {
        advance();
        (this->*operand)();
        emit(op->code);
    }
}

void Parser::parse_factor() {
    int levels = 0;
    bool is_negated = false;
    while (m_token.kind == TokenKind::minus || m_token.kind == TokenKind::plus) {
        enter(m_token.offset);
        is_negated = is_negated != (m_token.kind == TokenKind::minus);
        advance();
        ++levels;
    }
    const std::size_t start = m_code.size();
    parse_power();
    if (is_negated) {
        emit_unary(OpCode::negate, start);
    }
    leave(levels);
}

/// `a ** -b ** c` is `a ** (-(b ** c))`: operands are emitted left to right and the operators
/// they wait for are kept on a list, emitted in reverse at the end (right associativity
/// without recursion).
void Parser::parse_power() {
    parse_primary();
    if (m_token.kind == TokenKind::double_star) {
        parse_power_operands();
    }
}

// Not inlined: its list would enlarge the frame of every nesting level, `**` or not.
[[gnu::noinline]] void Parser::parse_power_operands() {
    struct Pending {
        OpCode code;
        std::size_t operand_start;
    };
    std::vector<Pending> pending;
    int levels = 0;
    while (accept(TokenKind::double_star)) {
        pending.push_back(Pending{OpCode::power, 0});
        std::size_t negations = 0;
        while (m_token.kind == TokenKind::minus || m_token.kind == TokenKind::plus) {
            enter(m_token.offset);
            negations += m_token.kind == TokenKind::minus ? 1 : 0;
            advance();
            ++levels;
        }
        if (negations % 2 == 1) {
            pending.push_back(Pending{OpCode::negate, m_code.size()});
        }
        parse_primary();
    }
    for (auto it = pending.rbegin(); it != pending.rend(); ++it) {
        if (it->code == OpCode::negate) {
            emit_unary(OpCode::negate, it->operand_start);
        } else {
            emit(it->code);
        }
    }
    leave(levels);
}

void Parser::parse_primary() {
    switch (m_token.kind) {
        case TokenKind::number:
            emit(OpCode::push_constant, 0, 0, m_token.value);
            advance();
            return;
        case TokenKind::name:
            parse_name();
            return;
        case TokenKind::left_paren:
            enter(m_token.offset);
            advance();
            parse_expression();
            expect(TokenKind::right_paren, "')'");
            leave(1);
            return;
        default:
            fail_expected("an expression");
    }
}

void Parser::parse_name() {
    const std::string_view name = m_token.text;
    const std::size_t offset = m_token.offset;
    advance();
    if (is_function_name(name)) {
        parse_call(name, offset);
        return;
    }
    if (m_token.kind == TokenKind::left_paren) {
        fail_at(offset, "unknown function '", name, "'");
    }
    emit(OpCode::push_slot, slot_of(name));
}

void Parser::parse_call(std::string_view name, std::size_t offset) {
    if (m_token.kind != TokenKind::left_paren) {
        fail_expected("'(' after '", name, "'");
    }
    enter(offset);
    advance();
    std::uint32_t count = 0;
    while (m_token.kind != TokenKind::right_paren) {
        parse_expression();
        ++count;
        if (!accept(TokenKind::comma)) {
            break;
        }
    }
    expect(TokenKind::right_paren, "',' or ')'");
    leave(1);
    const Function& function = find_function(name);
    if (count < function.min_arguments || count > function.max_arguments) {
        fail_at(offset, function.name, "() ", function.arity_message);
    }
    const OpCode code = count == 1 ? function.one_argument : function.more_arguments;
    if (code != OpCode::push_constant) {
        emit(code, count);
    }
}

bool Parser::accept(TokenKind kind) {
    if (m_token.kind != kind) {
        return false;
    }
    advance();
    return true;
}

void Parser::expect(TokenKind kind, std::string_view expected) {
    if (!accept(kind)) {
        fail_expected(expected);
    }
}

// The failure paths build their messages here rather than in the recursive functions, whose
// stack frames then stay small: the nesting limit bounds their number, not their size.
void Parser::fail_expected(std::string_view expected, std::string_view detail,
                           std::string_view end) const {
    fail_at(m_token.offset, "expected " + std::string(expected) + std::string(detail) +
                                std::string(end) + " but found " + describe(m_token));
}

void Parser::fail_at(std::size_t offset, std::string_view first, std::string_view second,
                     std::string_view third) const {
    std::string message(first);
    message.append(second).append(third);
    throw SyntaxError(ParseError{offset, std::move(message)});
}

void Parser::fail_too_deep(std::size_t offset) const {
    fail_at(offset, "expression is nested deeper than " + std::to_string(k_max_depth) + " levels");
}

void Parser::enter(std::size_t offset) {
    if (m_depth >= k_max_depth) {
        fail_too_deep(offset);
    }
    ++m_depth;
}

void Parser::leave(int levels) {
    m_depth -= levels;
}

std::size_t Parser::emit(OpCode code, std::uint32_t arg, std::uint32_t arg2, double value) {
    const Op op{code, arg, arg2, value};
    m_height = static_cast<std::size_t>(static_cast<std::ptrdiff_t>(m_height) + stack_effect(op));
    m_max_height = std::max(m_max_height, m_height);
    m_code.push_back(op);
    return m_code.size() - 1;
}

/// Folds `-3` and `not 0` into constants (common in conditions); the operand must be exactly
/// one constant, not merely end with one (`-(x and 1)` ends with a jump target).
void Parser::emit_unary(OpCode code, std::size_t operand_start) {
    const bool is_constant =
        m_code.size() == operand_start + 1 && m_code[operand_start].code == OpCode::push_constant;
    if (!is_constant) {
        emit(code);
        return;
    }
    double& value = m_code[operand_start].value;
    value = code == OpCode::negate ? -value : (value == 0 ? 1.0 : 0.0);
}

/// Jumps waiting for the end of their construct are chained through their `arg` (index + 1 of
/// the previous waiting jump, 0 for none): no list to allocate, nothing extra on the stack.
void Parser::add_waiting_jump(std::uint32_t& waiting, std::size_t at) {
    m_code[at].arg = waiting;
    waiting = static_cast<std::uint32_t>(at + 1);
}

void Parser::patch_waiting_jumps(std::uint32_t waiting) {
    while (waiting != 0) {
        const std::size_t at = waiting - 1;
        waiting = m_code[at].arg;
        patch_jump(at);
    }
}

std::uint32_t Parser::slot_of(std::string_view name) {
    const auto found = std::find(m_variables.begin(), m_variables.end(), name);
    if (found != m_variables.end()) {
        return static_cast<std::uint32_t>(found - m_variables.begin());
    }
    m_variables.emplace_back(name);
    return static_cast<std::uint32_t>(m_variables.size() - 1);
}

}  // namespace

bool is_function_name(std::string_view name) {
    return std::any_of(k_functions.begin(), k_functions.end(),
                       [name](const Function& function) { return function.name == name; });
}

Program compile(std::string_view text) {
    Program program = Parser(text).parse();
    if (!program.variables.empty()) {
        return program;
    }
    // A constant program runs once here; on success it shrinks to its value.
    try {
        program.constant = run(program, {});
    } catch (const EvaluationError&) {
        return program;
    }
    program.code = {Op{OpCode::push_constant, 0, 0, *program.constant}};
    program.max_stack = 1;
    return program;
}

}  // namespace chat::expr
