#include "schema/validate_helpers.hpp"

#include <doctest/doctest.h>

using chat::test::Lines;
using chat::test::validate_yaml;

TEST_CASE("check_expressions: syntax errors point inside the expression") {
    SUBCASE("quoted expression") {
        CHECK(validate_yaml("name: t\ntype: survey\nquestions:\n"
                            "  - {qid: 1, type: text, text: a, next_qid: -1, "
                            "variable_modifications: [[x, \"x +* 2\"]]}\n") ==
              Lines{"4:82: error: in expression 'x +* 2': expected an expression but found '*' "
                    "[expression-syntax]"});
    }
    SUBCASE("plain block scalar") {
        CHECK(validate_yaml("name: t\ntype: survey\nquestions:\n"
                            "  - qid: 1\n    type: fork\n    forking_rules:\n"
                            "      - - -1\n        - mood >=\n") ==
              Lines{"8:18: error: in expression 'mood >=': expected an expression but found end "
                    "of expression [expression-syntax]"});
    }
}

TEST_CASE("check_expressions: variable names") {
    CHECK(validate_yaml("name: t\ntype: survey\nquestions:\n"
                        "  - {qid: 1, type: text, text: a, next_qid: -1, "
                        "variable_modifications: [[2x, \"1\"], [\"and\", \"1\"]]}\n") ==
          Lines{"4:75: error: '2x' is not a variable name (letters, digits and _, not starting "
                "with a digit, not a keyword) [invalid-variable-name]",
                "4:86: error: 'and' is not a variable name (letters, digits and _, not starting "
                "with a digit, not a keyword) [invalid-variable-name]"});
}

TEST_CASE("check_expressions: variables read but never set") {
    CHECK(validate_yaml("name: t\ntype: survey\nquestions:\n"
                        "  - {qid: 1, type: text, text: \"{{ vars.total }}\", next_qid: 2, "
                        "variable_modifications: [[mood, \"1\"]]}\n"
                        "  - {qid: 2, type: fork, forking_rules: [[\"-1\", \"moood > 1\"], "
                        "[\"-1\", \"True\"]]}\n") ==
          Lines{"4:33: warning: variable 'total' is read but never set, so it is always 0 "
                "[variable-never-set]",
                "5:42: warning: rule 1 of question 2 (fork) is never selected: no reachable "
                "variable values make its condition the first that holds "
                "[unreachable-fork-rule]",
                "5:50: warning: variable 'moood' is read but never set, so it is always 0; did "
                "you mean 'mood'? [variable-never-set]"});
}
