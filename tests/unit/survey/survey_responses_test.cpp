// check_responses (SPEC §10 stateless mode): every VALUE shape, keys that name no question, id
// copying, the layout of `errors`, expression errors, and malformed lines with their line,
// column and message. Outputs are compared whole.

#include <chat/diagnostics.hpp>
#include <chat/runtime_schema.hpp>
#include <chat/schema.hpp>
#include <chat/source_text.hpp>
#include <chat/survey_responses.hpp>

#include <doctest/doctest.h>

#include <sstream>
#include <string>
#include <utility>
#include <vector>

using chat::k_max_response_line_bytes;
using chat::MalformedLine;
using chat::MalformedLineSink;
using chat::ResponseSummary;
using chat::RuntimeSchema;

namespace {

// 1 (choice, required) -> Good: 2, Bad: 3; 2 (open multichoice, "Nothing" exclusive) -> 3;
// 3 (int, required) -> 4 (fork: 5 when 10 / score >= 5, else 10); 5 (text, required) -> 10
// (date) -> 11 (message). Answers are named in English or Polish. Food divides by zero when
// score is 2 (after Good); the fork divides by zero after Nothing (the question-level
// modification of 3, which a conversation applies and a survey does not, keeps the static
// checks from seeing it).
constexpr const char* k_schema = R"yaml(name: t
type: survey
languages: [en, pl]
questions:
  - qid: 1
    type: choice
    required: true
    text: {en: Mood?, pl: Nastrój?}
    answers:
      - {text: {en: Good, pl: Dobrze}, next_qid: 2, variable_modifications: [[score, "2"]]}
      - {text: {en: Bad, pl: Źle}, next_qid: 3, variable_modifications: [[score, "1"]]}
  - qid: 2
    type: multichoice
    choice_open: true
    text: {en: Why?, pl: Czemu?}
    answers:
      - {text: {en: Sleep, pl: Sen}, next_qid: 3}
      - {text: {en: Food, pl: Jedzenie}, next_qid: 3,
         variable_modifications: [[score, "score / (score - 2)"]]
}
      - {text: {en: Nothing, pl: Nic}, exclusive: true, next_qid: 3,
         variable_modifications: [[score, "0"]]}
  - qid: 3
    type: int
    required: true
    text: {en: Age?, pl: Wiek?}
    variable_modifications: [[score, "score + 1"]]
    next_qid: 4
  - qid: 4
    type: fork
    forking_rules: [["5", "10 / score >= 5"], ["10", "True"]]
  - qid: 5
    type: text
    required: true
    text: {en: More?, pl: Więcej?}
    next_qid: 10
  - qid: 10
    type: date
    text: {en: When?, pl: Kiedy?}
    next_qid: 11
  - qid: 11
    type: message
    text: {en: Thanks, pl: Dzięki}
    next_qid: -1
)yaml";

const RuntimeSchema& test_schema() {
    static const RuntimeSchema schema = [] {
        chat::SourceText source(k_schema);
        chat::CollectingSink diagnostics;
        auto parsed = chat::schema::validate_schema(
            source, "t.yaml", chat::schema::FileFormat::yaml, chat::Config{}, diagnostics);
        REQUIRE_MESSAGE(parsed, "test schema must be valid");
        return RuntimeSchema(std::move(*parsed));
    }();
    return schema;
}

class CollectingLineSink final : public MalformedLineSink {
public:
    void malformed(const MalformedLine& line) override {
        lines.push_back(std::to_string(line.line) + ":" + std::to_string(line.column) + ": " +
                        line.message);
    }
    std::vector<std::string> lines;
};

struct Checked {
    std::string out;
    std::vector<std::string> malformed;  // "LINE:COLUMN: MESSAGE"
    ResponseSummary summary;
};

Checked check(const std::string& input) {
    std::istringstream in(input);
    std::ostringstream out;
    CollectingLineSink sink;
    Checked checked;
    checked.summary = chat::check_responses(test_schema(), in, out, sink);
    checked.out = out.str();
    checked.malformed = std::move(sink.lines);
    return checked;
}

// The output line of one response line, without its '\n'.
std::string result_of(const std::string& line) {
    auto checked = check(line + "\n");
    REQUIRE(!checked.out.empty());
    REQUIRE(checked.out.back() == '\n');
    checked.out.pop_back();
    return checked.out;
}

// The `errors` of a response answering qid 1 with Bad and qid 3 (int) with a VALUE, to the
// end of the output line.
std::string errors_of_value(const std::string& value) {
    std::string out = result_of(R"({"id":1,"answers":{"1":[1],"3":)" + value + "}}");
    auto errors = out.find(R"("errors":)");
    REQUIRE(errors != std::string::npos);
    return out.substr(errors);
}

// The output of a VALUE for the open multichoice qid 2 (after Good; 3 answered).
const std::string k_valid_choice =
    R"({"id":1,"visibility":[1,2,3,4,5,10,11],"completed":false,"hidden_answers":[],"errors":{}})";
std::string invalid_choice(const std::string& errors) {
    return R"({"id":1,"visibility":[1,2],"completed":true,"hidden_answers":[3],"errors":{"2":)" +
           errors + "}}";
}
std::string result_of_choice(const std::string& value) {
    return result_of(R"({"id":1,"answers":{"1":[0],"2":)" + value + R"(,"3":"7"}})");
}

struct Malformed {
    std::string out;      // the output line
    std::string finding;  // "LINE:COLUMN: MESSAGE" as the sink got it
};

Malformed malformed_of(const std::string& line) {
    auto checked = check(line + "\n");
    REQUIRE(checked.malformed.size() == 1);
    CHECK(checked.summary.malformed == 1);
    CHECK(checked.summary.responses == 0);
    return {checked.out, checked.malformed.front()};
}

std::string malformed_output(int line, const std::string& message) {
    return R"({"line":)" + std::to_string(line) +
           R"(,"error":{"code":"MALFORMED_LINE","message":")" + message + "\"}}\n";
}

// Checks a malformed line's finding and that the output line carries the same message.
void check_malformed(const std::string& line, const std::string& finding) {
    CAPTURE(line);
    auto result = malformed_of(line);
    CHECK(result.finding == finding);
    auto message = finding.substr(finding.find(": ") + 2);
    std::string escaped;
    for (char c : message) {
        if (c == '"' || c == '\\') {
            escaped += '\\';
        }
        escaped += c;
    }
    CHECK(result.out == malformed_output(1, escaped));
}

const std::string k_valid_1 = R"("errors":{}})";

}  // namespace

TEST_CASE("check_responses: a valid response gives the state and no errors") {
    CHECK(result_of(R"({"id": 1, "answers": {"1": ["Good"], "2": ["Sleep"], "3": "42", )"
                    R"("5": "x", "10": "2024-01-02"}})") ==
          R"({"id":1,"visibility":[1,2,3,4,5,10,11],"completed":true,"hidden_answers":[],)"
          R"("errors":{}})");
    CHECK(result_of(R"({"id":"r1","answers":{}})") ==
          R"({"id":"r1","visibility":[1],"completed":false,"hidden_answers":[],"errors":{}})");
}

TEST_CASE("check_responses: text values") {
    SUBCASE("a string") {
        CHECK(errors_of_value(R"("42")") == k_valid_1);
    }
    SUBCASE("a number is its text as written") {
        CHECK(errors_of_value("42") == k_valid_1);
        CHECK(errors_of_value("-7") == k_valid_1);
        CHECK(errors_of_value("4.5") == R"("errors":{"3":{"text":["WRONG_VALUE"]}}})");
        CHECK(errors_of_value("1e2") == R"("errors":{"3":{"text":["WRONG_VALUE"]}}})");
    }
    SUBCASE("escapes are read") {
        CHECK(errors_of_value(R"("\u0034\u0032")") == k_valid_1);
    }
    SUBCASE("an empty text") {
        CHECK(errors_of_value(R"("")") == R"("errors":{"3":{"text":["REQUIRED"]}}})");
    }
    SUBCASE("an object with a text") {
        CHECK(errors_of_value(R"({"text":"42"})") == k_valid_1);
    }
    SUBCASE("answers on a typed question") {
        CHECK(errors_of_value(R"(["42"])") ==
              R"("errors":{"3":{"answers":["WRONG_STATE"],"text":["REQUIRED"]}}})");
    }
}

TEST_CASE("check_responses: answers by text in any language or by position") {
    const std::string& valid = k_valid_choice;
    CHECK(result_of_choice(R"(["Sleep"])") == valid);
    CHECK(result_of_choice(R"(["Sen"])") == valid);
    CHECK(result_of_choice(R"([0])") == valid);
    CHECK(result_of_choice(R"(["Sleep", 2])") == invalid_choice(R"({"answers":["EXCLUSIVE"]})"));
    CHECK(result_of_choice(R"(["\u0053leep"])") == valid);
    CHECK(result_of(R"({"id":1,"answers":{"1":["Dobrze", 1]}})") ==
          R"({"id":1,"visibility":[1],"completed":false,"hidden_answers":[],)"
          R"("errors":{"1":{"answers":["TOO_MANY"]}}})");
    SUBCASE("positions no answer has") {
        const std::string wrong = invalid_choice(R"({"answers":["WRONG_VALUE"]})");
        CHECK(result_of_choice("[3]") == wrong);
        CHECK(result_of_choice("[-1]") == wrong);
        CHECK(result_of_choice("[99999999999999999999]") == wrong);
        CHECK(result_of_choice(R"(["Sleep", "Sen"])") == wrong);
    }
    SUBCASE("no answer") {
        CHECK(result_of_choice("[]") == invalid_choice(R"({"answers":["REQUIRED"]})"));
    }
}

TEST_CASE("check_responses: open choice objects") {
    const std::string& valid = k_valid_choice;
    const std::string required = invalid_choice(R"({"answers":["REQUIRED"]})");
    CHECK(result_of_choice(R"({"answers": ["Sleep"], "text": "and stress"})") == valid);
    CHECK(result_of_choice(R"({"text": "tired", "answers": [0]})") == valid);
    CHECK(result_of_choice(R"({"answers": [0]})") == valid);
    CHECK(result_of_choice(R"({"answers": [0], "text": null})") == valid);
    CHECK(result_of_choice(R"({"answers": [0], "text": 12})") == valid);
    CHECK(result_of_choice(R"({"text": "only text"})") == required);
    CHECK(result_of_choice(R"({})") == required);
    CHECK(result_of_choice(R"({"answers": null})") == required);
    CHECK(result_of(R"({"id":1,"answers":{"1":{"answers":[0],"text":"why"}}})") ==
          R"({"id":1,"visibility":[1],"completed":false,"hidden_answers":[],)"
          R"("errors":{"1":{"text":["WRONG_STATE"]}}})");
}

TEST_CASE("check_responses: values of no known shape are WRONG_VALUE") {
    const std::string wrong = R"("errors":{"3":{"text":["WRONG_VALUE"]}}})";
    for (const char* value :
         {"true", "false", "[1.5]", "[true]", "[null]", "[[0]]", R"([{"a":1}])", R"(["7", 1e0])",
          R"({"answers":"Sleep"})", R"({"text":["x"]})", R"({"text":true})", R"({"other":1})",
          R"({"answers":[0],"answers":[1]})", R"({"text":"1","text":"2"})",
          R"({"answers":[[[[]]]], "text":{"a":[1,{"b":null}]}})"}) {
        CAPTURE(value);
        CHECK(errors_of_value(value) == wrong);
    }
}

TEST_CASE("check_responses: null is no answer") {
    CHECK(result_of(R"({"id":1,"answers":{"1":null,"11":null}})") ==
          R"({"id":1,"visibility":[1],"completed":false,"hidden_answers":[],"errors":{}})");
}

TEST_CASE("check_responses: questions that take no answer") {
    CHECK(result_of(R"({"id":1,"answers":{"1":[0],"2":[0],"3":"1","11":"x"}})") ==
          R"({"id":1,"visibility":[1,2,3,4,5,10,11],"completed":false,"hidden_answers":[],)"
          R"("errors":{"11":{"question":["WRONG_STATE"]}}})");
    SUBCASE("a failing fork that was answered keeps its WRONG_STATE") {
        CHECK(result_of(R"({"id":1,"answers":{"1":[0],"2":[2],"3":"1","4":"x"}})") ==
              R"({"id":1,"visibility":[1,2,3,4],"completed":true,"hidden_answers":[],)"
              R"("errors":{"4":{"question":["WRONG_STATE"]}}})");
    }
}

TEST_CASE("check_responses: expression errors") {
    SUBCASE("a fork") {
        CHECK(result_of(R"({"id":1,"answers":{"1":["Good"],"2":["Nothing"],"3":"30"}})") ==
              R"({"id":1,"visibility":[1,2,3,4],"completed":true,"hidden_answers":[],)"
              R"("errors":{"4":{"question":["EXPRESSION_ERROR"]}}})");
    }
    SUBCASE("an answer's modification") {
        CHECK(result_of(R"({"id":1,"answers":{"1":[0],"2":["Food"],"3":"30","5":"x"}})") ==
              R"({"id":1,"visibility":[1,2,3,4,5,10,11],"completed":true,"hidden_answers":[],)"
              R"("errors":{"2":{"question":["EXPRESSION_ERROR"]}}})");
    }
}

TEST_CASE("check_responses: invalid answers count as absent") {
    CHECK(result_of(R"({"id":1,"answers":{"1":["Maybe"],"3":"30","5":"x"}})") ==
          R"({"id":1,"visibility":[1],"completed":false,"hidden_answers":[3,5],)"
          R"("errors":{"1":{"answers":["WRONG_VALUE"]}}})");
}

TEST_CASE("check_responses: keys that name no question of the schema") {
    SUBCASE("each is reported whatever its value") {
        CHECK(result_of(R"({"id":1,"answers":{"99":"x","abc":null,"07":[1],"-1":{"a":1},)"
                        R"("":true,"1.0":1," 1":1,"+1":1,"a\"b":2}})") ==
              R"({"id":1,"visibility":[1],"completed":false,"hidden_answers":[],"errors":{)"
              R"("99":{"question":["QUESTION_FROM_WRONG_SCHEMA"]},)"
              R"("abc":{"question":["QUESTION_FROM_WRONG_SCHEMA"]},)"
              R"("07":{"question":["QUESTION_FROM_WRONG_SCHEMA"]},)"
              R"("-1":{"question":["QUESTION_FROM_WRONG_SCHEMA"]},)"
              R"("":{"question":["QUESTION_FROM_WRONG_SCHEMA"]},)"
              R"("1.0":{"question":["QUESTION_FROM_WRONG_SCHEMA"]},)"
              R"(" 1":{"question":["QUESTION_FROM_WRONG_SCHEMA"]},)"
              R"("+1":{"question":["QUESTION_FROM_WRONG_SCHEMA"]},)"
              R"("a\"b":{"question":["QUESTION_FROM_WRONG_SCHEMA"]}}})");
    }
    SUBCASE("a qid beyond 64 bits") {
        CHECK(result_of(R"({"answers":{"99999999999999999999":1}})") ==
              R"({"id":null,"visibility":[1],"completed":false,"hidden_answers":[],"errors":{)"
              R"("99999999999999999999":{"question":["QUESTION_FROM_WRONG_SCHEMA"]}}})");
    }
}

TEST_CASE("check_responses: errors by ascending qid, then unknown keys in input order") {
    CHECK(result_of(R"({"id":1,"answers":{"zz":1,"10":"x","1":["Good"],"99":1,"3":"x","2":[]}})") ==
          R"({"id":1,"visibility":[1,2],"completed":true,"hidden_answers":[],"errors":{)"
          R"("2":{"answers":["REQUIRED"]},"3":{"text":["WRONG_VALUE"]},)"
          R"("10":{"text":["WRONG_VALUE"]},)"
          R"("zz":{"question":["QUESTION_FROM_WRONG_SCHEMA"]},)"
          R"("99":{"question":["QUESTION_FROM_WRONG_SCHEMA"]}}})");
    SUBCASE("several fields, sorted") {
        CHECK(result_of(R"({"id":1,"answers":{"1":"why"}})") ==
              R"({"id":1,"visibility":[1],"completed":false,"hidden_answers":[],"errors":{)"
              R"("1":{"answers":["REQUIRED"],"text":["WRONG_STATE"]}}})");
    }
}

TEST_CASE("check_responses: the id is copied as written") {
    auto id_of = [](const std::string& id) {
        std::string out = result_of(R"({"answers":{}, "id": )" + id + " }");
        std::string suffix = R"(,"visibility":[1],"completed":false,"hidden_answers":[],)"
                             R"("errors":{}})";
        REQUIRE(out.size() > suffix.size());
        CHECK(out.substr(out.size() - suffix.size()) == suffix);
        return out.substr(0, out.size() - suffix.size());
    };
    CHECK(id_of(R"("a\"b\\c\u00e9\/d")") == R"({"id":"a\"b\\c\u00e9\/d")");
    CHECK(id_of(R"("zażółć")") == R"({"id":"zażółć")");
    CHECK(id_of("-12.50e+03") == R"({"id":-12.50e+03)");
    CHECK(id_of("12345678901234567890123") == R"({"id":12345678901234567890123)");
    CHECK(id_of("null") == R"({"id":null)");
    CHECK(id_of("true") == R"({"id":true)");
    CHECK(result_of(R"({"answers":{}})") ==
          R"({"id":null,"visibility":[1],"completed":false,"hidden_answers":[],"errors":{}})");
    CHECK(result_of("{}") ==
          R"({"id":null,"visibility":[1],"completed":false,"hidden_answers":[],"errors":{}})");
}

TEST_CASE("check_responses: malformed lines") {
    SUBCASE("not an object") {
        check_malformed("not json", "1:1: expected '{' at the start of a response");
        check_malformed("[1]", "1:1: expected '{' at the start of a response");
        check_malformed(R"("x")", "1:1: expected '{' at the start of a response");
    }
    SUBCASE("truncated") {
        check_malformed(R"({"id":1)", "1:8: expected ',' or '}' after a value");
        check_malformed(R"({"id")", "1:6: expected ':' after a key");
        check_malformed(R"({"id":)", "1:7: expected a string, a number or null as \"id\"");
        check_malformed(R"({"answers":{"3":["a")", "1:21: expected ',' or ']' after a value");
        check_malformed(R"({"id":"abc)", "1:11: expected '\"' to close the string");
        check_malformed("{", "1:2: expected a key string or '}'");
    }
    SUBCASE("trailing garbage") {
        check_malformed(R"({"id":1}})", "1:9: expected the end of the line after the response");
        check_malformed(R"({"id":1} {})", "1:10: expected the end of the line after the response");
    }
    SUBCASE("structure") {
        check_malformed(R"({"id":1,})", "1:9: expected a key string after ','");
        check_malformed(R"({"answers":{3:"x"}})", "1:13: expected a key string or '}'");
        check_malformed(R"({"answers":{"3" "x"}})", "1:17: expected ':' after a key");
        check_malformed(R"({"answers":{"3":}})", "1:17: expected a value");
        check_malformed(R"({"answers":{"3":[1,]}})", "1:20: expected a value");
        check_malformed(R"({"answers":{"2":[1 2]}})", "1:20: expected ',' or ']' after a value");
        check_malformed(R"({"answers":{"3":{"text":"1" "x"}}})",
                        "1:29: expected ',' or '}' after a value");
        check_malformed(R"({"answers":{"3":[[1}]}})", "1:20: expected ',' or ']' after a value");
        check_malformed(R"({"answers":{"3":{"a":{"b" 1}}}})", "1:27: expected ':' after a key");
        check_malformed(R"({"answers":{"99":[1,}}})", "1:21: expected a value");
    }
    SUBCASE("literals and numbers") {
        check_malformed(R"({"id":nul})", "1:7: expected 'null'");
        check_malformed(R"({"answers":{"3":tru}})", "1:17: expected 'true'");
        check_malformed(R"({"id":-})", "1:8: expected a digit after '-'");
        check_malformed(R"({"id":1.})", "1:9: expected a digit after '.'");
        check_malformed(R"({"id":1e})", "1:9: expected a digit in the exponent");
        check_malformed(R"({"id":01})", "1:8: expected ',' or '}' after a value");
        check_malformed(R"({"id":+1})", "1:7: expected a string, a number or null as \"id\"");
        check_malformed(R"({"answers":{"3":.5}})", "1:17: expected a value");
    }
    SUBCASE("strings") {
        check_malformed(R"({"id":"a\qb"})",
                        R"(1:9: expected one of \" \\ \/ \b \f \n \r \t \u after '\')");
        check_malformed(R"({"id":"\u12"})", R"(1:8: expected four hex digits after '\u')");
        check_malformed(R"({"id":"\u12G4"})", R"(1:8: expected four hex digits after '\u')");
        check_malformed(R"({"id":"\ud800"})",
                        "1:8: expected a low surrogate escape after a high surrogate");
        check_malformed(R"({"id":"\ud800\u0041"})",
                        "1:8: expected a low surrogate escape after a high surrogate");
        check_malformed(R"({"id":"\udc00"})",
                        "1:8: expected a high surrogate escape before a low surrogate");
        check_malformed("{\"id\":\"a\tb\"}",
                        "1:9: expected '\"' to close the string or an escaped control character");
        check_malformed("{\"id\":\"\xff\"}", "1:8: expected UTF-8 text in the string");
        check_malformed("{\"id\":\"\xc3\"}", "1:8: expected UTF-8 text in the string");
        check_malformed("{\"id\":\"\xed\xa0\x80\"}", "1:8: expected UTF-8 text in the string");
        check_malformed("{\"answers\":{\"\xc0\xaf\":1}}",
                        "1:14: expected UTF-8 text in the string");
        check_malformed("{\"answers\":{\"3\":[\"ok\", \"\xf5\x80\x80\x80\"]}}",
                        "1:25: expected UTF-8 text in the string");
    }
    SUBCASE("keys") {
        check_malformed(R"({"id":1,"answer":{}})",
                        R"(1:9: unknown key "answer", expected "id" or "answers")");
        check_malformed(R"({"a\"b":1})", R"(1:2: unknown key "a\"b", expected "id" or "answers")");
        check_malformed(R"({"abcdefghijklmnopqrstuvwxyz0123456789":1})",
                        R"(1:2: unknown key "abcdefghijklmnopqrstuvwxyz012345...", )"
                        R"(expected "id" or "answers")");
        check_malformed(R"({"id":1,"id":2})", R"(1:9: duplicate key "id")");
        check_malformed(R"({"answers":{},"\u0061nswers":{}})", R"(1:15: duplicate key "answers")");
        check_malformed(R"({"answers":{"3":1,"1":[0],"3":2}})", R"(1:27: duplicate qid "3")");
        check_malformed(R"({"answers":{"3":1,"\u0033":2}})", R"(1:19: duplicate qid "\u0033")");
        check_malformed(R"({"answers":{"x":1,"x":null}})", R"(1:19: duplicate qid "x")");
    }
    SUBCASE("id and answers of the wrong kind") {
        check_malformed(R"({"id":[1]})", "1:7: expected a string, a number or null as \"id\"");
        check_malformed(R"({"id":{"a":1}})", "1:7: expected a string, a number or null as \"id\"");
        check_malformed(R"({"answers":null})", R"(1:12: expected an object as "answers")");
        check_malformed(R"({"answers":[]})", R"(1:12: expected an object as "answers")");
        check_malformed(R"({"answers":"x"})", R"(1:12: expected an object as "answers")");
    }
    SUBCASE("a byte that starts no value") {
        check_malformed(std::string("{\"id\":1,\"answers\":{\"3\":\0}}", 26),
                        "1:24: expected a value");
    }
}

TEST_CASE("check_responses: nesting is limited, never recursed on") {
    const std::string prefix = R"({"id":1,"answers":{"1":[1],"3":)";
    SUBCASE("64 levels in all are read") {
        // The response object and its answers make two levels.
        std::string value = std::string(62, '[') + std::string(62, ']');
        CHECK(errors_of_value(value) == R"("errors":{"3":{"text":["WRONG_VALUE"]}}})");
        std::string objects;
        for (int i = 0; i < 62; ++i) {
            objects += R"({"a":)";
        }
        objects += "1" + std::string(62, '}');
        CHECK(errors_of_value(objects) == R"("errors":{"3":{"text":["WRONG_VALUE"]}}})");
    }
    SUBCASE("a 65th level is malformed") {
        std::string line = prefix + std::string(63, '[') + std::string(63, ']') + "}}";
        auto column = "1:" + std::to_string(prefix.size() + 63);
        CHECK(malformed_of(line).finding == column + ": expected at most 64 levels of nesting");
    }
    SUBCASE("a megabyte of brackets") {
        std::string deep(std::size_t{1} << 20, '[');
        CHECK(malformed_of(prefix + deep).finding == "1:" + std::to_string(prefix.size() + 63) +
                                                         ": expected at most 64 levels of nesting");
        CHECK(malformed_of(deep).finding == "1:1: expected '{' at the start of a response");
        CHECK(malformed_of(R"({"id":)" + deep).finding ==
              "1:7: expected a string, a number or null as \"id\"");
        std::string objects;
        for (int i = 0; i < 100000; ++i) {
            objects += R"({"a":)";
        }
        CHECK(malformed_of(prefix + objects).finding ==
              "1:" + std::to_string(prefix.size() + 62 * 5 + 1) +
                  ": expected at most 64 levels of nesting");
    }
}

TEST_CASE("check_responses: lines") {
    SUBCASE("blank lines are skipped but counted for line numbers") {
        auto checked = check("\n   \n{\"id\":1}\n\t \r\n{\"id\":2\n\n");
        CHECK(checked.out ==
              R"({"id":1,"visibility":[1],"completed":false,"hidden_answers":[],"errors":{}})"
              "\n" +
                  malformed_output(5, "expected ',' or '}' after a value"));
        CHECK(checked.malformed ==
              std::vector<std::string>{"5:8: expected ',' or '}' after a value"});
        CHECK(checked.summary.responses == 1);
        CHECK(checked.summary.malformed == 1);
    }
    SUBCASE("the last line needs no line break; CR LF is accepted") {
        auto checked = check("{\"id\":1}\r\n{\"id\":2}");
        CHECK(checked.out ==
              R"({"id":1,"visibility":[1],"completed":false,"hidden_answers":[],"errors":{}})"
              "\n"
              R"({"id":2,"visibility":[1],"completed":false,"hidden_answers":[],"errors":{}})"
              "\n");
    }
    SUBCASE("no input, no output") {
        auto checked = check("");
        CHECK(checked.out.empty());
        CHECK(checked.summary.responses == 0);
    }
    SUBCASE("lines after a malformed one are read") {
        auto checked =
            check("{\"id\":1,\"answers\":{\"1\":[0]}}\nnope\n{\"id\":3,\"answers\":{\"1\":[7]}}\n");
        CHECK(checked.out ==
              R"({"id":1,"visibility":[1,2],"completed":true,"hidden_answers":[],"errors":{}})"
              "\n" +
                  malformed_output(2, "expected '{' at the start of a response") +
                  R"({"id":3,"visibility":[1],"completed":false,"hidden_answers":[],)"
                  R"("errors":{"1":{"answers":["WRONG_VALUE"]}}})"
                  "\n");
        CHECK(checked.malformed ==
              std::vector<std::string>{"2:1: expected '{' at the start of a response"});
        CHECK(checked.summary.responses == 2);
        CHECK(checked.summary.malformed == 1);
        CHECK(checked.summary.invalid == 1);
        CHECK(checked.summary.complete == 1);
    }
}

TEST_CASE("check_responses: long lines") {
    SUBCASE("lines across read blocks") {
        std::string text(3 << 20, 'x');
        std::string input;
        for (int i = 0; i < 3; ++i) {
            input += R"({"id":)" + std::to_string(i) + R"(,"answers":{"1":[1],"3":"1","5":")" +
                     text + "\"}}\n";
        }
        auto checked = check(input);
        std::string expected;
        for (int i = 0; i < 3; ++i) {
            expected += R"({"id":)" + std::to_string(i) +
                        R"(,"visibility":[1,3,4,5,10,11],"completed":true,"hidden_answers":[],)"
                        R"("errors":{}})"
                        "\n";
        }
        CHECK(checked.out == expected);
    }
    SUBCASE("a line at the limit is read, one byte more is malformed") {
        std::string at_limit = R"({"id":1})";
        at_limit.resize(k_max_response_line_bytes, ' ');
        std::string over_limit = R"({"id":2})";
        over_limit.resize(k_max_response_line_bytes + 1, ' ');
        auto checked = check(at_limit + "\n" + over_limit + "\n{\"id\":3}");
        auto limit = std::to_string(k_max_response_line_bytes);
        CHECK(checked.out ==
              R"({"id":1,"visibility":[1],"completed":false,"hidden_answers":[],"errors":{}})"
              "\n" +
                  malformed_output(2, "expected a line of at most " + limit + " bytes") +
                  R"({"id":3,"visibility":[1],"completed":false,"hidden_answers":[],"errors":{}})"
                  "\n");
        CHECK(checked.malformed ==
              std::vector<std::string>{"2:" + std::to_string(k_max_response_line_bytes + 1) +
                                       ": expected a line of at most " + limit + " bytes"});
    }
    SUBCASE("an over-long last line without a line break") {
        auto checked = check(std::string(k_max_response_line_bytes + 10, '{'));
        CHECK(checked.summary.malformed == 1);
        CHECK(checked.malformed.size() == 1);
    }
}

TEST_CASE("check_responses: messages are escaped in the output") {
    auto result = malformed_of(R"({"a\\b":1})");
    CHECK(result.finding == R"(1:2: unknown key "a\\b", expected "id" or "answers")");
    CHECK(result.out ==
          malformed_output(1, R"(unknown key \"a\\\\b\", expected \"id\" or \"answers\")"));
}
