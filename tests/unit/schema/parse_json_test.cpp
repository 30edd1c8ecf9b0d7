#include "schema/parse_json.hpp"
#include "schema/text_position.hpp"
#include "schema/validate_helpers.hpp"

#include <doctest/doctest.h>

#include <string>

using chat::schema::Node;
using chat::schema::NodeKind;
using chat::schema::parse_json;
using chat::schema::ParseFailure;
using chat::test::Lines;
using chat::test::validate_json;

namespace {

// "LINE:COL: message" of a text that must fail to parse.
std::string failure_of(std::string_view text) {
    auto parsed = parse_json(text);
    const auto* failure = std::get_if<ParseFailure>(&parsed);
    if (failure == nullptr) {
        return "(parsed)";
    }
    return std::to_string(failure->position.line) + ":" + std::to_string(failure->position.column) +
           ": " + failure->message;
}

Node parsed_node(std::string_view text) {
    auto parsed = parse_json(text);
    REQUIRE(std::holds_alternative<Node>(parsed));
    return std::get<Node>(std::move(parsed));
}

}  // namespace

TEST_CASE("parse_json: values keep their kind, text and position") {
    Node root = parsed_node("{\n  \"a\": [1, -2.5e3, true, null],\n  \"b\": \"x\\u00e9\\n\"\n}");
    REQUIRE(root.kind == NodeKind::mapping);
    REQUIRE(root.entries.size() == 2);
    const auto& [key_a, list] = root.entries[0];
    CHECK(key_a.text == "a");
    CHECK(key_a.position.line == 2);
    CHECK(key_a.position.column == 3);
    REQUIRE(list.items.size() == 4);
    CHECK(list.items[1].text == "-2.5e3");
    CHECK_FALSE(list.items[1].is_quoted);
    CHECK(list.items[3].text == "null");
    CHECK(list.items[3].position.column == 26);
    const auto& text = root.entries[1].value;
    CHECK(text.is_quoted);
    CHECK(text.text == "x\xC3\xA9\n");
    CHECK(text.position.line == 3);
    CHECK(text.position.column == 8);
}

TEST_CASE("parse_json: surrogate pairs become one UTF-8 sequence") {
    CHECK(parsed_node("\"\\ud83d\\ude00\"").text == "\xF0\x9F\x98\x80");
    CHECK(failure_of("\"\\ud83d x\"") ==
          "1:2: \\u escape holds a high surrogate without its low surrogate");
    CHECK(failure_of("\"\\ude00\"") == "1:2: \\u escape holds a lone low surrogate");
}

TEST_CASE("parse_json: a byte order mark is skipped") {
    CHECK(parsed_node("\xEF\xBB\xBF[1]").items.size() == 1);
}

TEST_CASE("parse_json: syntax errors point at the offending character") {
    CHECK(failure_of("") == "1:1: the file is empty");
    CHECK(failure_of("  \n ") == "2:2: the file is empty");
    CHECK(failure_of("{\"a\": 1} x") == "1:10: unexpected 'x' after the end of the JSON value");
    CHECK(failure_of("{\"a\": 1,}") ==
          "1:9: expected an object key after ','; trailing commas are not allowed");
    CHECK(failure_of("[1, 2,]") ==
          "1:7: unexpected ']'; expected a value (object, array, string, number, true, false "
          "or null)");
    CHECK(failure_of("{\"a\" 1}") == "1:6: expected ':' after the object key");
    CHECK(failure_of("{\"a\": 1 \"b\": 2}") == "1:9: expected ',' or '}' after an object member");
    CHECK(failure_of("[1 2]") == "1:4: expected ',' or ']' after an array element");
    CHECK(failure_of("{1: 2}") == "1:2: expected a string as object key");
    CHECK(failure_of("{\"a\": [1,\n") == "2:1: unexpected end of the file; expected a value");
    CHECK(failure_of("\"abc") == "1:1: unterminated string");
    CHECK(failure_of("\"a\nb\"") ==
          "1:3: control character in a string; write it as an escape such as \\n or \\t");
    CHECK(failure_of("\"\\q\"") == "1:2: invalid escape sequence '\\q'");
    CHECK(failure_of("\"\\u12\"") == "1:2: \\u escape needs four hexadecimal digits");
    CHECK(failure_of("[tru]") ==
          "1:2: unexpected 't'; expected a value (object, array, string, number, true, false "
          "or null)");
    CHECK(failure_of("// comment\n{}") ==
          "1:1: unexpected '/'; expected a value (object, array, string, number, true, false "
          "or null)");
}

TEST_CASE("parse_json: numbers follow RFC 8259") {
    CHECK(parsed_node("-0.5E+2").text == "-0.5E+2");
    CHECK(failure_of("012") == "1:1: invalid number: leading zeros are not allowed");
    CHECK(failure_of("-") == "1:2: invalid number: expected a digit");
    CHECK(failure_of("1.") == "1:3: invalid number: expected a digit after '.'");
    CHECK(failure_of("1e+") == "1:4: invalid number: expected a digit in the exponent");
    CHECK(failure_of(".5") ==
          "1:1: unexpected '.'; expected a value (object, array, string, number, true, false "
          "or null)");
}

TEST_CASE("parse_json: duplicate keys are failures at the second key") {
    CHECK(failure_of("{\"a\": 1,\n \"a\": 2}") == "2:2: duplicate key 'a'");
}

TEST_CASE("parse_json: nesting is limited without recursion") {
    CHECK(parsed_node(std::string(64, '[') + std::string(64, ']')).kind == NodeKind::sequence);
    CHECK(failure_of(std::string(65, '[') + std::string(65, ']')) ==
          "1:65: nesting deeper than 64 levels");
    CHECK(failure_of(std::string(1'000'000, '[')) == "1:65: nesting deeper than 64 levels");
}

TEST_CASE("find_invalid_utf8: well-formed sequences pass, others are located") {
    using chat::schema::find_invalid_utf8;
    CHECK_FALSE(
        find_invalid_utf8("plain \xC5\x82\xC3\xB3"
                          "d\xC5\xBA \xF0\x9F\x98\x80"));
    auto where = [](std::string_view text) {
        auto failure = find_invalid_utf8(text);
        return failure ? std::to_string(failure->position.line) + ":" +
                             std::to_string(failure->position.column) + ": " + failure->message
                       : std::string("(valid)");
    };
    CHECK(where("ab\ncd\xFF") == "2:3: invalid UTF-8 (byte 0xFF); schema files must be UTF-8");
    CHECK(where("\xC0\xAF") == "1:1: invalid UTF-8 (byte 0xC0); schema files must be UTF-8");
    CHECK(where("x\xED\xA0\x80") == "1:2: invalid UTF-8 (byte 0xED); schema files must be UTF-8");
    CHECK(where("\xF4\x90\x80\x80") ==
          "1:1: invalid UTF-8 (byte 0xF4); schema files must be UTF-8");
    CHECK(where("\xE2\x82") == "1:1: invalid UTF-8 (byte 0xE2); schema files must be UTF-8");
}

TEST_CASE("validate: JSON schemas get the same checks as YAML, located in the JSON text") {
    CHECK(validate_json("{\"name\": \"t\", \"type\": \"survey\",\n"
                        " \"questions\": [{\"qid\": 1, \"type\": \"text\", \"text\": \"a\", "
                        "\"next_qid\": 7}]}") ==
          Lines{"2:68: error: next_qid of question 1 (text) is 7, which names no question "
                "[unknown-next-qid]"});
    CHECK(validate_json("{\"name\": \"t\"} ]") ==
          Lines{"1:15: error: invalid JSON: unexpected ']' after the end of the JSON value "
                "[syntax]"});
    CHECK(validate_json("{\"name\": \"t\", \"type\": \"survey\", \"questions\": 5}") ==
          Lines{"1:46: error: questions must be a list, found integer 5 [wrong-type]"});
}

TEST_CASE("columns count characters, in JSON and YAML alike") {
    const char* polish = "Za\xC5\xBC\xC3\xB3\xC5\x82\xC4\x87 g\xC4\x99\xC5\x9Bl\xC4\x85?";
    std::string json = std::string(
                           "{\"name\": \"t\", \"type\": \"survey\", \"questions\": [{\"qid\": "
                           "1, \"type\": \"text\", \"text\": \"") +
                       polish + "\", \"next_qid\": 9}]}";
    CHECK(validate_json(json) == Lines{"1:111: error: next_qid of question 1 (text) is 9, which "
                                       "names no question [unknown-next-qid]"});
    std::string yaml = std::string(
                           "name: t\ntype: survey\nquestions:\n  - {qid: 1, type: text, "
                           "text: \"") +
                       polish + "\", next_qid: 9}\n";
    CHECK(chat::test::validate_yaml(yaml) ==
          Lines{"4:59: error: next_qid of question 1 (text) is 9, which names no question "
                "[unknown-next-qid]"});
    std::string placeholder =
        std::string("name: t\ntype: survey\nquestions:\n  - {qid: 1, type: text, text: \"") +
        polish + " {{ var.x }}\", next_qid: -1}\n";
    CHECK(chat::test::validate_yaml(placeholder).at(0).substr(0, 6) == "4:47: ");
}
