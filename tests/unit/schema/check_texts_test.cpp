#include "schema/validate_helpers.hpp"

#include <doctest/doctest.h>

using chat::test::Lines;
using chat::test::validate_yaml;

TEST_CASE("check_texts: missing text") {
    CHECK(validate_yaml("name: t\ntype: survey\nquestions:\n"
                        "  - {qid: 1, type: choice, text: \"  \", answers: [{next_qid: -1}]}\n"
                        "  - {qid: 2, type: fork, forking_rules: [[\"-1\", \"True\"]]}\n") ==
          Lines{"4:34: error: question 1 (choice) has no text [text-missing]",
                "4:50: error: answer 1 of question 1 (choice) has no text [text-missing]"});
}

TEST_CASE("check_texts: translations") {
    CHECK(validate_yaml("name: t\ntype: survey\nlanguages: [en, pl]\nquestions:\n"
                        "  - {qid: 1, type: text, text: {en: Hi}, next_qid: 2}\n"
                        "  - {qid: 2, type: text, text: OK, next_qid: -1}\n") ==
          Lines{"5:32: warning: the text of question 1 (text) has no 'pl' translation "
                "[missing-translation]"});
}

TEST_CASE("check_texts: placeholders") {
    CHECK(validate_yaml("name: t\ntype: survey\nquestions:\n"
                        "  - {qid: 1, type: text, text: \"Hi {{ usr.first_name }}\", next_qid: 2}\n"
                        "  - {qid: 2, type: text, text: \"{{ user.nick }} {{ answers.9 }}\", "
                        "next_qid: 3}\n"
                        "  - {qid: 3, type: text, text: \"{{ user.profile.city | default('?') }} "
                        "{{ answers.1 }} {{ vars.x\", next_qid: -1}\n") ==
          Lines{"4:36: warning: placeholder cannot be filled: unknown root 'usr'; expected user, "
                "vars or answers [unknown-placeholder]",
                "5:33: warning: placeholder cannot be filled: 'user' has the fields id, email, "
                "first_name, last_name, avatar, language, roles and profile.<key> "
                "[unknown-placeholder]",
                "5:49: warning: placeholder cannot be filled: 'answers.9' names no question of "
                "the schema [unknown-placeholder]",
                "6:88: warning: placeholder cannot be filled: '{{' is never closed by '}}' "
                "[unknown-placeholder]"});
}

TEST_CASE("check_texts: an empty or null translation is a missing one") {
    CHECK(validate_yaml("name: t\ntype: survey\nlanguages: [en, pl]\nquestions:\n"
                        "  - {qid: 1, type: text, text: {en: Hi, pl: \"\"}, next_qid: 2}\n"
                        "  - {qid: 2, type: text, text: {en: Hi, pl: ~}, next_qid: 3}\n"
                        "  - {qid: 3, type: text, text: {en: \"\", pl: null}, next_qid: -1}\n") ==
          Lines{"5:32: warning: the text of question 1 (text) has no 'pl' translation "
                "[missing-translation]",
                "6:32: warning: the text of question 2 (text) has no 'pl' translation "
                "[missing-translation]",
                "7:32: error: question 3 (text) has no text [text-missing]"});
}

TEST_CASE("check_texts: placeholder messages") {
    CHECK(validate_yaml("name: t\ntype: survey\nquestions:\n"
                        "  - {qid: 1, type: text, text: \"{{ user.profile }} {{ user.first_name "
                        "\xC3\xA9 }}\", next_qid: -1}\n") ==
          Lines{"4:33: warning: placeholder cannot be filled: 'user.profile' needs a key, as in "
                "user.profile.city [unknown-placeholder]",
                "4:52: warning: placeholder cannot be filled: unexpected '\xC3\xA9' in "
                "placeholder [unknown-placeholder]"});
}

TEST_CASE("check_texts: a text of the wrong kind is reported once") {
    CHECK(validate_yaml("name: t\ntype: survey\nquestions:\n"
                        "  - {qid: 1, type: text, text: [a], next_qid: -1}\n") ==
          Lines{"4:32: error: text must be text or a map of language to text, found a list "
                "[wrong-type]"});
}
