#pragma once
/// Python's float arithmetic where C++ differs: floor division, modulo and rounding.

#include <string>

namespace chat::expr {

/// Python's `a // b` for floats (b != 0): the floor of the quotient, computed from fmod so that
/// `a == (a // b) * b + a % b` holds as closely as in Python.
double python_floor_divide(double a, double b);

/// Python's `a % b` for floats (b != 0): the result has the sign of `b`.
double python_modulo(double a, double b);

/// Python's `round(x)`: nearest integer, ties to even; never -0.
double python_round(double x);

/// Python's `round(x, digits)`: the exact binary value of `x` rounded to `digits` decimal digits
/// (negative: to tens, hundreds...), ties to even, then read back as the nearest double.
/// `digits` is truncated toward zero.
double python_round_digits(double x, double digits);

/// `x` for a message: integers without a fraction ("4000001"), others in shortest form.
std::string format_number(double x);

}  // namespace chat::expr
