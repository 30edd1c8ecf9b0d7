#include "program.hpp"

#include <algorithm>

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

bool Expression::can_fail() const {
    return std::any_of(m_program->code.begin(), m_program->code.end(), [](const Op& op) {
        return op.code == OpCode::divide || op.code == OpCode::floor_divide ||
               op.code == OpCode::modulo || op.code == OpCode::power;
    });
}

}  // namespace chat::expr
