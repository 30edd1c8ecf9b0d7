#include <chat/expression.hpp>

#include <doctest/doctest.h>

#include <cmath>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <variant>
#include <vector>

namespace {

using chat::expr::EvaluationError;
using chat::expr::Expression;
using chat::expr::ParseError;

using Values = std::map<std::string, double>;
using PartialValues = std::map<std::string, std::optional<double>>;

Expression parse_ok(std::string_view text) {
    auto result = Expression::parse(text);
    if (const auto* error = std::get_if<ParseError>(&result)) {
        FAIL("'" << text << "' does not parse: " << error->offset << ": " << error->message);
    }
    return std::get<Expression>(std::move(result));
}

/// The parse error of `text` as "offset: message", or "parses" when there is none.
std::string parse_error(std::string_view text) {
    const auto result = Expression::parse(text);
    if (const auto* error = std::get_if<ParseError>(&result)) {
        return std::to_string(error->offset) + ": " + error->message;
    }
    return "parses";
}

/// Evaluates with the named values; a name missing from `values` reads as 0, as the engine does.
double eval(std::string_view text, const Values& values = {}) {
    const Expression expression = parse_ok(text);
    std::vector<double> slots;
    for (const std::string& name : expression.variables()) {
        const auto found = values.find(name);
        slots.push_back(found == values.end() ? 0.0 : found->second);
    }
    return expression.evaluate(slots);
}

/// The EvaluationError message of `text`, or "no error".
std::string eval_error(std::string_view text, const Values& values = {}) {
    try {
        eval(text, values);
    } catch (const EvaluationError& error) {
        return error.what();
    }
    return "no error";
}

/// Partial evaluation; a name missing from `values` is unknown.
std::optional<double> eval_partial(std::string_view text, const PartialValues& values = {}) {
    const Expression expression = parse_ok(text);
    std::vector<std::optional<double>> slots;
    for (const std::string& name : expression.variables()) {
        const auto found = values.find(name);
        slots.push_back(found == values.end() ? std::nullopt : found->second);
    }
    return expression.evaluate_partial(slots);
}

std::string eval_partial_error(std::string_view text, const PartialValues& values = {}) {
    try {
        eval_partial(text, values);
    } catch (const EvaluationError& error) {
        return error.what();
    }
    return "no error";
}

std::string repeat(std::string_view part, std::size_t count) {
    std::string text;
    for (std::size_t i = 0; i < count; ++i) {
        text += part;
    }
    return text;
}

struct Case {
    const char* text;
    double value;
};

void check_values(std::initializer_list<Case> cases, const Values& values = {}) {
    for (const Case& c : cases) {
        CAPTURE(c.text);
        CHECK(eval(c.text, values) == c.value);
    }
}

}  // namespace

TEST_CASE("expression: number literals") {
    check_values({{"3", 3},
                  {"2.5", 2.5},
                  {"1e3", 1000},
                  {".5", 0.5},
                  {"5.", 5},
                  {"1E-2", 0.01},
                  {"2.5e+1", 25},
                  {"5.e1", 50},
                  {"007", 7},
                  {"1e-999", 0},
                  {"0e999", 0}});
}

TEST_CASE("expression: True and False are 1 and 0") {
    check_values({{"True", 1}, {"False", 0}, {"True + True", 2}, {"True * 3", 3}});
}

TEST_CASE("expression: operator precedence") {
    check_values({
        {"1 + 2 * 3", 7},
        {"(1 + 2) * 3", 9},
        {"10 - 4 - 3", 3},
        {"2 * 3 % 4", 2},
        {"7 // 2 * 2", 6},
        {"8 / 2 / 2", 2},
        {"1 + 2 > 2", 1},
        {"not 1 == 2", 1},
        {"not 0 + 1", 0},
        {"1 or 0 and 0", 1},
        {"(1 or 0) and 0", 0},
        {"not 0 and 0", 0},
        {"- - 3", 3},
        {"+-+3", -3},
        {"-3 // 2", -2},
        {"2 * -3", -6},
        {"1 + 1 if 0 else 5", 5},
        {"1 if 1 else 2 + 10", 1},
    });
}

TEST_CASE("expression: power is right-associative and binds tighter than unary minus") {
    check_values(
        {
            {"2 ** 3 ** 2", 512},
            {"(2 ** 3) ** 2", 64},
            {"-2 ** 2", -4},
            {"(-2) ** 2", 4},
            {"2 ** -1", 0.5},
            {"2 ** -2 ** 2", 0.0625},
            {"2 ** --1", 2},
            {"2 * 3 ** 2", 18},
            {"-x ** 2", -9},
        },
        {{"x", 3}});
}

TEST_CASE("expression: chained comparisons") {
    check_values({{"1 < 2 < 3", 1},
                  {"1 < 3 < 2", 0},
                  {"3 > 2 > 1 > 0", 1},
                  {"3 > 2 > 2", 0},
                  {"1 == 1 == 1", 1},
                  {"2 == 2 != 3", 1},
                  {"1 < 2 == 1", 0},
                  {"1 < 2 < 30", 1}});
    CHECK(eval("1 <= x < 5", {{"x", 1}}) == 1);
    CHECK(eval("1 <= x < 5", {{"x", 4.5}}) == 1);
    CHECK(eval("1 <= x < 5", {{"x", 5}}) == 0);
    CHECK(eval("1 <= x < 5", {{"x", 0.5}}) == 0);
    CHECK(eval("(1 < 2) < 3", {}) == 1);
}

TEST_CASE("expression: chained comparison stops at the first false link") {
    CHECK(eval("5 < 1 < 1 / 0") == 0);
    CHECK(eval_error("1 < 2 < 1 / 0") == "division by zero");
    CHECK(eval("0 < 1 < 2 > 5 < 1 / 0") == 0);
}

TEST_CASE("expression: conditional evaluates the condition first and only the chosen branch") {
    check_values({{"1 if 1 else 2", 1},
                  {"1 if 0 else 2", 2},
                  {"1 / 0 if 0 else 5", 5},
                  {"5 if 1 else 1 / 0", 5},
                  {"x if x > 0 else -x", 3}},
                 {{"x", -3}});
    CHECK(eval_error("1 if 1 / 0 else 2") == "division by zero");
    CHECK(eval("(1 if x else 2) * 10", {{"x", 0}}) == 20);
}

TEST_CASE("expression: conditionals nest inside conditions, operands and chains") {
    check_values({{"1 if (0 if x else 1) else 2", 2},
                  {"(x and 3 if y or x else 4) * 2", 6},
                  {"1 < (5 if x else 0) < 3", 0},
                  {"1 if x < 2 else 2 if x < 3 else 3", 2},
                  {"-(x if y else -x) if x > 1 else 9", 2}},
                 {{"x", 2}, {"y", 0}});
}

TEST_CASE("expression: conditional is right-associative") {
    check_values({{"1 if 0 else 2 if 1 else 3", 2},
                  {"1 if 0 else 2 if 0 else 3", 3},
                  {"1 if 1 else 2 if 0 else 3", 1},
                  {"(1 if 0 else 2) if 0 else 3", 3}});
}

TEST_CASE("expression: and/or return an operand and short-circuit") {
    check_values({{"0 or 5", 5},
                  {"2 or 3", 2},
                  {"0 or 0", 0},
                  {"2 and 3", 3},
                  {"0 and 3", 0},
                  {"2 and 0", 0},
                  {"0 and 1 / 0", 0},
                  {"1 or 1 / 0", 1},
                  {"0 or 0 or 7", 7},
                  {"1 and 2 and 3", 3},
                  {"1 and 0 and 1 / 0", 0},
                  {"-2.5 or 1", -2.5},
                  {"(0 or 4) + 1", 5},
                  {"-(0 and 1)", 0},
                  {"-(1 and 2)", -2}});
    CHECK(eval_error("1 and 1 / 0") == "division by zero");
}

TEST_CASE("expression: not gives 1 or 0") {
    check_values({{"not 5", 0}, {"not 0", 1}, {"not -0.5", 0}, {"not not 5", 1}, {"not x", 1}},
                 {{"x", 0}});
}

TEST_CASE("expression: variables are slots in order of first appearance") {
    const Expression expression = parse_ok("b + a * b + c - a");
    CHECK(expression.variables() == std::vector<std::string>{"b", "a", "c"});
    CHECK(expression.evaluate(std::vector<double>{2, 3, 4}) == 2 + 3 * 2 + 4 - 3);
    CHECK(parse_ok("1 + True").variables().empty());
    CHECK(parse_ok("min(x, 1) if not y else round(z)").variables() ==
          std::vector<std::string>{"x", "y", "z"});
    CHECK(parse_ok("_a1 + A_b + Nonexistent").variables() ==
          std::vector<std::string>{"_a1", "A_b", "Nonexistent"});
}

TEST_CASE("expression: unknown names read as 0 through their slot") {
    CHECK(eval("score + 1") == 1);
    CHECK(eval("unknown_name == 0") == 1);
    CHECK(eval("score >= 3", {{"score", 3}}) == 1);
}

TEST_CASE("expression: division and modulo by zero") {
    for (const char* text : {"1 / 0", "1 // 0", "1 % 0", "0 / 0", "x / y", "x // y", "x % y",
                             "1 / 0.0", "5 % (1 - 1)", "1 / False"}) {
        CAPTURE(text);
        CHECK(eval_error(text, {{"x", 3}}) == "division by zero");
    }
}

TEST_CASE("expression: floor division and modulo follow Python for negatives") {
    check_values({{"-7 // 2", -4},
                  {"7 // -2", -4},
                  {"-7 // -2", 3},
                  {"7 // 2", 3},
                  {"-7 % 3", 2},
                  {"7 % -3", -2},
                  {"-7 % -3", -1},
                  {"-7.5 % 2", 0.5},
                  {"7.5 // 2", 3},
                  {"-0.5 // 1", -1},
                  {"5 % 2.5", 0},
                  {"1e-300 // -1e300", -1},
                  {"-1e-300 % 1e300", 1e300}});
    CHECK(std::signbit(eval("-6 % 3")) == false);
    CHECK(std::signbit(eval("6 % -3")) == true);
}

TEST_CASE("expression: exponent above 4000000") {
    CHECK(eval_error("2 ** 4000001") == "exponent 4000001 is above 4000000");
    CHECK(eval_error("1 ** 5000000") == "exponent 5000000 is above 4000000");
    CHECK(eval_error("2 ** 4000000.5") == "exponent 4000000.5 is above 4000000");
    CHECK(eval_error("2 ** 1e300") == "exponent 1e+300 is above 4000000");
    CHECK(eval_error("0 ** x", {{"x", 4e6 + 1}}) == "exponent 4000001 is above 4000000");
    CHECK(eval("1 ** 4000000") == 1);
    CHECK(eval("0.5 ** 4000000") == 0);
    CHECK(eval("2 ** -5000000") == 0);
}

TEST_CASE("expression: results that are not finite numbers") {
    for (const char* text : {"2 ** 4000000", "10 ** 308 * 10", "0 ** -1", "(-8) ** 0.5",
                             "1e308 + 1e308", "-1e308 - 1e308", "1e308 / 1e-308", "1e308 // 1e-308",
                             "round(1.7976931348623157e308, -308)"}) {
        CAPTURE(text);
        CHECK(eval_error(text) == "result is not a finite number");
    }
    CHECK(eval("(-8) ** 2") == 64);
    CHECK(eval("(-8) ** -1") == -0.125);
    CHECK(eval("1 / (10 ** 308)") == 1e-308);
}

TEST_CASE("expression: min max abs int float") {
    check_values({{"min(3, 1, 2)", 1},
                  {"max(3, 1, 2)", 3},
                  {"min(1, 2)", 1},
                  {"max(-1, -2)", -1},
                  {"min(1, 2,)", 1},
                  {"abs(-2.5)", 2.5},
                  {"abs(2)", 2},
                  {"int(2.7)", 2},
                  {"int(-2.7)", -2},
                  {"int(5)", 5},
                  {"float(3)", 3},
                  {"float(-0.5)", -0.5},
                  {"max(x, 10) - min(x, 10)", 6}},
                 {{"x", 4}});
    CHECK(std::signbit(eval("int(-0.5)")) == false);
}

TEST_CASE("expression: round half to even") {
    check_values({{"round(2.5)", 2},
                  {"round(3.5)", 4},
                  {"round(-2.5)", -2},
                  {"round(-3.5)", -4},
                  {"round(0.5)", 0},
                  {"round(1.5)", 2},
                  {"round(2.4)", 2},
                  {"round(2.6)", 3},
                  {"round(-0.4)", 0},
                  {"round(1e300)", 1e300},
                  {"round(4503599627370497)", 4503599627370497.0}});
    CHECK(std::signbit(eval("round(-0.4)")) == false);
}

TEST_CASE("expression: round with digits follows the exact binary value") {
    check_values({{"round(2.675, 2)", 2.67},    {"round(0.125, 2)", 0.12},
                  {"round(0.375, 2)", 0.38},    {"round(1.15, 1)", 1.1},
                  {"round(2.5, 0)", 2},         {"round(9.5e-5, 4)", 0.0001},
                  {"round(123.456, 1)", 123.5}, {"round(1.23456, 10)", 1.23456},
                  {"round(1e300, 2)", 1e300},   {"round(1234.5678, -2)", 1200},
                  {"round(150, -2)", 200},      {"round(250, -2)", 200},
                  {"round(-250, -2)", -200},    {"round(50, -2)", 0},
                  {"round(51, -2)", 100},       {"round(5, -1)", 0},
                  {"round(15, -1)", 20},        {"round(25, -1)", 20},
                  {"round(6e22, -23)", 1e23},   {"round(5e22, -23)", 0},
                  {"round(123, -400)", 0},      {"round(0, 3)", 0},
                  {"round(2.675, 2.9)", 2.67},  {"round(5e-324, 324)", 5e-324}});
    CHECK(std::signbit(eval("round(-0.4, 0)")) == true);
}

TEST_CASE("expression: function arity and unknown functions") {
    CHECK(parse_error("min(1)") == "0: min() takes at least 2 arguments");
    CHECK(parse_error("max()") == "0: max() takes at least 2 arguments");
    CHECK(parse_error("abs()") == "0: abs() takes exactly 1 argument");
    CHECK(parse_error("1 + abs(1, 2)") == "4: abs() takes exactly 1 argument");
    CHECK(parse_error("int(1, 2)") == "0: int() takes exactly 1 argument");
    CHECK(parse_error("float()") == "0: float() takes exactly 1 argument");
    CHECK(parse_error("round()") == "0: round() takes 1 or 2 arguments");
    CHECK(parse_error("round(1, 2, 3)") == "0: round() takes 1 or 2 arguments");
    CHECK(parse_error("foo(1)") == "0: unknown function 'foo'");
    CHECK(parse_error("2 * sqrt(4)") == "4: unknown function 'sqrt'");
    CHECK(parse_error("min") == "3: expected '(' after 'min' but found end of expression");
    CHECK(parse_error("max + 1") == "4: expected '(' after 'max' but found '+'");
}

TEST_CASE("expression: syntax errors name what was expected and found") {
    CHECK(parse_error("(1") == "2: expected ')' but found end of expression");
    CHECK(parse_error("(1 2") == "3: expected ')' but found '2'");
    CHECK(parse_error("and 1") == "0: expected an expression but found 'and'");
    CHECK(parse_error("1 + and") == "4: expected an expression but found 'and'");
    CHECK(parse_error("") == "0: expected an expression but found end of expression");
    CHECK(parse_error("   ") == "3: expected an expression but found end of expression");
    CHECK(parse_error("1 +") == "3: expected an expression but found end of expression");
    CHECK(parse_error("1 2") == "2: expected end of expression but found '2'");
    CHECK(parse_error("1)") == "1: expected end of expression but found ')'");
    CHECK(parse_error("1 if 2") == "6: expected 'else' but found end of expression");
    CHECK(parse_error("1 if 2 then 3") == "7: expected 'else' but found 'then'");
    CHECK(parse_error("1 else 2") == "2: expected end of expression but found 'else'");
    CHECK(parse_error("min(1 2)") == "6: expected ',' or ')' but found '2'");
    CHECK(parse_error("min(1,") == "6: expected an expression but found end of expression");
    CHECK(parse_error("min(,1)") == "4: expected an expression but found ','");
    CHECK(parse_error("x < < 1") == "4: expected an expression but found '<'");
    CHECK(parse_error("2 ** * 3") == "5: expected an expression but found '*'");
    CHECK(parse_error("True(1)") == "4: expected end of expression but found '('");
}

TEST_CASE("expression: unexpected characters") {
    CHECK(parse_error("1 + $") == "4: unexpected character '$'");
    CHECK(parse_error("x = 1") == "2: unexpected character '='");
    CHECK(parse_error("x ! 1") == "2: unexpected character '!'");
    CHECK(parse_error("x.y") == "1: unexpected character '.'");
    CHECK(parse_error("a[0]") == "1: unexpected character '['");
    CHECK(parse_error("'a'") == "0: unexpected character '''");
    CHECK(parse_error("1 + \x01") == "4: unexpected character U+0001");
    CHECK(parse_error("1 + \xC3\xA9") == "4: unexpected character '\xC3\xA9'");
    CHECK(parse_error("1 + \xFF") == "4: unexpected byte 0xFF");
    // The first error in reading order wins.
    CHECK(parse_error(") $") == "0: expected an expression but found ')'");
}

TEST_CASE("expression: whitespace between tokens") {
    CHECK(eval(" \t1\n+\r\n2 ") == 3);
    CHECK(eval("1+2*3") == 7);
}

TEST_CASE("expression: invalid and out-of-range numbers") {
    CHECK(parse_error("5abc") == "0: invalid number '5abc'");
    CHECK(parse_error("1 + 1e") == "4: invalid number '1e'");
    CHECK(parse_error("1.5.5") == "3: expected end of expression but found '.5'");
    CHECK(parse_error("1e999") == "0: number '1e999' is too large");
    CHECK(parse_error("2 * " + repeat("9", 400)) ==
          "4: number '" + repeat("9", 400) + "' is too large");
    CHECK(eval("0." + repeat("0", 400) + "1") == 0);
}

TEST_CASE("expression: length limit") {
    const std::string longest = repeat("1+", 499) + "1 ";
    REQUIRE(longest.size() == 1000);
    CHECK(eval(longest) == 500);
    CHECK(parse_error(longest + "1") == "1000: expression is longer than 1000 characters");
    for (const char* part : {"(", "-", "not ", "1+", ")", "$"}) {
        CAPTURE(part);
        CHECK(parse_error(repeat(part, 10'000)) ==
              "1000: expression is longer than 1000 characters");
    }
}

TEST_CASE("expression: nesting depth limit") {
    const std::string too_deep = "64: expression is nested deeper than 64 levels";
    SUBCASE("parentheses") {
        CHECK(eval(repeat("(", 64) + "1" + repeat(")", 64)) == 1);
        CHECK(parse_error(repeat("(", 65) + "1" + repeat(")", 65)) == too_deep);
        CHECK(parse_error(repeat("(", 1000)) == too_deep);
    }
    SUBCASE("unary minus and plus") {
        CHECK(eval(repeat("-", 64) + "1") == 1);
        CHECK(eval(repeat("-+", 32) + "x", {{"x", 2}}) == 2);
        CHECK(parse_error(repeat("-", 65) + "1") == too_deep);
        CHECK(parse_error(repeat("+", 1000)) == too_deep);
    }
    SUBCASE("not") {
        CHECK(eval(repeat("not ", 64) + "5") == 5.0 - 4.0);
        CHECK(parse_error(repeat("not ", 65) + "1") ==
              "256: expression is nested deeper than 64 levels");
        CHECK(parse_error(repeat("not ", 250)) ==
              "256: expression is nested deeper than 64 levels");
    }
    SUBCASE("calls") {
        CHECK(eval(repeat("abs(", 64) + "1" + repeat(")", 64)) == 1);
        // The unary minus inside is the 65th level.
        CHECK(parse_error(repeat("abs(", 64) + "-1" + repeat(")", 64)) ==
              "256: expression is nested deeper than 64 levels");
        CHECK(parse_error(repeat("abs(", 65) + "1" + repeat(")", 65)) ==
              "256: expression is nested deeper than 64 levels");
    }
    SUBCASE("conditionals") {
        CHECK(eval(repeat("0 if 0 else ", 64) + "7") == 7);
        CHECK(parse_error(repeat("0 if 0 else ", 65) + "7") ==
              "770: expression is nested deeper than 64 levels");
    }
    SUBCASE("mixed") {
        CHECK(eval(repeat("-(", 32) + "1" + repeat(")", 32)) == 1);
        CHECK(parse_error(repeat("-(", 33) + "1" + repeat(")", 33)) == too_deep);
    }
    SUBCASE("unary operands of power") {
        CHECK(eval(repeat("1 ** -", 64) + "1") == 1);
        CHECK(parse_error(repeat("1**-", 65) + "1") ==
              "259: expression is nested deeper than 64 levels");
    }
}

TEST_CASE("expression: long operator chains are loops, not nesting") {
    CHECK(eval(repeat("1+", 499) + "1") == 500);
    CHECK(eval(repeat("x*", 199) + "x", {{"x", 1}}) == 1);
    CHECK(eval(repeat("1 ** ", 199) + "2") == 1);
    CHECK(eval(repeat("2 ** ", 2) + "2") == 16);
    CHECK(eval(repeat("x and ", 150) + "7", {{"x", 1}}) == 7);
    CHECK(eval(repeat("x or ", 150) + "7", {{"x", 0}}) == 7);
    CHECK(eval(repeat("1 < ", 200) + "2") == 0);
    CHECK(eval(repeat("x <= ", 150) + "x", {{"x", 3}}) == 1);
}

TEST_CASE("expression: deep evaluation stacks fall back to the heap") {
    std::string arguments = "x";
    for (int i = 1; i < 120; ++i) {
        arguments += ",x+" + std::to_string(i);
    }
    CHECK(eval("min(" + arguments + ")", {{"x", 2}}) == 2);
    CHECK(eval("max(" + arguments + ")", {{"x", 2}}) == 121);
    CHECK(eval(repeat("1+(", 60) + "1" + repeat(")", 60)) == 61);
    CHECK(eval_partial("max(" + arguments + ")") == std::nullopt);
    CHECK(eval_partial("max(" + arguments + ")", {{"x", 0}}) == 119);
}

TEST_CASE("expression: evaluate_partial short-circuits on known values") {
    CHECK(eval_partial("0 and x") == 0);
    CHECK(eval_partial("1 or x") == 1);
    CHECK(eval_partial("1 and x") == std::nullopt);
    CHECK(eval_partial("0 or x") == std::nullopt);
    CHECK(eval_partial("x and 0") == std::nullopt);
    CHECK(eval_partial("x and 1 / 0") == std::nullopt);
    CHECK(eval_partial("x if 1 else y", {{"x", 5}}) == 5);
    CHECK(eval_partial("x if 0 else y", {{"x", 5}}) == std::nullopt);
    CHECK(eval_partial("x if 1 else y") == std::nullopt);
    CHECK(eval_partial("x if c else y", {{"x", 1}, {"y", 1}}) == std::nullopt);
    CHECK(eval_partial("1 / 0 if c else 2") == std::nullopt);
    CHECK(eval_partial("1 < 0 < x") == 0);
    CHECK(eval_partial("0 < 1 < x") == std::nullopt);
    CHECK(eval_partial("x < 1 < 2") == std::nullopt);
}

TEST_CASE("expression: evaluate_partial propagates unknowns") {
    CHECK(eval_partial("a + b", {{"a", 1}, {"b", 2}}) == 3);
    CHECK(eval_partial("a + b", {{"a", 1}}) == std::nullopt);
    CHECK(eval_partial("1 / x") == std::nullopt);
    CHECK(eval_partial("not x") == std::nullopt);
    CHECK(eval_partial("-x") == std::nullopt);
    CHECK(eval_partial("round(x, 2)") == std::nullopt);
    CHECK(eval_partial("round(2.5, x)") == std::nullopt);
    CHECK(eval_partial("min(x, 1)") == std::nullopt);
    CHECK(eval_partial("max(1, 2, x)") == std::nullopt);
    CHECK(eval_partial("max(1, 2, x)", {{"x", 3}}) == 3);
    CHECK(eval_partial("(x and 1) + 1") == std::nullopt);
    // Conservative: not deduced even where every value of x gives the same result.
    CHECK(eval_partial("x * 0") == std::nullopt);
    CHECK(eval_partial("x < 5 < 3") == std::nullopt);
}

TEST_CASE("expression: evaluate_partial throws errors that happen whatever the unknowns are") {
    CHECK(eval_partial_error("x / 0") == "division by zero");
    CHECK(eval_partial_error("x // 0") == "division by zero");
    CHECK(eval_partial_error("x % (y - y)", {{"y", 2}}) == "division by zero");
    CHECK(eval_partial_error("x ** 5000000") == "exponent 5000000 is above 4000000");
    CHECK(eval_partial_error("x + 1 / 0") == "division by zero");
    CHECK(eval_partial_error("(x and 1) + 1 / 0") == "division by zero");
    CHECK(eval_partial_error("x + 1e308 * 10") == "result is not a finite number");
    CHECK(eval_partial_error("0 ** x") == "no error");
    CHECK(eval_partial_error("x ** 0.5") == "no error");
}

TEST_CASE("expression: constant_value") {
    CHECK(parse_ok("1 + 2").constant_value() == 3);
    CHECK(parse_ok("True").constant_value() == 1);
    CHECK(parse_ok("round(2.5) + min(4, -1)").constant_value() == 1);
    CHECK(parse_ok("1 if 0 else -2").constant_value() == -2);
    CHECK(parse_ok("x").constant_value() == std::nullopt);
    CHECK(parse_ok("x - x").constant_value() == std::nullopt);
    CHECK(parse_ok("0 and x").constant_value() == std::nullopt);
    CHECK(parse_ok("1 / 0").constant_value() == std::nullopt);
    CHECK(parse_ok("2 ** 4000001").constant_value() == std::nullopt);
    // A failing constant still fails when evaluated.
    CHECK(eval_error("1 / 0") == "division by zero");
}

TEST_CASE("expression: slot count must match variables") {
    const Expression expression = parse_ok("x + y");
    CHECK_THROWS_AS(expression.evaluate(std::vector<double>{1}), std::invalid_argument);
    CHECK_THROWS_AS(expression.evaluate_partial(std::vector<std::optional<double>>{1, 2, 3}),
                    std::invalid_argument);
}

TEST_CASE("expression: copies share the parsed program") {
    const Expression original = parse_ok("a * 2");
    const Expression copy = original;  // NOLINT(performance-unnecessary-copy-initialization)
    CHECK(&copy.variables() == &original.variables());
    CHECK(copy.evaluate(std::vector<double>{4}) == 8);
}

TEST_CASE("expression: is_variable_name") {
    using chat::expr::is_variable_name;
    for (const char* name : {"x", "_", "_a1", "A_b", "score2", "None", "If", "minimum"}) {
        CAPTURE(name);
        CHECK(is_variable_name(name));
    }
    for (const char* name : {"", "1a", "a-b", "a b", "\xC3\xA9", "and", "or", "not", "if", "else",
                             "True", "False", "min", "max", "abs", "round", "int", "float"}) {
        CAPTURE(name);
        CHECK_FALSE(is_variable_name(name));
    }
    CHECK(parse_error("if") == "0: expected an expression but found 'if'");
}

TEST_CASE("can_fail: division, modulo and powers can fail, other operations cannot") {
    auto can_fail = [](std::string_view text) {
        auto parsed = chat::expr::Expression::parse(text);
        REQUIRE(std::holds_alternative<chat::expr::Expression>(parsed));
        return std::get<chat::expr::Expression>(parsed).can_fail();
    };
    CHECK(can_fail("total / count"));
    CHECK(can_fail("a // b"));
    CHECK(can_fail("a % b"));
    CHECK(can_fail("2 ** n"));
    CHECK_FALSE(can_fail("asked + 1"));
    CHECK_FALSE(can_fail("n / 2"));
    CHECK_FALSE(can_fail("n % 7 + n // 3"));
    CHECK_FALSE(can_fail("n ** 2"));
    CHECK(can_fail("n ** 0.5"));             // a negative base has no real root
    CHECK(can_fail("n ** -1"));              // 0 ** -1 divides by zero
    CHECK(can_fail("n / (2 if a else 0)"));  // the constant before '/' is one branch only
    CHECK(can_fail("n / (a and 2)"));
    CHECK_FALSE(can_fail("min(a, b) * 3 if a < b else round(c, 2)"));
}
