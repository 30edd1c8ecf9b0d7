#include "numeric.hpp"

#include <array>
#include <charconv>
#include <cmath>
#include <cstdint>
#include <limits>
#include <string_view>
#include <system_error>

namespace chat::expr {
namespace {

/// Beyond these, round(x, n) is x (more digits than a double holds) or 0 (Python's limits too).
constexpr double k_max_round_digits = 400;
/// 17 significant decimal digits identify any double: rounding to more gives x back.
constexpr int k_exact_significant_digits = 17;
/// Enough significant digits to print any double exactly (the longest needs 767).
constexpr int k_all_digits = 780;

/// The decimal exponent of x (x finite and non-zero): 2 for 123.4, -1 for 0.5.
int decimal_exponent(double x) {
    std::array<char, 32> buffer{};
    // The shortest round-trip form never rounds 9.99...e1 up to 1e2, so its exponent is exact.
    const auto result = std::to_chars(buffer.data(), buffer.data() + buffer.size(), x,
                                      std::chars_format::scientific);
    const std::string_view text(buffer.data(),
                                static_cast<std::size_t>(result.ptr - buffer.data()));
    const std::size_t e = text.find('e');
    int exponent = 0;
    const char* first = text.data() + e + 1;
    if (*first == '+') {
        ++first;
    }
    std::from_chars(first, text.data() + text.size(), exponent);
    return exponent;
}

/// Reads a number this file printed in scientific form; out of range gives ±infinity or ±0
/// (from_chars leaves the value untouched then).
double read_double(std::string_view text) {
    double value = 0;
    const auto [ptr, error] = std::from_chars(text.data(), text.data() + text.size(), value);
    if (error == std::errc::result_out_of_range) {
        const bool is_overflow = text.find("e-") == std::string_view::npos;
        value = std::copysign(is_overflow ? std::numeric_limits<double>::infinity() : 0.0,
                              text[0] == '-' ? -1.0 : 1.0);
    }
    return value;
}

/// Rounds x (of decimal exponent e) to a multiple of 10^(e+1): 0 or ±10^(e+1), ties to even (0).
double round_to_next_power(double x, int e) {
    std::array<char, k_all_digits + 16> buffer{};
    const auto result = std::to_chars(buffer.data(), buffer.data() + buffer.size(), std::fabs(x),
                                      std::chars_format::scientific, k_all_digits);
    const std::string_view text(buffer.data(),
                                static_cast<std::size_t>(result.ptr - buffer.data()));
    const std::string_view fraction = text.substr(2, text.find('e') - 2);
    const bool above_half = text[0] > '5' || (text[0] == '5' && fraction.find_first_not_of('0') !=
                                                                    std::string_view::npos);
    if (!above_half) {
        return std::copysign(0.0, x);
    }
    const std::string power = "1e" + std::to_string(e + 1);
    return std::copysign(read_double(power), x);
}

}  // namespace

double python_floor_divide(double a, double b) {
    double mod = std::fmod(a, b);
    double quotient = (a - mod) / b;
    if (mod != 0 && (b < 0) != (mod < 0)) {
        quotient -= 1.0;
    }
    if (quotient == 0) {
        return std::copysign(0.0, a / b);
    }
    double floored = std::floor(quotient);
    if (quotient - floored > 0.5) {
        floored += 1.0;
    }
    return floored;
}

double python_modulo(double a, double b) {
    const double mod = std::fmod(a, b);
    if (mod == 0) {
        return std::copysign(0.0, b);
    }
    return (b < 0) != (mod < 0) ? mod + b : mod;
}

double python_round(double x) {
    const double floored = std::floor(x);
    // Exact for every double: x - floor(x) only keeps bits x already has.
    const double fraction = x - floored;
    double rounded = floored;
    if (fraction > 0.5 || (fraction == 0.5 && std::fmod(floored, 2.0) != 0)) {
        rounded += 1.0;
    }
    return rounded + 0.0;  // -0.0 + 0.0 is +0.0: Python's round(x) is an int
}

double python_round_digits(double x, double digits) {
    const double whole_digits = std::trunc(digits);
    if (x == 0 || !std::isfinite(x) || whole_digits > k_max_round_digits) {
        return x;
    }
    if (whole_digits < -k_max_round_digits) {
        return std::copysign(0.0, x);
    }
    const int e = decimal_exponent(x);
    const int significant = e + 1 + static_cast<int>(whole_digits);
    if (significant >= k_exact_significant_digits) {
        return x;
    }
    if (significant < 0) {
        return std::copysign(0.0, x);
    }
    if (significant == 0) {
        return round_to_next_power(x, e);
    }
    // to_chars with a precision rounds the exact binary value, ties to even, like Python's dtoa.
    std::array<char, 64> buffer{};
    const auto result = std::to_chars(buffer.data(), buffer.data() + buffer.size(), x,
                                      std::chars_format::scientific, significant - 1);
    return read_double(
        std::string_view(buffer.data(), static_cast<std::size_t>(result.ptr - buffer.data())));
}

std::string format_number(double x) {
    constexpr double k_exact_integer_limit = 1e15;
    if (std::trunc(x) == x && std::fabs(x) < k_exact_integer_limit) {
        return std::to_string(static_cast<std::int64_t>(x));
    }
    std::array<char, 32> buffer{};
    const auto result = std::to_chars(buffer.data(), buffer.data() + buffer.size(), x);
    return std::string(buffer.data(), result.ptr);
}

}  // namespace chat::expr
