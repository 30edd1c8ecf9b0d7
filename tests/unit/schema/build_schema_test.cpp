#include "schema/validate_helpers.hpp"

#include <doctest/doctest.h>

using chat::test::Lines;
using chat::test::validate_yaml;

TEST_CASE("build_schema: unknown key suggests the nearest valid key") {
    CHECK(validate_yaml("name: t\ntype: survey\nquestions:\n"
                        "  - {qid: 1, type: text, text: a, nxt_qid: -1}\n") ==
          Lines{"4:5: error: question 1 (text) has no next_qid (use -1 to end the flow) "
                "[next-qid-missing]",
                "4:35: error: unknown key 'nxt_qid' in question; did you mean 'next_qid'? "
                "[unknown-key]"});
}

TEST_CASE("build_schema: missing fields") {
    SUBCASE("schema fields") {
        CHECK(validate_yaml("type: survey\n") ==
              Lines{"1:1: error: schema has no 'name' [missing-field]",
                    "1:1: error: schema has no 'questions' [missing-field]"});
    }
    SUBCASE("question qid and type") {
        CHECK(validate_yaml("name: t\ntype: survey\nquestions:\n  - {text: a, next_qid: -1}\n") ==
              Lines{"4:5: error: question has no 'qid' [missing-field]",
                    "4:5: error: question has no 'type' [missing-field]"});
    }
    SUBCASE("answer next_qid") {
        CHECK(validate_yaml("name: t\ntype: survey\nquestions:\n"
                            "  - {qid: 1, type: choice, text: a, answers: [{text: x}]}\n") ==
              Lines{"4:47: error: answer 1 of question 1 has no 'next_qid' [missing-field]"});
    }
}

TEST_CASE("build_schema: wrong types name the field and what was found") {
    SUBCASE("text for qid") {
        CHECK(validate_yaml("name: t\ntype: survey\nquestions:\n"
                            "  - {qid: \"1\", type: text, text: a, next_qid: -1}\n") ==
              Lines{"4:11: error: qid must be an integer, found text \"1\" [wrong-type]"});
    }
    SUBCASE("a number where a list belongs") {
        CHECK(validate_yaml("name: t\ntype: survey\nquestions: 5\n") ==
              Lines{"3:12: error: questions must be a list, found integer 5 [wrong-type]"});
    }
    SUBCASE("a list where a boolean belongs") {
        CHECK(validate_yaml("name: t\ntype: survey\nquestions:\n"
                            "  - {qid: 1, type: text, text: a, next_qid: -1, required: [1]}\n") ==
              Lines{"4:59: error: required must be true or false, found a list [wrong-type]"});
    }
    SUBCASE("the document is not a mapping") {
        CHECK(validate_yaml("- 1\n- 2\n") ==
              Lines{"1:1: error: the schema must be a mapping, found a list [wrong-type]"});
    }
}

TEST_CASE("build_schema: invalid values") {
    SUBCASE("unknown question type") {
        CHECK(validate_yaml("name: t\ntype: survey\nquestions:\n"
                            "  - {qid: 1, type: chioce, text: a, next_qid: -1}\n") ==
              Lines{"4:20: error: unknown question type 'chioce'; did you mean 'choice'? "
                    "[invalid-value]"});
    }
    SUBCASE("bad schema name") {
        CHECK(validate_yaml("name: a b\ntype: survey\nquestions:\n"
                            "  - {qid: 1, type: text, text: a, next_qid: -1}\n") ==
              Lines{"1:7: error: schema name 'a b' must be 1 to 100 characters of A-Z a-z 0-9 _ "
                    ". - [invalid-value]"});
    }
    SUBCASE("negative qid") {
        CHECK(validate_yaml("name: t\ntype: survey\nquestions:\n"
                            "  - {qid: -2, type: text, text: a, next_qid: -1}\n") ==
              Lines{"4:11: error: qid must be 0 or more, found -2 [invalid-value]"});
    }
    SUBCASE("language not listed") {
        CHECK(validate_yaml("name: t\ntype: survey\nlanguages: [en]\nquestions:\n"
                            "  - {qid: 1, type: text, text: {en: a, de: b}, next_qid: -1}\n") ==
              Lines{"5:40: error: language 'de' is not among the schema's languages (en) "
                    "[invalid-value]"});
    }
    SUBCASE("unknown schema type") {
        CHECK(validate_yaml("name: t\ntype: flow\nquestions:\n"
                            "  - {qid: 1, type: text, text: a, next_qid: -1}\n") ==
              Lines{"2:7: error: unknown schema type 'flow'; configured types: survey, "
                    "automated_flow [unknown-schema-type]"});
    }
    SUBCASE("configured schema types") {
        chat::Config config;
        config.schema_types = {"flow"};
        CHECK(validate_yaml("name: t\ntype: flow\nquestions:\n"
                            "  - {qid: 1, type: text, text: a, next_qid: -1}\n",
                            config) == Lines{});
    }
}

TEST_CASE("build_schema: empty question list") {
    CHECK(validate_yaml("name: t\ntype: survey\nquestions: []\n") ==
          Lines{"3:12: error: the schema has no questions [schema-empty]"});
}

TEST_CASE("build_schema: yaml syntax errors carry the parser's position") {
    SUBCASE("truncated flow mapping") {
        CHECK(validate_yaml("name: t\ntype: survey\nquestions:\n  - {qid: 1, type: text\n") ==
              Lines{"4:5: error: invalid YAML: this '{' is not closed before the end of the file "
                    "[syntax]"});
    }
    SUBCASE("unclosed quote points at the opening quote") {
        CHECK(validate_yaml("name: t\ntype: survey\nquestions:\n  - text: \"Why\n    qid: 1\n") ==
              Lines{"4:11: error: invalid YAML: this quoted text is not closed before the end of "
                    "the file [syntax]"});
    }
    SUBCASE("a missing comma inside the file keeps the parser's position") {
        CHECK(validate_yaml("name: t\nquestions: [1, 2}\ntype: survey\n") ==
              Lines{"2:17: error: invalid YAML: did not find expected ',' or ']' while parsing a "
                    "flow sequence [syntax]"});
    }
    SUBCASE("duplicate key") {
        CHECK(validate_yaml("name: t\nname: u\n") ==
              Lines{"2:1: error: invalid YAML: duplicate key 'name' [syntax]"});
    }
    SUBCASE("empty file") {
        CHECK(validate_yaml("\n\n") ==
              Lines{"1:1: error: invalid YAML: the file is empty [syntax]"});
    }
    SUBCASE("nesting deeper than 64") {
        std::string deep = "name: " + std::string(100000, '[');
        CHECK(validate_yaml(deep) ==
              Lines{"1:70: error: invalid YAML: nesting deeper than 64 levels [syntax]"});
    }
    SUBCASE("alias bomb") {
        std::string bomb = "a: &a [x, x, x, x, x, x, x, x, x, x]\n";
        for (char level = 'b'; level <= 'j'; ++level) {
            char previous = static_cast<char>(level - 1);
            bomb += std::string(1, level) + ": &" + level + " [";
            for (int i = 0; i < 10; ++i) {
                bomb += std::string(i ? ", *" : "*") + previous;
            }
            bomb += "]\n";
        }
        auto lines = validate_yaml(bomb);
        REQUIRE(lines.size() == 1);
        CHECK(lines[0].find("aliases expand to too many nodes") != std::string::npos);
    }
}

TEST_CASE("build_schema: aliases reuse answer lists") {
    CHECK(validate_yaml("name: t\ntype: survey\nquestions:\n"
                        "  - {qid: 1, type: choice, text: a, answers: &yn [{text: y, next_qid: 2}, "
                        "{text: n, next_qid: 2}]}\n"
                        "  - {qid: 2, type: choice, text: b, answers: *yn}\n") ==
          Lines{"4:5: error: no path from question 1 (choice) reaches the end of the flow "
                "[no-exit]",
                "  note: from here the flow only reaches questions 1, 2"});
}

TEST_CASE("yaml positions: lines end at line feeds only, whatever libyaml counts") {
    SUBCASE("a U+2028 inside a quoted text does not start a line") {
        CHECK(validate_yaml("name: t\ntype: survey\nquestions:\n"
                            "  - {qid: 1, type: text, text: \"a\xE2\x80\xA8"
                            "b\", next_qid: 9}\n") ==
              Lines{"4:49: error: next_qid of question 1 (text) is 9, which names no question "
                    "[unknown-next-qid]"});
    }
    SUBCASE("a byte order mark is not a column") {
        CHECK(validate_yaml("\xEF\xBB\xBF"
                            "name: t\ntype: survey\ncolour: red\nquestions: [{qid: 1, type: text, "
                            "text: a, next_qid: -1}]\n") ==
              Lines{"3:1: error: unknown key 'colour' in schema [unknown-key]"});
    }
    SUBCASE("a control character is reported where it is") {
        CHECK(validate_yaml("name: t\ntype: survey\nquestions:\n"
                            "  - {qid: 1, type: text, text: \"a\x01"
                            "b\", next_qid: -1}\n") ==
              Lines{"4:34: error: invalid YAML: control characters are not allowed [syntax]"});
    }
    SUBCASE("a key cut off at the end of the file") {
        CHECK(validate_yaml("name: t\ntype: survey\nquestions:\n  - qid: 1\n    type") ==
              Lines{"5:5: error: invalid YAML: this key has no ':' before the end of the file "
                    "[syntax]"});
    }
}

TEST_CASE("build_schema: a field written without a value points at its key") {
    CHECK(validate_yaml("name:\ntype: survey\nquestions:\n"
                        "  - {qid: 1, type: text, text: a, next_qid: -1}\n") ==
          Lines{"1:1: error: schema has no 'name' (its value is empty) [missing-field]"});
}

TEST_CASE("build_schema: groups without a name are left out, not named ''") {
    CHECK(validate_yaml("name: t\ntype: survey\ngroups:\n  - {position: 1}\n  - {position: 2}\n"
                        "questions:\n  - {qid: 1, type: text, text: a, next_qid: -1}\n") ==
          Lines{"4:5: error: group has no 'name' [missing-field]",
                "5:5: error: group has no 'name' [missing-field]"});
}
