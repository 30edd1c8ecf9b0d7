// Hot path: fork rules and variable modifications run this loop for every message.

#include "numeric.hpp"
#include "program.hpp"

#include <array>
#include <cmath>
#include <cstdint>
#include <optional>
#include <span>
#include <vector>

namespace chat::expr {
namespace {

/// Stack slots kept in the caller's frame; deeper programs (rare) use the heap.
constexpr std::size_t k_inline_stack = 32;

// One machine serves both modes: a `double` is always known, an optional may be unknown.
bool is_known(double) {
    return true;
}
bool is_known(const std::optional<double>& value) {
    return value.has_value();
}
double value_of(double value) {
    return value;
}
double value_of(const std::optional<double>& value) {
    return *value;
}
bool is_true(double value) {
    return value != 0;
}

double check_finite(double result) {
    if (!std::isfinite(result)) {
        throw EvaluationError("result is not a finite number");
    }
    return result;
}

/// Errors decided by the right operand alone: they happen whatever the left operand is.
void check_right_operand(OpCode code, double right) {
    const bool is_division =
        code == OpCode::divide || code == OpCode::floor_divide || code == OpCode::modulo;
    if (is_division && right == 0) {
        throw EvaluationError("division by zero");
    }
    if (code == OpCode::power && right > k_max_exponent) {
        throw EvaluationError("exponent " + format_number(right) + " is above " +
                              format_number(k_max_exponent));
    }
}

double compare(OpCode code, double a, double b) {
    switch (code) {
        case OpCode::equal:
            return a == b ? 1 : 0;
        case OpCode::not_equal:
            return a != b ? 1 : 0;
        case OpCode::less:
            return a < b ? 1 : 0;
        case OpCode::less_equal:
            return a <= b ? 1 : 0;
        case OpCode::greater:
            return a > b ? 1 : 0;
        default:
            return a >= b ? 1 : 0;
    }
}

/// A binary operator on known operands, after check_right_operand.
double apply_binary(OpCode code, double a, double b) {
    switch (code) {
        case OpCode::add:
            return check_finite(a + b);
        case OpCode::subtract:
            return check_finite(a - b);
        case OpCode::multiply:
            return check_finite(a * b);
        case OpCode::divide:
            return check_finite(a / b);
        case OpCode::floor_divide:
            return check_finite(python_floor_divide(a, b));
        case OpCode::modulo:
            return check_finite(python_modulo(a, b));
        case OpCode::power:
            return check_finite(std::pow(a, b));
        case OpCode::round_digits:
            return check_finite(python_round_digits(a, b));
        default:
            return compare(code, a, b);
    }
}

double apply_unary(OpCode code, double a) {
    switch (code) {
        case OpCode::negate:
            return -a;
        case OpCode::logical_not:
            return a == 0 ? 1 : 0;
        case OpCode::absolute:
            return std::fabs(a);
        case OpCode::truncate:
            return std::trunc(a) + 0.0;  // never -0: Python's int() has no sign of zero
        default:
            return python_round(a);
    }
}

template <typename Value>
void binary_step(OpCode code, Value*& top) {
    const Value right = *--top;
    Value& left = top[-1];
    if (is_known(right)) {
        check_right_operand(code, value_of(right));
    }
    if (is_known(left) && is_known(right)) {
        left = apply_binary(code, value_of(left), value_of(right));
    } else {
        left = Value{};
    }
}

/// Comparisons cannot fail: no operand checks, no finiteness check.
template <typename Value>
void compare_step(OpCode code, Value*& top) {
    const Value right = *--top;
    Value& left = top[-1];
    if (is_known(left) && is_known(right)) {
        left = compare(code, value_of(left), value_of(right));
    } else {
        left = Value{};
    }
}

template <typename Value>
void unary_step(OpCode code, Value* top) {
    Value& operand = top[-1];
    if (is_known(operand)) {
        operand = apply_unary(code, value_of(operand));
    }
}

/// min or max of the top `count` values; Python keeps the first of equal values.
template <typename Value>
void extremum_step(OpCode code, std::uint32_t count, Value*& top) {
    Value* first = top - count;
    top = first + 1;
    for (const Value* it = first; it != first + count; ++it) {
        if (!is_known(*it)) {
            *first = Value{};
            return;
        }
    }
    double result = value_of(*first);
    for (const Value* it = first + 1; it != first + count; ++it) {
        const double candidate = value_of(*it);
        const bool is_better = code == OpCode::minimum ? candidate < result : candidate > result;
        result = is_better ? candidate : result;
    }
    *first = result;
}

/// An inner link of a comparison chain; returns how far to move the program counter.
template <typename Value>
std::uint32_t chain_step(const Op& op, Value*& top) {
    const Value right = *--top;
    Value& left = top[-1];
    if (!is_known(left) || !is_known(right)) {
        left = Value{};
        return op.arg;
    }
    if (compare(static_cast<OpCode>(op.arg2), value_of(left), value_of(right)) == 0) {
        left = 0.0;
        return op.arg;
    }
    left = right;
    return 1;
}

/// A control instruction; returns how far to move the program counter.
template <typename Value>
std::uint32_t branch_step(const Op& op, Value*& top) {
    switch (op.code) {
        case OpCode::jump:
            return op.arg;
        case OpCode::jump_if_false_or_pop:
        case OpCode::jump_if_true_or_pop: {
            const Value& value = top[-1];
            // An unknown left operand may be the result: stop with unknown.
            if (!is_known(value) ||
                is_true(value_of(value)) == (op.code == OpCode::jump_if_true_or_pop)) {
                return op.arg;
            }
            --top;
            return 1;
        }
        case OpCode::pop_jump_if_false: {
            const Value condition = *--top;
            if (!is_known(condition)) {
                *top++ = Value{};
                return op.arg2;
            }
            return is_true(value_of(condition)) ? 1 : op.arg;
        }
        default:
            return chain_step(op, top);
    }
}

template <typename Value>
Value execute(const Program& program, std::span<const Value> slots, Value* stack) {
    const Op* code = program.code.data();
    const std::size_t size = program.code.size();
    Value* top = stack;
    std::size_t pc = 0;
    while (pc < size) {
        const Op& op = code[pc];
        switch (op.code) {
            case OpCode::push_constant:
                *top++ = op.value;
                break;
            case OpCode::push_slot:
                *top++ = slots[op.arg];
                break;
            case OpCode::negate:
            case OpCode::logical_not:
            case OpCode::absolute:
            case OpCode::truncate:
            case OpCode::round_even:
                unary_step(op.code, top);
                break;
            case OpCode::minimum:
            case OpCode::maximum:
                extremum_step(op.code, op.arg, top);
                break;
            case OpCode::chain_compare:
            case OpCode::jump_if_false_or_pop:
            case OpCode::jump_if_true_or_pop:
            case OpCode::pop_jump_if_false:
            case OpCode::jump:
                pc += branch_step(op, top);
                continue;
            case OpCode::equal:
            case OpCode::not_equal:
            case OpCode::less:
            case OpCode::less_equal:
            case OpCode::greater:
            case OpCode::greater_equal:
                compare_step(op.code, top);
                break;
            default:
                binary_step(op.code, top);
                break;
        }
        ++pc;
    }
    return stack[0];
}

template <typename Value>
Value run_with_stack(const Program& program, std::span<const Value> slots) {
    if (program.max_stack <= k_inline_stack) {
        std::array<Value, k_inline_stack> stack;
        return execute(program, slots, stack.data());
    }
    std::vector<Value> stack(program.max_stack);
    return execute(program, slots, stack.data());
}

}  // namespace

double run(const Program& program, std::span<const double> slots) {
    return run_with_stack(program, slots);
}

std::optional<double> run_partial(const Program& program,
                                  std::span<const std::optional<double>> slots) {
    return run_with_stack(program, slots);
}

}  // namespace chat::expr
