#include "schema/validate_helpers.hpp"

#include <doctest/doctest.h>

using chat::test::Lines;
using chat::test::validate_yaml;

namespace {

Lines check(const std::string& questions) {
    return validate_yaml("name: t\ntype: survey\nquestions:\n" + questions);
}

}  // namespace

TEST_CASE("check_question_fields: routing fields per type") {
    SUBCASE("next_qid missing") {
        CHECK(check("  - {qid: 1, type: int, text: a}\n") ==
              Lines{"4:5: error: question 1 (int) has no next_qid (use -1 to end the flow) "
                    "[next-qid-missing]"});
    }
    SUBCASE("next_qid on a choice is ignored") {
        CHECK(
            check("  - {qid: 1, type: choice, text: a, next_qid: 5, answers: [{text: x, next_qid: "
                  "-1}]}\n") ==
            Lines{"4:47: warning: next_qid of question 1 (choice) is ignored: its answers route "
                  "[next-qid-not-allowed]"});
    }
    SUBCASE("answers missing on a choice") {
        CHECK(check("  - {qid: 1, type: multichoice, text: a}\n") ==
              Lines{"4:5: error: question 1 (multichoice) has no answers [answers-missing]"});
    }
    SUBCASE("answers on a text question") {
        CHECK(check("  - {qid: 1, type: text, text: a, next_qid: -1, answers: [{text: x, next_qid: "
                    "-1}]}\n") ==
              Lines{"4:58: error: question 1 (text) takes no answers [answers-not-allowed]"});
    }
    SUBCASE("choice_open outside choices") {
        CHECK(check("  - {qid: 1, type: text, text: a, next_qid: -1, choice_open: true}\n") ==
              Lines{"4:62: error: choice_open is only for choice and multichoice questions, not "
                    "question 1 (text) [choice-open-not-allowed]"});
    }
    SUBCASE("exclusive outside multichoice") {
        CHECK(check("  - {qid: 1, type: choice, text: a, answers: [{text: x, next_qid: -1, "
                    "exclusive: true}]}\n") ==
              Lines{"4:82: warning: exclusive only matters on multichoice questions, not question "
                    "1 (choice) [exclusive-not-allowed]"});
    }
}

TEST_CASE("check_question_fields: range bounds") {
    SUBCASE("zero is a valid bound") {
        CHECK(
            check(
                "  - {qid: 1, type: range, text: a, range_from: 0, range_to: 0, next_qid: -1}\n") ==
            Lines{});
    }
    SUBCASE("a bound is missing") {
        CHECK(check("  - {qid: 1, type: range, text: a, range_to: 10, next_qid: -1}\n") ==
              Lines{"4:5: error: question 1 (range) needs both range_from and range_to "
                    "[range-bounds]"});
    }
    SUBCASE("from above to") {
        CHECK(check("  - {qid: 1, type: range, text: a, range_from: 5, range_to: 1.5, next_qid: "
                    "-1}\n") ==
              Lines{"4:48: error: range_from of question 1 (range) is greater than its range_to "
                    "[range-bounds]"});
    }
}

TEST_CASE("check_question_fields: forking rules") {
    SUBCASE("a fork without rules") {
        CHECK(check("  - {qid: 1, type: fork}\n") ==
              Lines{"4:5: error: question 1 (fork) has no forking rules [forking-rules-missing]"});
    }
    SUBCASE("rules on a text question") {
        CHECK(check("  - {qid: 1, type: text, text: a, next_qid: -1, forking_rules: [[\"1\", "
                    "\"True\"]]}\n") ==
              Lines{"4:64: error: forking rules are only for fork questions, not question 1 "
                    "(text) [forking-rules-not-allowed]"});
    }
    SUBCASE("a rule that is not a pair") {
        CHECK(check("  - {qid: 1, type: fork, forking_rules: [\"-1\"]}\n") ==
              Lines{"4:41: error: question 1 (fork) has no forking rules [forking-rules-missing]",
                    "4:42: error: a forking rule must be a list [target, condition], found text "
                    "\"-1\" [wrong-type]"});
    }
}

TEST_CASE("check_attachments: templates by type") {
    SUBCASE("valid templates") {
        CHECK(check("  - qid: 1\n    type: message\n    text: a\n    next_qid: -1\n"
                    "    attachments:\n"
                    "      - {type: image, url: \"https://example.org/a.PNG?size=2\"}\n"
                    "      - {type: youtube, url: \"https://youtu.be/abc\"}\n"
                    "      - {type: object_reference, object: {type: article, id: 3}}\n") ==
              Lines{});
    }
    SUBCASE("image without url, wrong extension, unknown type, youtube elsewhere") {
        CHECK(check("  - qid: 1\n    type: message\n    text: a\n    next_qid: -1\n"
                    "    attachments:\n"
                    "      - {type: image}\n"
                    "      - {type: image, url: \"https://example.org/a.bmp\"}\n"
                    "      - {type: pdf, url: \"https://example.org/a.pdf\"}\n"
                    "      - {type: youtube, url: \"https://vimeo.com/1\"}\n"
                    "      - {type: object_reference}\n") ==
              Lines{"9:9: error: image attachment of question 1 (message) has no 'url' "
                    "[missing-field]",
                    "10:28: error: image url must end in .gif, .png, .jpg, .jpeg, found "
                    "'https://example.org/a.bmp' [invalid-value]",
                    "11:9: error: unknown attachment type 'pdf' on question 1 (message); expected "
                    "image, youtube, object_reference [invalid-value]",
                    "12:30: error: youtube url must be on youtube.com or youtu.be, found "
                    "'https://vimeo.com/1' [invalid-value]",
                    "13:9: error: object_reference attachment of question 1 (message) has no "
                    "'object' [missing-field]"});
    }
    SUBCASE("configured custom type") {
        chat::Config config;
        config.attachments.custom["pdf"] = {{"url", "title"}, {"pdf"}};
        CHECK(validate_yaml("name: t\ntype: survey\nquestions:\n"
                            "  - qid: 1\n    type: message\n    text: a\n    next_qid: -1\n"
                            "    attachments:\n"
                            "      - {type: pdf, url: \"https://example.org/a.pdf\"}\n",
                            config) ==
              Lines{"9:9: error: pdf attachment of question 1 (message) has no 'title' "
                    "[missing-field]"});
    }
}
