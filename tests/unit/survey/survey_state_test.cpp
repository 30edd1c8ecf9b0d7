// SurveyStateComputer (SPEC §10) on hand-made schemas, and the RuntimeSchema it runs on (§3).

#include "survey/survey_helpers.hpp"

#include <chat/expression.hpp>

#include <doctest/doctest.h>

#include <algorithm>
#include <cstdint>
#include <stdexcept>
#include <string>
#include <vector>

using chat::QuestionType;
using chat::RuntimeSchema;
using chat::SurveyState;
using chat::SurveyStateComputer;
using chat::survey_test::A;
using chat::survey_test::list;
using chat::survey_test::Responses;
using chat::survey_test::SchemaBuilder;

namespace {

struct Summary {
    std::string visibility;
    bool completed = false;
    std::string hidden;
    std::string failed;
    std::string variables;  // JSON of the assigned variables
};

Summary run(const RuntimeSchema& schema, const Responses& responses) {
    SurveyStateComputer computer(schema);
    const SurveyState& state = computer.compute(responses.span());
    return {list(state.visibility), state.completed, list(state.hidden_answers),
            list(state.failed_expressions), schema.variables_json(state.variables).dump()};
}

}  // namespace

TEST_CASE("survey state: a chain of typed questions is visible whether answered or not") {
    auto schema = SchemaBuilder()
                      .text(1, 2, true)
                      .typed(2, QuestionType::integer, 3)
                      .typed(3, QuestionType::date, -1, true)
                      .runtime();
    Responses responses(schema);
    auto state = run(schema, responses);
    CHECK(state.visibility == "[1, 2, 3]");
    CHECK_FALSE(state.completed);
    CHECK(state.hidden == "[]");
    CHECK(state.failed == "[]");
    CHECK(state.variables == "{}");

    responses.say(1, "hello");
    CHECK_FALSE(run(schema, responses).completed);
    responses.say(3, "2024-02-29");
    CHECK(run(schema, responses).completed);  // q2 is not required

    // An invalid answer counts as none.
    chat::AnswerInput bad;
    bad.text = "2023-02-29";
    CHECK_FALSE(responses.give(3, bad));
    CHECK_FALSE(run(schema, responses).completed);
    CHECK(run(schema, responses).hidden == "[]");
}

TEST_CASE("survey state: branches that rejoin; answers on the branch not taken are hidden") {
    auto schema = SchemaBuilder()
                      .choice(1, {A{2}, A{3}}, true)
                      .text(2, 4, true)
                      .text(3, 4, true)
                      .text(4, -1)
                      .runtime();
    Responses responses(schema);

    SUBCASE("nothing chosen: only the entry, which is required") {
        auto state = run(schema, responses);
        CHECK(state.visibility == "[1]");
        CHECK_FALSE(state.completed);
    }
    SUBCASE("first branch") {
        responses.choose(1, {0});
        auto state = run(schema, responses);
        CHECK(state.visibility == "[1, 2, 4]");
        CHECK_FALSE(state.completed);  // q2 required, unanswered
        responses.say(2, "x");
        state = run(schema, responses);
        CHECK(state.completed);  // q3 is required but not visible
        CHECK(state.hidden == "[]");
        responses.say(3, "y").say(4, "z");
        state = run(schema, responses);
        CHECK(state.visibility == "[1, 2, 4]");
        CHECK(state.completed);
        CHECK(state.hidden == "[3]");
    }
    SUBCASE("second branch") {
        responses.choose(1, {1}).say(2, "x").say(4, "z");
        auto state = run(schema, responses);
        CHECK(state.visibility == "[1, 3, 4]");
        CHECK_FALSE(state.completed);
        CHECK(state.hidden == "[2]");
        responses.say(3, "y");
        CHECK(run(schema, responses).completed);
    }
    SUBCASE("answers without the choice that leads to them are all hidden") {
        responses.say(2, "x").say(3, "y").say(4, "z");
        auto state = run(schema, responses);
        CHECK(state.visibility == "[1]");
        CHECK(state.hidden == "[2, 3, 4]");
        CHECK_FALSE(state.completed);
    }
}

TEST_CASE("survey state: required questions behind branches count only when visible") {
    // 1 -> (2 -> 4 required) | (3 required -> 5 -> end); 4 -> end.
    auto schema = SchemaBuilder()
                      .choice(1, {A{2}, A{3}})
                      .text(2, 4)
                      .text(3, 5, true)
                      .typed(4, QuestionType::integer, -1, true)
                      .choice(5, {A{-1}}, true)
                      .runtime();
    Responses responses(schema);
    CHECK(run(schema, responses).completed);  // only q1 visible, not required

    responses.choose(1, {0});
    CHECK_FALSE(run(schema, responses).completed);
    responses.say(4, "12");
    CHECK(run(schema, responses).completed);

    responses.choose(1, {1});
    auto state = run(schema, responses);
    CHECK(state.visibility == "[1, 3, 5]");
    CHECK_FALSE(state.completed);
    CHECK(state.hidden == "[4]");
    responses.say(3, "why");
    CHECK_FALSE(run(schema, responses).completed);  // q5 required
    responses.choose(5, {0});
    CHECK(run(schema, responses).completed);
}

TEST_CASE("survey state: qid 0 is a question like any other") {
    SUBCASE("as the entry, and as a next_qid back to it") {
        auto schema = SchemaBuilder().text(0, 1, true).text(1, 0).runtime();
        Responses responses(schema);
        auto state = run(schema, responses);
        CHECK(state.visibility == "[0, 1]");
        CHECK_FALSE(state.completed);
        responses.say(0, "x");
        CHECK(run(schema, responses).completed);
    }
    SUBCASE("reached by next_qid, by an answer and by a fork") {
        auto by_next = SchemaBuilder().text(5, 0).text(0, -1).runtime();
        CHECK(run(by_next, Responses(by_next)).visibility == "[0, 5]");

        auto by_answer = SchemaBuilder().choice(5, {A{7}, A{0}}).text(7, -1).text(0, -1).runtime();
        Responses responses(by_answer);
        responses.choose(5, {1});
        CHECK(run(by_answer, responses).visibility == "[0, 5]");
        responses.say(7, "x");
        CHECK(run(by_answer, responses).hidden == "[7]");
        responses.choose(5, {0}).say(0, "y");
        CHECK(run(by_answer, responses).hidden == "[0]");

        for (const char* target : {"0", "0.9", "-0.5", "x"}) {
            CAPTURE(target);
            auto by_fork = SchemaBuilder().fork(5, {{target, "True"}}).text(0, -1).runtime();
            auto state = run(by_fork, Responses(by_fork));
            CHECK(state.visibility == "[0, 5]");
            CHECK(state.failed == "[]");
        }
    }
}

TEST_CASE("survey state: forks route on the variables set by chosen answers") {
    auto schema = SchemaBuilder()
                      .choice(1, {A{2, {{"mood", "1"}}}, A{2, {{"mood", "5"}}}})
                      .fork(2, {{"3", "mood >= 3"}, {"4", "True"}})
                      .text(3, -1)
                      .text(4, -1)
                      .runtime();
    Responses responses(schema);
    CHECK(run(schema, responses).visibility == "[1]");

    responses.choose(1, {1});
    auto state = run(schema, responses);
    CHECK(state.visibility == "[1, 2, 3]");
    CHECK(state.variables == R"({"mood":5})");

    responses.choose(1, {0});
    state = run(schema, responses);
    CHECK(state.visibility == "[1, 2, 4]");
    CHECK(state.variables == R"({"mood":1})");

    SUBCASE("a target read from a variable, truncated like int()") {
        auto computed = SchemaBuilder()
                            .choice(1, {A{2, {{"go", "3.7"}}}, A{2, {{"go", "4"}}}, A{2}})
                            .fork(2, {{"go", "go > 0"}})
                            .text(3, -1)
                            .text(4, -1)
                            .runtime();
        Responses chosen(computed);
        chosen.choose(1, {0});
        CHECK(run(computed, chosen).visibility == "[1, 2, 3]");
        chosen.choose(1, {1});
        CHECK(run(computed, chosen).visibility == "[1, 2, 4]");
        chosen.choose(1, {2});  // no rule holds: the end
        CHECK(run(computed, chosen).visibility == "[1, 2]");
    }
    SUBCASE("targets that lead nowhere") {
        for (const char* target : {"99", "-1", "-7", "1e300", "go - 1"}) {
            CAPTURE(target);
            auto nowhere = SchemaBuilder().fork(1, {{target, "True"}}).text(3, -1).runtime();
            auto fork_state = run(nowhere, Responses(nowhere));
            CHECK(fork_state.visibility == "[1]");
            CHECK(fork_state.failed == "[]");
        }
    }
    SUBCASE("rules are tried in order, the first that holds wins") {
        auto ordered = SchemaBuilder()
                           .fork(1, {{"2", "False"}, {"3", "1 < 2 < 3"}, {"4", "True"}})
                           .text(2, -1)
                           .text(3, -1)
                           .text(4, -1)
                           .runtime();
        CHECK(run(ordered, Responses(ordered)).visibility == "[1, 3]");
    }
}

TEST_CASE(
    "survey state: multichoice answers open several routes, modifications in position order") {
    auto schema = SchemaBuilder()
                      .multichoice(1, {A{2, {{"x", "x * 10 + 1"}}}, A{3, {{"x", "x * 10 + 2"}}},
                                       A{4, {{"x", "x * 10 + 3"}}}, A{-1, {{"x", "9"}}, true}})
                      .text(2, -1, true)
                      .text(3, -1, true)
                      .text(4, -1, true)
                      .runtime();
    Responses responses(schema);
    responses.choose(1, {2, 0});
    auto state = run(schema, responses);
    CHECK(state.visibility == "[1, 2, 4]");
    CHECK(state.variables == R"({"x":13})");
    CHECK_FALSE(state.completed);

    responses.choose(1, {2, 1, 0}).say(2, "a").say(3, "b").say(4, "c");
    state = run(schema, responses);
    CHECK(state.visibility == "[1, 2, 3, 4]");
    CHECK(state.variables == R"({"x":123})");
    CHECK(state.completed);

    responses.choose(1, {3});
    state = run(schema, responses);
    CHECK(state.visibility == "[1]");
    CHECK(state.variables == R"({"x":9})");
    CHECK(state.hidden == "[2, 3, 4]");
    CHECK(state.completed);

    SUBCASE("two answers to the same question: visible once") {
        auto same = SchemaBuilder()
                        .multichoice(1, {A{2, {{"n", "n + 1"}}}, A{2, {{"n", "n + 1"}}}})
                        .choice(2, {A{-1, {{"n", "n * 100"}}}})
                        .runtime();
        Responses both(same);
        both.choose(1, {0, 1}).choose(2, {0});
        auto same_state = run(same, both);
        CHECK(same_state.visibility == "[1, 2]");
        CHECK(same_state.variables == R"({"n":200})");  // q2 processed once
    }
}

TEST_CASE("survey state: a successor with a lower position is processed after its predecessor") {
    // Positions: 1@0, 10@10, 5@5, 20@20, 30@30, 40@40. Lowest position first among the visible
    // questions not yet processed: 1, 10 (x = 1, shows 5), 5 (x = 2), 20 (x == 2 -> 30).
    // In list order (or breadth first) 20 would run before 5 and lead to 40.
    auto schema = SchemaBuilder()
                      .multichoice(1, {A{10}, A{20}})
                      .at(0)
                      .choice(10, {A{5, {{"x", "1"}}}})
                      .at(10)
                      .choice(5, {A{-1, {{"x", "x + 1"}}}}, true)
                      .at(5)
                      .fork(20, {{"30", "x == 2"}, {"40", "True"}})
                      .at(20)
                      .text(30, -1)
                      .at(30)
                      .text(40, -1)
                      .at(40)
                      .runtime();
    Responses responses(schema);
    responses.choose(1, {0, 1}).choose(10, {0}).choose(5, {0});
    auto state = run(schema, responses);
    CHECK(state.visibility == "[1, 5, 10, 20, 30]");
    CHECK(state.variables == R"({"x":2})");
    CHECK(state.completed);

    responses.clear(5);
    state = run(schema, responses);
    CHECK(state.visibility == "[1, 5, 10, 20, 40]");
    CHECK_FALSE(state.completed);  // q5 is visible, required, unanswered

    SUBCASE("a successor placed before the entry's other successors") {
        // 1@0 -> 3@50 -> 2@10: 2 is still visible though the list puts it last.
        auto back =
            SchemaBuilder().text(1, 3).at(0).text(3, 2).at(50).text(2, -1, true).at(10).runtime();
        auto back_state = run(back, Responses(back));
        CHECK(back_state.visibility == "[1, 2, 3]");
        CHECK_FALSE(back_state.completed);
    }
}

TEST_CASE(
    "survey state: the entry is the question with the lowest position, not the first listed") {
    auto schema = SchemaBuilder().text(5, -1).at(3).text(2, 5).at(1).text(9, -1).at(2).runtime();
    CHECK(schema.entry_index() == 1);
    CHECK(run(schema, Responses(schema)).visibility == "[2, 5]");
}

TEST_CASE("survey state: division by zero in a fork makes nothing visible") {
    auto schema = SchemaBuilder()
                      .choice(1, {A{2, {{"d", "0"}}}, A{2, {{"d", "2"}}}})
                      .fork(2, {{"3", "10 / d > 1"}, {"4", "True"}})
                      .text(3, -1)
                      .text(4, -1)
                      .runtime();
    Responses responses(schema);
    responses.choose(1, {0});
    auto state = run(schema, responses);
    CHECK(state.visibility == "[1, 2]");  // not 4: the failing rule stops the fork
    CHECK(state.failed == "[2]");
    CHECK(state.variables == R"({"d":0})");

    responses.choose(1, {1});
    state = run(schema, responses);
    CHECK(state.visibility == "[1, 2, 3]");
    CHECK(state.failed == "[]");

    SUBCASE("in the target") {
        for (const char* target : {"3 // d", "3 % d", "3 / d"}) {
            CAPTURE(target);
            auto failing =
                SchemaBuilder().fork(7, {{target, "True"}}).text(3, -1).text(0, -1).runtime();
            auto failing_state = run(failing, Responses(failing));
            CHECK(failing_state.visibility == "[7]");
            CHECK(failing_state.failed == "[7]");
        }
    }
    SUBCASE("a later rule's failure does not matter when an earlier one holds") {
        auto early = SchemaBuilder()
                         .fork(1, {{"3", "True"}, {"4", "1 / 0"}})
                         .text(3, -1)
                         .text(4, -1)
                         .runtime();
        auto early_state = run(early, Responses(early));
        CHECK(early_state.visibility == "[1, 3]");
        CHECK(early_state.failed == "[]");
    }
}

TEST_CASE("survey state: a failing modification leaves its variable unchanged") {
    auto schema =
        SchemaBuilder()
            .multichoice(1, {A{2, {{"x", "7"}}}, A{3, {{"x", "x / 0"}}}, A{4, {{"z", "x + 1"}}}})
            .text(2, -1)
            .text(3, -1)
            .text(4, -1)
            .runtime();
    Responses responses(schema);
    responses.choose(1, {0, 1, 2});
    auto state = run(schema, responses);
    CHECK(state.visibility == "[1, 2, 3, 4]");  // the routes are followed all the same
    CHECK(state.failed == "[1]");
    CHECK(state.variables == R"({"x":7,"z":8})");

    // A variable never assigned because its only modification failed stays unassigned.
    auto never = SchemaBuilder().choice(1, {A{-1, {{"y", "1 // y"}}}}).runtime();
    Responses one(never);
    one.choose(1, {0});
    auto never_state = run(never, one);
    CHECK(never_state.failed == "[1]");
    CHECK(never_state.variables == "{}");
}

TEST_CASE("survey state: modifications after a failing one in the same answer still apply") {
    // The decision: "a failing modification leaves the variable unchanged" — the failing one
    // only; [y, 3] does not fail.
    auto schema = SchemaBuilder()
                      .choice(1, {A{2, {{"x", "1"}, {"x", "x / 0"}, {"y", "3"}, {"x", "x + 1"}}}})
                      .text(2, -1)
                      .runtime();
    Responses responses(schema);
    responses.choose(1, {0});
    auto state = run(schema, responses);
    CHECK(state.failed == "[1]");
    CHECK(state.variables == R"({"x":2,"y":3})");
}

TEST_CASE("survey state: failed_expressions are ascending and listed once") {
    auto schema = SchemaBuilder()
                      .multichoice(9, {A{4, {{"a", "1 / 0"}}}, A{4, {{"b", "1 % 0"}}}})
                      .fork(4, {{"2", "1 // 0"}})
                      .runtime();
    Responses responses(schema);
    responses.choose(9, {0, 1});
    auto state = run(schema, responses);
    CHECK(state.visibility == "[4, 9]");
    CHECK(state.failed == "[4, 9]");
    CHECK(state.variables == "{}");
}

TEST_CASE("survey state: message, control and fork questions never count for completed") {
    auto schema = SchemaBuilder()
                      .message(1, 2, true)
                      .typed(2, QuestionType::control, 3, true)
                      .fork(3, {{"4", "True"}}, true)
                      .message(4, 5, true)
                      .text(5, -1)
                      .runtime();
    Responses responses(schema);
    auto state = run(schema, responses);
    CHECK(state.visibility == "[1, 2, 3, 4, 5]");
    CHECK(state.completed);

    // A message in the middle of a chain of answered questions.
    auto chain = SchemaBuilder()
                     .choice(1, {A{2, {{"seen", "1"}}}}, true)
                     .message(2, 3)
                     .fork(3, {{"4", "seen"}, {"5", "True"}})
                     .text(4, 6, true)
                     .text(5, -1, true)
                     .message(6, -1, true)
                     .runtime();
    Responses chained(chain);
    CHECK(run(chain, chained).visibility == "[1]");
    chained.choose(1, {0});
    state = run(chain, chained);
    CHECK(state.visibility == "[1, 2, 3, 4, 6]");
    CHECK_FALSE(state.completed);
    chained.say(4, "done");
    CHECK(run(chain, chained).completed);
}

TEST_CASE("survey state: question-level variable_modifications are not applied") {
    auto schema = SchemaBuilder()
                      .text(1, 2)
                      .asking({{"x", "5"}})
                      .choice(2, {A{3, {{"y", "x + 1"}}}})
                      .asking({{"x", "50"}})
                      .fork(3, {{"4", "x == 5 or x == 50"}, {"5", "True"}})
                      .asking({{"x", "500"}})
                      .text(4, -1)
                      .text(5, -1)
                      .runtime();
    Responses responses(schema);
    responses.say(1, "a").choose(2, {0});
    auto state = run(schema, responses);
    CHECK(state.visibility == "[1, 2, 3, 5]");
    CHECK(state.variables == R"({"y":1})");
}

TEST_CASE("survey state: answers to hidden questions change no variable") {
    auto schema = SchemaBuilder()
                      .choice(1, {A{2}, A{3}})
                      .fork(2, {{"4", "x == 1"}, {"5", "True"}})
                      .choice(3, {A{-1, {{"x", "1"}}}})
                      .text(4, -1)
                      .text(5, -1)
                      .runtime();
    Responses responses(schema);
    responses.choose(1, {0}).choose(3, {0});
    auto state = run(schema, responses);
    CHECK(state.visibility == "[1, 2, 5]");
    CHECK(state.hidden == "[3]");
    CHECK(state.variables == "{}");
}

TEST_CASE("survey state: loops terminate, each visible question is processed once") {
    auto schema = SchemaBuilder()
                      .choice(1, {A{2, {{"n", "n + 1"}}}})
                      .text(2, 1)
                      .fork(3, {{"1", "True"}})
                      .runtime();
    Responses responses(schema);
    responses.choose(1, {0});
    auto state = run(schema, responses);
    CHECK(state.visibility == "[1, 2]");
    CHECK(state.variables == R"({"n":1})");
    CHECK(state.hidden == "[]");

    auto self = SchemaBuilder().message(1, 1).runtime();
    CHECK(run(self, Responses(self)).visibility == "[1]");
}

TEST_CASE("survey state: an open choice's free text changes nothing") {
    auto schema = SchemaBuilder().choice(1, {A{2}, A{-1}}, true).text(2, -1).build();
    schema.questions[0].choice_open = true;
    RuntimeSchema runtime(schema);
    Responses responses(runtime);
    responses.choose(1, {0}, "because");
    auto state = run(runtime, responses);
    CHECK(state.visibility == "[1, 2]");
    CHECK(state.completed);
}

TEST_CASE("survey state: a computer reused gives each call its own state") {
    auto schema = SchemaBuilder()
                      .choice(1, {A{2, {{"x", "x + 1"}}}, A{3, {{"y", "1 / 0"}}}}, true)
                      .text(2, -1, true)
                      .text(3, -1)
                      .runtime();
    SurveyStateComputer computer(schema);
    Responses first(schema);
    first.choose(1, {0}).say(3, "x");
    Responses second(schema);
    second.choose(1, {1}).say(2, "y");

    SurveyState first_state = computer.compute(first.span());
    CHECK(list(first_state.visibility) == "[1, 2]");
    CHECK(list(first_state.hidden_answers) == "[3]");
    CHECK_FALSE(first_state.completed);
    CHECK(schema.variables_json(first_state.variables).dump() == R"({"x":1})");

    SurveyState second_state = computer.compute(second.span());
    CHECK(list(second_state.visibility) == "[1, 3]");
    CHECK(list(second_state.hidden_answers) == "[2]");
    CHECK(list(second_state.failed_expressions) == "[1]");
    CHECK(second_state.completed);
    CHECK(schema.variables_json(second_state.variables).dump() == "{}");

    // The same answers again: the same state (x is 1 again, not 2).
    CHECK(computer.compute(first.span()) == first_state);
    Responses none(schema);
    const auto& empty_state = computer.compute(none.span());
    CHECK(list(empty_state.visibility) == "[1]");
    CHECK(list(empty_state.hidden_answers) == "[]");
    CHECK(list(empty_state.failed_expressions) == "[]");
    CHECK_FALSE(empty_state.completed);
}

TEST_CASE("survey state: a schema without questions is complete and shows nothing") {
    RuntimeSchema schema{chat::Schema{}};
    SurveyStateComputer computer(schema);
    const auto& state = computer.compute({});
    CHECK(state.visibility.empty());
    CHECK(state.hidden_answers.empty());
    CHECK(state.completed);
}

TEST_CASE("survey state: JSON form") {
    auto schema = SchemaBuilder().choice(0, {A{2}, A{3}}, true).text(2, -1).text(3, -1).runtime();
    Responses responses(schema);
    responses.choose(0, {0}).say(3, "x");
    SurveyStateComputer computer(schema);
    CHECK(chat::survey_state_json(computer.compute(responses.span())).dump() ==
          R"({"completed":true,"hidden_answers":[3],"visibility":[0,2]})");
    Responses none(schema);
    CHECK(chat::survey_state_json(computer.compute(none.span())).dump() ==
          R"({"completed":false,"hidden_answers":[],"visibility":[0]})");
}

// --- RuntimeSchema ------------------------------------------------------------------------------

TEST_CASE("survey runtime schema: questions by qid and by position") {
    auto schema = SchemaBuilder()
                      .text(7, -1)
                      .at(30)
                      .text(0, 7)
                      .at(10)
                      .text(3, 0)
                      .at(-5)
                      .text(100, -1)
                      .at(20)
                      .runtime();
    CHECK(schema.question_count() == 4);
    CHECK(schema.index_of(7) == 0u);
    CHECK(schema.index_of(0) == 1u);
    CHECK(schema.index_of(3) == 2u);
    CHECK(schema.index_of(100) == 3u);
    CHECK_FALSE(schema.index_of(1));
    CHECK_FALSE(schema.index_of(-1));
    CHECK_FALSE(schema.index_of(101));
    CHECK(schema.entry_index() == 2);
    CHECK(schema.by_position() == std::vector<std::size_t>{2, 1, 3, 0});
    CHECK(schema.rank_of(2) == 0);
    CHECK(schema.rank_of(1) == 1);
    CHECK(schema.rank_of(3) == 2);
    CHECK(schema.rank_of(0) == 3);
    CHECK(schema.question(3).qid == 100);
    CHECK(schema.schema().questions.size() == 4);
    CHECK(schema.variable_names().empty());
    CHECK(schema.empty_pool().size() == 0);
}

TEST_CASE("survey runtime schema: variables, modifications and forks") {
    auto schema = SchemaBuilder()
                      .choice(1, {A{2, {{"a", "b + 1"}, {"b", "a * 2"}}}, A{2, {{"c", "1 / a"}}}})
                      .asking({{"q", "q + 10"}})
                      .fork(2, {{"a + 0.9", "b > 3"}, {"-1", "b > 1"}, {"1e300", "c"}})
                      .runtime();
    const auto& names = schema.variable_names();
    CHECK(names.size() == 4);
    for (const char* name : {"a", "b", "c", "q"}) {
        CAPTURE(name);
        CHECK(std::find(names.begin(), names.end(), name) != names.end());
    }
    auto pool = schema.empty_pool();
    CHECK(pool.size() == 4);
    CHECK(schema.variables_json(pool).dump() == "{}");

    schema.apply_question_modifications(0, pool);
    schema.apply_question_modifications(0, pool);
    CHECK(schema.variables_json(pool).dump() == R"({"q":20})");

    // b reads as 0 before it is set.
    schema.apply_answer_modifications(0, 0, pool);
    CHECK(schema.variables_json(pool).dump() == R"({"a":1,"b":2,"q":20})");
    auto target = schema.fork_target(1, pool);
    CHECK(target.kind == chat::TargetQid::Kind::end);  // b > 1: -1

    schema.apply_answer_modifications(0, 0, pool);  // a = 3, b = 6
    target = schema.fork_target(1, pool);
    CHECK(target.kind == chat::TargetQid::Kind::question);
    CHECK(target.qid == 3);  // int(3.9)

    schema.apply_answer_modifications(0, 1, pool);  // c = 1/3
    CHECK(schema.variables_json(pool).dump() == R"({"a":3,"b":6,"c":0.3333333333333333,"q":20})");

    pool.clear();
    CHECK(schema.variables_json(pool).dump() == "{}");
    CHECK(schema.fork_target(1, pool).kind == chat::TargetQid::Kind::end);  // no rule holds
    CHECK_THROWS_AS(schema.apply_answer_modifications(0, 1, pool), chat::expr::EvaluationError);
    CHECK(schema.variables_json(pool).dump() == "{}");
}

TEST_CASE("survey runtime schema: a failing modification keeps the assignments before it") {
    auto schema =
        SchemaBuilder().choice(1, {A{-1, {{"a", "1"}, {"b", "a / 0"}, {"c", "2"}}}}).runtime();
    auto pool = schema.empty_pool();
    CHECK_THROWS_AS(schema.apply_answer_modifications(0, 0, pool), chat::expr::EvaluationError);
    CHECK(schema.variables_json(pool).dump() == R"({"a":1})");
}

TEST_CASE("survey runtime schema: skipping failures applies every modification that succeeds") {
    auto schema = SchemaBuilder()
                      .choice(1, {A{-1, {{"a", "1"}, {"b", "a / 0"}, {"c", "2"}, {"a", "a + c"}}},
                                  A{-1, {{"b", "5"}, {"b", "b % 0"}}}, A{-1, {{"d", "4"}}}})
                      .runtime();
    auto pool = schema.empty_pool();
    CHECK_FALSE(schema.apply_answer_modifications_skipping_failures(0, 0, pool));
    CHECK(schema.variables_json(pool).dump() == R"({"a":3,"c":2})");
    CHECK_FALSE(schema.apply_answer_modifications_skipping_failures(0, 1, pool));
    CHECK(schema.variables_json(pool).dump() == R"({"a":3,"b":5,"c":2})");  // b keeps 5
    CHECK(schema.apply_answer_modifications_skipping_failures(0, 2, pool));
    CHECK(schema.variables_json(pool).dump() == R"({"a":3,"b":5,"c":2,"d":4})");
}

TEST_CASE("survey runtime schema: expressions that do not parse are refused") {
    CHECK_THROWS_AS(SchemaBuilder().choice(1, {A{-1, {{"a", "1 +"}}}}).runtime(),
                    std::invalid_argument);
    CHECK_THROWS_AS(SchemaBuilder().fork(1, {{"2", "a >"}}).runtime(), std::invalid_argument);
    CHECK_THROWS_AS(SchemaBuilder().fork(1, {{"(", "True"}}).runtime(), std::invalid_argument);
    CHECK_THROWS_AS(SchemaBuilder().text(1, -1).asking({{"a", "import os"}}).runtime(),
                    std::invalid_argument);
}

TEST_CASE("survey runtime schema: variables print as integers when whole") {
    auto schema =
        SchemaBuilder()
            .choice(
                1,
                {A{-1, {{"i", "2.0"}, {"f", "2.5"}, {"n", "-3"}, {"z", "-0.0"}, {"big", "1e20"}}}})
            .runtime();
    auto pool = schema.empty_pool();
    schema.apply_answer_modifications(0, 0, pool);
    auto json = schema.variables_json(pool);
    CHECK(json["i"].is_number_integer());
    CHECK(json["i"] == 2);
    CHECK(json["f"] == 2.5);
    CHECK(json["n"] == -3);
    CHECK(json["z"] == 0);
    CHECK(json["big"] == 1e20);
}
