#include "program.hpp"

#include <algorithm>
#include <cmath>

#include <stdexcept>
#include <utility>

namespace chat::expr {
namespace {

void check_slot_count(std::size_t expected, std::size_t given) {
    if (expected != given) {
        throw std::invalid_argument("expression reads " + std::to_string(expected) +
                                    " variables but " + std::to_string(given) +
                                    " values were given");
    }
}

}  // namespace

std::variant<Expression, ParseError> Expression::parse(std::string_view text) {
    if (text.size() > k_max_length) {
        return ParseError{k_max_length, "expression is longer than " +
                                            std::to_string(k_max_length) + " characters"};
    }
    try {
        return Expression(std::make_shared<const Program>(compile(text)));
    } catch (const SyntaxError& error) {
        return error.error;
    }
}

Expression::Expression(std::shared_ptr<const Program> program) : m_program(std::move(program)) {}

const std::vector<std::string>& Expression::variables() const {
    return m_program->variables;
}

double Expression::evaluate(std::span<const double> slots) const {
    check_slot_count(m_program->variables.size(), slots.size());
    return run(*m_program, slots);
}

std::optional<double> Expression::evaluate_partial(
    std::span<const std::optional<double>> slots) const {
    check_slot_count(m_program->variables.size(), slots.size());
    return run_partial(*m_program, slots);
}

std::optional<double> Expression::constant_value() const {
    return m_program->constant;
}

namespace {

// Instructions some jump lands on (or just after: the jump base does not matter here).
std::vector<bool> jump_landings(const std::vector<Op>& code) {
    std::vector<bool> lands(code.size() + 2, false);
    auto mark = [&](std::size_t pc, std::uint32_t offset) {
        for (std::size_t target : {pc + offset, pc + offset + 1}) {
            if (target < lands.size()) {
                lands[target] = true;
            }
        }
    };
    for (std::size_t pc = 0; pc < code.size(); ++pc) {
        switch (code[pc].code) {
            case OpCode::pop_jump_if_false:
                mark(pc, code[pc].arg2);
                [[fallthrough]];
            case OpCode::chain_compare:
            case OpCode::jump_if_false_or_pop:
            case OpCode::jump_if_true_or_pop:
            case OpCode::jump:
                mark(pc, code[pc].arg);
                break;
            default:
                break;
        }
    }
    return lands;
}

// A right operand that is surely a constant which cannot make the operation fail: a non-zero
// divisor, or a whole exponent from 0 to the limit. Overflow is not counted as failing here.
bool has_safe_constant_operand(const std::vector<Op>& code, std::size_t pc,
                               const std::vector<bool>& lands) {
    if (pc == 0 || lands[pc] || code[pc - 1].code != OpCode::push_constant) {
        return false;
    }
    double operand = code[pc - 1].value;
    if (code[pc].code == OpCode::power) {
        return operand >= 0 && operand <= k_max_exponent && std::floor(operand) == operand;
    }
    return operand != 0;
}

}  // namespace

bool Expression::can_fail() const {
    const auto& code = m_program->code;
    auto lands = jump_landings(code);
    for (std::size_t pc = 0; pc < code.size(); ++pc) {
        bool is_partial = code[pc].code == OpCode::divide ||
                          code[pc].code == OpCode::floor_divide ||
                          code[pc].code == OpCode::modulo || code[pc].code == OpCode::power;
        if (is_partial && !has_safe_constant_operand(code, pc, lands)) {
            return true;
        }
    }
    return false;
}

}  // namespace chat::expr
