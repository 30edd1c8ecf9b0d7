#include "schema/validate_helpers.hpp"

#include <doctest/doctest.h>

#include <functional>
#include <string>

using chat::test::Lines;
using chat::test::validate_yaml;

namespace {

const char* k_header = "name: t\ntype: automated_flow\nquestions:\n";

std::string schema(const std::string& questions) {
    return k_header + questions;
}

// A multichoice question with answers "a<first>".."a<last>"; answer i's modification is
// `modification(i)`, e.g. [x, "3"].
std::string multichoice(int qid, int next_qid, int first, int last,
                        const std::function<std::string(int)>& modification) {
    std::string text = "  - qid: " + std::to_string(qid) +
                       "\n    type: multichoice\n    text: Pick\n    answers:\n";
    for (int i = first; i <= last; ++i) {
        text += "      - {text: a" + std::to_string(i) + ", next_qid: " + std::to_string(next_qid) +
                ", variable_modifications: [" + modification(i) + "]}\n";
    }
    return text;
}

}  // namespace

TEST_CASE("check_flow: a clean flow has no findings") {
    CHECK(validate_yaml(schema(R"(
  - {qid: 1, type: choice, text: Hi, answers: [{text: A, next_qid: 2, variable_modifications: [[x, "1"]]},
                                               {text: B, next_qid: 2, variable_modifications: [[x, "2"]]}]}
  - {qid: 2, type: fork, forking_rules: [["3", "x == 1"], ["-1", "True"]]}
  - {qid: 3, type: text, text: Why, next_qid: -1}
)")) == Lines{});
}

TEST_CASE("check_flow: unreachable question") {
    CHECK(validate_yaml(schema(R"(  - {qid: 1, type: text, text: a, next_qid: -1}
  - {qid: 2, type: text, text: b, next_qid: -1}
)")) == Lines{"5:5: error: question 2 (text) is unreachable: no path from the entry question 1 "
              "leads to it [unreachable-question]"});
}

TEST_CASE("check_flow: the entry question is the lowest position, not the first listed") {
    CHECK(validate_yaml(schema(R"(  - {qid: 1, position: 5, type: text, text: a, next_qid: -1}
  - {qid: 2, position: 1, type: text, text: b, next_qid: 1}
)")) == Lines{});
}

TEST_CASE("check_flow: qid 0 is a real question") {
    CHECK(validate_yaml(schema(R"(  - {qid: 0, type: text, text: a, next_qid: 1}
  - {qid: 1, type: text, text: b, next_qid: 0}
  - {qid: 2, type: choice, text: c, answers: [{text: x, next_qid: 0}]}
)")) == Lines{"4:5: error: no path from question 0 (text) reaches the end of the flow [no-exit]",
              "  note: from here the flow only reaches questions 0, 1",
              "6:5: error: question 2 (choice) is unreachable: no path from the entry question 0 "
              "leads to it [unreachable-question]"});
}

TEST_CASE("check_flow: a loop through an answered question with an exit is legitimate") {
    CHECK(validate_yaml(schema(R"(
  - {qid: 1, type: text, text: "Medication?", next_qid: 2, variable_modifications: [[n, "n + 1"]]}
  - {qid: 2, type: choice, text: "Another?", answers: [{text: yes, next_qid: 1}, {text: no, next_qid: 3}]}
  - {qid: 3, type: fork, forking_rules: [["4", "n > 3"], ["-1", "True"]]}
  - {qid: 4, type: message, text: "That is a lot: {{ vars.n }}", next_qid: -1}
)")) == Lines{});
}

TEST_CASE("check_flow: trap that depends on variable values") {
    CHECK(validate_yaml(schema(R"(
  - {qid: 1, type: choice, text: Hi, answers: [{text: A, next_qid: 2, variable_modifications: [[x, "1"]]},
                                               {text: B, next_qid: 2}]}
  - {qid: 2, type: fork, forking_rules: [["3", "x == 1"], ["-1", "True"]]}
  - {qid: 3, type: text, text: stuck, next_qid: 4}
  - {qid: 4, type: text, text: here, next_qid: 3}
)")) == Lines{"7:5: error: no path from question 2 (fork) reaches the end of the flow (when "
              "x = 1) [no-exit]",
              "  note: from here the flow only reaches questions 2, 3, 4"});
}

TEST_CASE("check_flow: endless automatic loop names the cycle and the values") {
    CHECK(validate_yaml(schema(R"(
  - {qid: 1, type: message, text: a, next_qid: 2, variable_modifications: [[x, "5"]]}
  - {qid: 2, type: fork, forking_rules: [["1", "x == 5"], ["-1", "True"]]}
)")) == Lines{"5:5: error: automatic questions 1 -> 2 -> 1 repeat forever [endless-auto-loop]",
              "  note: question 1 (message) moves on to question 2",
              "  note: question 2 (fork) jumps to question 1",
              "6:59: warning: rule 2 of question 2 (fork) is never selected: no reachable variable "
              "values make its condition the first that holds [unreachable-fork-rule]"});
}

TEST_CASE("check_flow: a counter that never stops is an unproven loop, not an error") {
    auto lines = validate_yaml(schema(R"(
  - {qid: 1, type: message, text: a, next_qid: 2, variable_modifications: [[n, "n + 1"]]}
  - {qid: 2, type: fork, forking_rules: [["-1", "n < 0"], ["1", "True"]]}
)"));
    REQUIRE(lines.size() == 3);
    CHECK(lines[0] ==
          "5:5: warning: cannot prove that automatic questions 1 -> 2 -> 1 stop repeating: more "
          "than 64 variable states per question were explored [unproven-auto-loop]");
}

TEST_CASE("check_flow: a counted loop that terminates within the bounds is accepted") {
    CHECK(validate_yaml(schema(R"(
  - {qid: 1, type: message, text: a, next_qid: 2, variable_modifications: [[n, "n + 1"]]}
  - {qid: 2, type: fork, forking_rules: [["-1", "n >= 10"], ["1", "True"]]}
)")) == Lines{});
}

TEST_CASE("check_flow: unreachable fork rule") {
    CHECK(validate_yaml(schema(R"(
  - {qid: 1, type: choice, text: Hi, answers: [{text: A, next_qid: 2, variable_modifications: [[x, "1"]]},
                                               {text: B, next_qid: 2, variable_modifications: [[x, "2"]]}]}
  - {qid: 2, type: fork, forking_rules: [["3", "x > 5"], ["3", "True"]]}
  - {qid: 3, type: text, text: Why, next_qid: -1}
)")) == Lines{"7:42: warning: rule 1 of question 2 (fork) is never selected: no reachable variable "
              "values make its condition the first that holds [unreachable-fork-rule]"});
}

TEST_CASE("check_flow: computed fork target") {
    SUBCASE("that names questions") {
        CHECK(validate_yaml(schema(R"(
  - {qid: 1, type: choice, text: Hi, answers: [{text: A, next_qid: 2, variable_modifications: [[r, "1"]]},
                                               {text: B, next_qid: 2, variable_modifications: [[r, "2"]]}]}
  - {qid: 2, type: fork, forking_rules: [["10 + r", "True"]]}
  - {qid: 11, type: text, text: a, next_qid: -1}
  - {qid: 12, type: text, text: b, next_qid: -1}
)")) == Lines{});
    }
    SUBCASE("that names no question") {
        CHECK(validate_yaml(schema(R"(
  - {qid: 1, type: choice, text: Hi, answers: [{text: A, next_qid: 2, variable_modifications: [[r, "1"]]},
                                               {text: B, next_qid: 2, variable_modifications: [[r, "3"]]}]}
  - {qid: 2, type: fork, forking_rules: [["10 + r", "True"]]}
  - {qid: 11, type: text, text: a, next_qid: -1}
)")) == Lines{
            "7:43: error: target of rule 1 of question 2 (fork) evaluates to 13, which names no "
            "question (when r = 3) [unknown-next-qid]"});
    }
}

TEST_CASE("check_flow: variables that are no longer read do not multiply states") {
    // 200 sections, each with a choice of 3 answers that sets a fresh score read by a fork:
    // without live-variable memoisation this would be 3^200 states.
    std::string questions;
    for (int s = 0; s < 200; ++s) {
        int base = s * 3;
        questions +=
            "  - {qid: " + std::to_string(base) +
            ", type: choice, text: q, answers: [{text: a, next_qid: " + std::to_string(base + 1) +
            ", variable_modifications: [[score, \"1\"]]}, {text: b, next_qid: " +
            std::to_string(base + 1) +
            ", variable_modifications: [[score, \"2\"]]}, {text: c, next_qid: " +
            std::to_string(base + 1) + ", variable_modifications: [[score, \"3\"]]}]}\n";
        questions += "  - {qid: " + std::to_string(base + 1) + ", type: fork, forking_rules: [[\"" +
                     std::to_string(base + 2) + "\", \"score > 1\"], [\"" +
                     std::to_string(base + 3) + "\", \"True\"]]}\n";
        questions += "  - {qid: " + std::to_string(base + 2) +
                     ", type: text, text: t, next_qid: " + std::to_string(base + 3) + "}\n";
    }
    questions += "  - {qid: 600, type: message, text: end, next_qid: -1}\n";
    CHECK(validate_yaml(schema(questions)) == Lines{});
}

TEST_CASE("check_flow: multichoice explores every combination of answers") {
    SUBCASE("a rule that needs the first and the third answer but not the second") {
        CHECK(validate_yaml(schema(R"(
  - qid: 1
    type: multichoice
    text: Symptoms?
    answers:
      - {text: Fever, next_qid: 2, variable_modifications: [[fever, "1"]]}
      - {text: Cough, next_qid: 2, variable_modifications: [[cough, "1"]]}
      - {text: Rash, next_qid: 2, variable_modifications: [[rash, "1"]]}
  - {qid: 2, type: fork, forking_rules: [["3", "fever and rash and not cough"], ["-1", "True"]]}
  - {qid: 3, type: message, text: See a doctor, next_qid: -1}
)")) == Lines{});
    }
    SUBCASE("an exclusive answer is never combined") {
        CHECK(validate_yaml(schema(R"(
  - qid: 1
    type: multichoice
    text: Symptoms?
    answers:
      - {text: Fever, next_qid: 2, variable_modifications: [[fever, "1"]]}
      - {text: None, next_qid: 2, exclusive: true, variable_modifications: [[none, "1"]]}
  - {qid: 2, type: fork, forking_rules: [["3", "fever and none"], ["-1", "True"]]}
  - {qid: 3, type: message, text: Odd, next_qid: -1}
)")) == Lines{
            "11:42: warning: rule 1 of question 2 (fork) is never selected: no reachable "
            "variable values make its condition the first that holds [unreachable-fork-rule]",
            "12:5: error: question 3 (message) is unreachable: no path from the entry "
            "question 1 leads to it [unreachable-question]"});
    }
    SUBCASE("with many answers the combined values become unknown, never a false error") {
        auto set_own = [](int i) { return "[s" + std::to_string(i) + ", \"1\"]"; };
        CHECK(validate_yaml(schema(multichoice(1, 2, 1, 9, set_own) + R"(
  - {qid: 2, type: fork, forking_rules: [["3", "s1 and s9 and not s5"], ["-1", "True"]]}
  - {qid: 3, type: message, text: Rare, next_qid: -1}
)")) == Lines{});
    }
}

TEST_CASE("check_flow: an automatic chain longer than the engine's step limit is an error") {
    auto counted_loop = [](int rounds) {
        std::string questions =
            "  - {qid: 1, type: text, text: Start, next_qid: 2}\n"
            "  - {qid: 2, type: message, text: s, next_qid: 3, variable_modifications: "
            "[[n, \"n + 1\"]]}\n";
        for (int q = 3; q <= 21; ++q) {
            questions += "  - {qid: " + std::to_string(q) +
                         ", type: message, text: s, next_qid: " + std::to_string(q + 1) + "}\n";
        }
        questions += "  - {qid: 22, type: fork, forking_rules: [[\"2\", \"n < " +
                     std::to_string(rounds) + "\"], [\"23\", \"True\"]]}\n";
        questions += "  - {qid: 23, type: text, text: Done, next_qid: -1}\n";
        return schema(questions);
    };
    CHECK(validate_yaml(counted_loop(40)) == Lines{});  // 40 rounds of 21 steps: 840
    auto findings = validate_yaml(counted_loop(60));    // 60 rounds: 1260 steps
    REQUIRE(findings.size() == 11);
    CHECK(findings[0] ==
          "5:5: error: automatic questions run 1260 steps in a row from question 2 (message) "
          "(when n = 0), more than the engine's limit of 1000 per action [endless-auto-loop]");
    CHECK(findings[1] == "  note: question 2 (message) moves on to question 3");
}

TEST_CASE("check_flow: a proven loop is reported even when an approximate one shares it") {
    auto set_x = [](int i) { return "[x, \"" + std::to_string(i) + "\"]"; };
    auto findings = validate_yaml(schema(multichoice(0, 1, 0, 8, set_x) +
                                         "  - {qid: 1, type: message, text: m, next_qid: 2}\n"
                                         "  - {qid: 2, type: fork, forking_rules: [[\"1\", \"x > "
                                         "7\"], [\"-1\", \"True\"]]}\n"));
    REQUIRE_FALSE(findings.empty());
    CHECK(findings[0] ==
          "17:5: error: automatic questions 1 -> 2 -> 1 repeat forever (when x = 8) "
          "[endless-auto-loop]");
}

TEST_CASE("check_flow: an expression that surely fails at run time is a way into a trap") {
    SUBCASE("a division by zero on the last message") {
        CHECK(validate_yaml(schema("  - {qid: 1, type: message, text: Bye, next_qid: -1, "
                                   "variable_modifications: [[x, \"1 / 0\"]]}\n")) ==
              Lines{"4:5: error: no path from question 1 (message) reaches the end of the flow "
                    "[no-exit]",
                    "  note: from here the flow only reaches question 1",
                    "  note: question 1 (message): variable modification [x, \"1 / 0\"] fails at "
                    "run time (division by zero)"});
    }
    SUBCASE("a fork condition that fails for the values one answer sets") {
        CHECK(validate_yaml(schema(R"(
  - {qid: 1, type: choice, text: Hi, answers: [{text: A, next_qid: 2, variable_modifications: [[d, "0"]]},
                                               {text: B, next_qid: 2, variable_modifications: [[d, "2"]]}]}
  - {qid: 2, type: fork, forking_rules: [["3", "10 / d > 1"], ["-1", "True"]]}
  - {qid: 3, type: text, text: Why, next_qid: -1}
)")) == Lines{
            "7:5: error: no path from question 2 (fork) reaches the end of the flow (when d = 0) "
            "[no-exit]",
            "  note: from here the flow only reaches question 2",
            "  note: question 2 (fork): the condition of rule 1 fails at run time (division by "
            "zero) (when d = 0)",
            "7:63: warning: rule 2 of question 2 (fork) is never selected: no reachable variable "
            "values make its condition the first that holds [unreachable-fork-rule]"});
    }
    SUBCASE("unknown values never make a failure certain") {
        auto set_d = [](int i) { return "[d, \"" + std::to_string(i) + "\"]"; };
        CHECK(validate_yaml(schema(multichoice(0, 1, 0, 8, set_d) +
                                   "  - {qid: 1, type: message, text: m, next_qid: -1, "
                                   "variable_modifications: [[r, \"1 / (d + 1)\"]]}\n")) ==
              Lines{});
    }
}

TEST_CASE("check_flow: a failing target of a rule that may not be taken does not end the search") {
    // After 64 rounds the counter is merged (unknown): rule 1 may or may not hold, and its
    // target fails when taken; rules 2 and 3 must still be explored.
    CHECK(validate_yaml(schema(R"(
  - qid: 1
    type: choice
    text: again?
    answers:
      - {text: "yes", next_qid: 2, variable_modifications: [[n, "n + 1"]]}
      - {text: "no", next_qid: -1}
  - {qid: 2, type: fork, forking_rules: [["100 // step", "n == 500"], ["3", "n == 100"], ["1", "True"]]}
  - {qid: 3, type: message, text: "100 rounds!", next_qid: 1}
)")) == Lines{"11:51: warning: variable 'step' is read but never set, so it is always 0 "
              "[variable-never-set]"});
}

TEST_CASE("check_flow: an unproven loop says when values are unknown from multichoice answers") {
    auto set_x = [](int i) { return "[x, \"" + std::to_string(i) + "\"]"; };
    auto findings =
        validate_yaml(schema(multichoice(0, 1, 0, 8, set_x) +
                             "  - {qid: 1, type: message, text: m, next_qid: 2}\n"
                             "  - {qid: 2, type: fork, forking_rules: [[\"1\", \"x > 100\"], "
                             "[\"-1\", \"True\"]]}\n"));
    REQUIRE_FALSE(findings.empty());
    CHECK(findings[0] ==
          "17:5: warning: cannot prove that automatic questions 1 -> 2 -> 1 stop repeating: some "
          "variable values on the way are unknown (set by one of many combinations of "
          "multichoice answers) [unproven-auto-loop]");
}
