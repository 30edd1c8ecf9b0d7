#include "schema/validate_helpers.hpp"

#include <doctest/doctest.h>

using chat::test::Lines;
using chat::test::validate_yaml;

TEST_CASE("check_references: duplicates point at the first one") {
    CHECK(validate_yaml("name: t\ntype: survey\ngroups: [{name: a}, {name: a, position: 0}]\n"
                        "questions:\n"
                        "  - {qid: 1, type: text, text: a, next_qid: -1}\n"
                        "  - {qid: 1, position: 0, type: text, text: b, next_qid: -1}\n") ==
          Lines{"3:21: error: group 'a' is defined twice [duplicate-group]",
                "  note: first defined here",
                "3:41: error: position 0 of group 'a' is used twice [duplicate-position]",
                "  note: first used here", "6:11: error: qid 1 is used twice [duplicate-qid]",
                "  note: first used here",
                "6:24: error: position 0 of question 1 (text) is used twice [duplicate-position]",
                "  note: first used here"});
}

TEST_CASE("check_references: unknown group and next_qid") {
    CHECK(validate_yaml("name: t\ntype: survey\ngroups: [{name: basics}]\nquestions:\n"
                        "  - {qid: 1, type: text, text: a, next_qid: 7, group: basic}\n"
                        "  - {qid: 2, type: choice, text: a, answers: [{text: x, next_qid: 8}]}\n"
                        "  - {qid: 3, type: fork, forking_rules: [[\"9\", \"True\"]]}\n") ==
          Lines{"5:45: error: next_qid of question 1 (text) is 7, which names no question "
                "[unknown-next-qid]",
                "5:55: error: group 'basic' of question 1 (text) is not defined; did you mean "
                "'basics'? [unknown-group]",
                "6:67: error: next_qid of answer 1 of question 2 (choice) is 8, which names no "
                "question [unknown-next-qid]",
                "7:43: error: target of rule 1 of question 3 (fork) is 9, which names no question "
                "[unknown-next-qid]"});
}

TEST_CASE("check_references: reported together with other errors, unless a target was dropped") {
    SUBCASE("an unknown key does not hide a wrong next_qid") {
        CHECK(validate_yaml("name: t\ntype: survey\nquestions:\n"
                            "  - {qid: 1, type: text, text: a, next_qid: 5, colour: red}\n") ==
              Lines{"4:45: error: next_qid of question 1 (text) is 5, which names no question "
                    "[unknown-next-qid]",
                    "4:48: error: unknown key 'colour' in question [unknown-key]"});
    }
    SUBCASE("a question without qid is not reported as an unknown target") {
        CHECK(validate_yaml("name: t\ntype: survey\nquestions:\n"
                            "  - {qid: 1, type: text, text: a, next_qid: 2}\n"
                            "  - {type: text, text: b, next_qid: -1}\n") ==
              Lines{"5:5: error: question has no 'qid' [missing-field]"});
    }
}
