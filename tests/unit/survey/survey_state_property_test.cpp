// Property test: SurveyStateComputer against a deliberately naive reading of SPEC §10 on random
// schemas and random answer sets (fixed seed, so every run checks the same cases).
//
// The naive version keeps visible/processed flags and, at every step, scans all questions for the
// visible, unprocessed one with the lowest position and processes it: apply the modifications of
// its chosen answers (answer position order; a failing one records the qid and leaves its
// variable unchanged, the next ones still apply), then show its next_qid (typed, message,
// control), its chosen answers' next_qids (choice), or its fork's target (nothing when a rule
// fails). Variables live in a std::map by name; question-level modifications are ignored.

#include "survey/survey_helpers.hpp"

#include <chat/expression.hpp>

#include <doctest/doctest.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <map>
#include <numeric>
#include <optional>
#include <random>
#include <set>
#include <string>
#include <vector>

using chat::AnswerChoice;
using chat::AnswerInput;
using chat::CheckedAnswer;
using chat::Question;
using chat::QuestionType;
using chat::RuntimeSchema;
using chat::Schema;
using chat::SurveyState;
using chat::SurveyStateComputer;
using chat::survey_test::list;

namespace {

using Variables = std::map<std::string, double>;

// Parses each expression text once and evaluates it against a map of variables.
class Evaluator {
public:
    double operator()(const std::string& text, const Variables& variables) {
        auto it = m_parsed.find(text);
        if (it == m_parsed.end()) {
            auto parsed = chat::expr::Expression::parse(text);
            REQUIRE_MESSAGE(std::holds_alternative<chat::expr::Expression>(parsed),
                            "generated expression must parse: " << text);
            it = m_parsed.emplace(text, std::get<chat::expr::Expression>(std::move(parsed))).first;
        }
        const auto& expression = it->second;
        std::vector<double> slots;
        for (const auto& name : expression.variables()) {
            auto found = variables.find(name);
            slots.push_back(found == variables.end() ? 0.0 : found->second);
        }
        return expression.evaluate(slots);
    }

private:
    std::map<std::string, chat::expr::Expression> m_parsed;
};

struct NaiveState {
    std::vector<std::int64_t> visibility;
    bool completed = true;
    std::vector<std::int64_t> hidden_answers;
    std::vector<std::int64_t> failed_expressions;
    Variables variables;
};

// Python's int() of a fork target: the qid it names, or nothing (end, or no possible qid).
std::optional<std::int64_t> naive_target(double value) {
    if (!std::isfinite(value)) {
        return std::nullopt;
    }
    double whole = std::trunc(value);
    if (whole < 0 || whole >= 9223372036854775808.0) {
        return std::nullopt;
    }
    return static_cast<std::int64_t>(whole);
}

NaiveState naive_state(const Schema& schema, const std::vector<const CheckedAnswer*>& answers,
                       Evaluator& evaluate) {
    const auto& questions = schema.questions;
    const std::size_t count = questions.size();
    std::vector<bool> visible(count, false);
    std::vector<bool> processed(count, false);
    NaiveState state;
    std::set<std::int64_t> failed;

    auto show = [&](std::int64_t qid) {
        if (qid < 0) {
            return;
        }
        for (std::size_t index = 0; index < count; ++index) {
            if (questions[index].qid == qid) {
                visible[index] = true;
            }
        }
    };

    if (count > 0) {
        std::size_t entry = 0;
        for (std::size_t index = 1; index < count; ++index) {
            if (questions[index].position < questions[entry].position) {
                entry = index;
            }
        }
        visible[entry] = true;
    }
    while (true) {
        std::optional<std::size_t> next;
        for (std::size_t index = 0; index < count; ++index) {
            if (visible[index] && !processed[index] &&
                (!next || questions[index].position < questions[*next].position)) {
                next = index;
            }
        }
        if (!next) {
            break;
        }
        const std::size_t index = *next;
        processed[index] = true;
        const Question& question = questions[index];
        const CheckedAnswer* answer = answers[index];
        switch (question.type) {
            case QuestionType::message:
            case QuestionType::control:
                show(question.next_qid.value_or(-1));
                break;
            case QuestionType::fork:
                try {
                    for (const auto& rule : question.forking_rules) {
                        if (evaluate(rule.condition, state.variables) != 0) {
                            if (auto qid = naive_target(evaluate(rule.target, state.variables))) {
                                show(*qid);
                            }
                            break;
                        }
                    }
                } catch (const chat::expr::EvaluationError&) {
                    failed.insert(question.qid);
                }
                break;
            case QuestionType::choice:
            case QuestionType::multichoice: {
                if (question.required && !answer) {
                    state.completed = false;
                }
                if (!answer) {
                    break;
                }
                std::vector<std::size_t> chosen = answer->chosen;
                std::sort(chosen.begin(), chosen.end(), [&](std::size_t a, std::size_t b) {
                    return question.answers[a].position < question.answers[b].position;
                });
                for (std::size_t choice : chosen) {
                    for (const auto& modification :
                         question.answers[choice].variable_modifications) {
                        try {
                            state.variables[modification.variable] =
                                evaluate(modification.expression, state.variables);
                        } catch (const chat::expr::EvaluationError&) {
                            failed.insert(question.qid);
                        }
                    }
                }
                for (std::size_t choice : chosen) {
                    show(question.answers[choice].next_qid.value_or(-1));
                }
                break;
            }
            default:
                if (question.required && !answer) {
                    state.completed = false;
                }
                show(question.next_qid.value_or(-1));
                break;
        }
    }
    for (std::size_t index = 0; index < count; ++index) {
        if (visible[index]) {
            state.visibility.push_back(questions[index].qid);
        } else if (answers[index]) {
            state.hidden_answers.push_back(questions[index].qid);
        }
    }
    std::sort(state.visibility.begin(), state.visibility.end());
    std::sort(state.hidden_answers.begin(), state.hidden_answers.end());
    state.failed_expressions.assign(failed.begin(), failed.end());
    return state;
}

// --- random schemas ----------------------------------------------------------------------------

const std::vector<std::string> k_modification_expressions = {
    "a + 1", "b + 2",         "a * b", "a - 1", "1 / b", "a // b",       "b % a", "3",
    "a + b", "max(a, b) + 1", "-a",    "a * 2", "b - a", "10 / (a - 1)", "0.5",   "a if b else 2",
};
const std::vector<std::string> k_conditions = {
    "True",  "False",     "a > 1",      "b == 0",
    "a < b", "1 / b > 0", "a % 2 == 1", "a >= 2 and b < 5",
    "not a", "b",         "1 <= a < 3", "abs(a - b) > 2",
};

class Generator {
public:
    explicit Generator(std::uint32_t seed) : m_random(seed) {}

    Schema schema() {
        Schema schema;
        schema.name = "random";
        schema.type = "survey";
        const std::size_t count = pick(1, 10);
        // Distinct qids from a small range, 0 included, so that qids collide with targets.
        std::vector<std::int64_t> qids(count + 3);
        std::iota(qids.begin(), qids.end(), std::int64_t{0});
        std::shuffle(qids.begin(), qids.end(), m_random);
        qids.resize(count);
        std::vector<std::int64_t> positions(3 * count);
        std::iota(positions.begin(), positions.end(), -static_cast<std::int64_t>(count));
        std::shuffle(positions.begin(), positions.end(), m_random);
        m_qids = qids;

        for (std::size_t index = 0; index < count; ++index) {
            Question question;
            question.qid = qids[index];
            question.position = positions[index];
            question.required = chance(0.4);
            question.type = question_type();
            question.text = chat::survey_test::plain_text("q");
            if (chance(0.15)) {  // never applied in surveys
                question.variable_modifications =
                    chat::survey_test::modifications({{"a", "a + 100"}, {"b", "1 / 0"}});
            }
            if (question.type == QuestionType::fork) {
                const std::size_t rules = pick(1, 3);
                for (std::size_t rule = 0; rule < rules; ++rule) {
                    chat::ForkRule fork_rule;
                    fork_rule.target = target();
                    fork_rule.condition = one_of(k_conditions);
                    question.forking_rules.push_back(std::move(fork_rule));
                }
                if (chance(0.1)) {
                    question.next_qid = next_qid();  // ignored: forks route by their rules
                }
            } else if (chat::is_answered_by_choice(question.type)) {
                const std::size_t answers = pick(1, 4);
                for (std::size_t number = 0; number < answers; ++number) {
                    chat::Answer answer;
                    answer.text = chat::survey_test::plain_text("answer " + std::to_string(number));
                    answer.position = static_cast<std::int64_t>(number);
                    answer.exclusive = question.type == QuestionType::multichoice && chance(0.15);
                    if (!chance(0.05)) {
                        answer.next_qid = next_qid();
                    }
                    const std::size_t modifications = pick(0, 2);
                    for (std::size_t m = 0; m < modifications; ++m) {
                        chat::VariableModification modification;
                        modification.variable = chance(0.5) ? "a" : "b";
                        modification.expression = one_of(k_modification_expressions);
                        answer.variable_modifications.push_back(std::move(modification));
                    }
                    question.answers.push_back(std::move(answer));
                }
                if (chance(0.1)) {
                    question.next_qid = next_qid();  // ignored: answers route
                }
            } else {
                question.next_qid = next_qid();
            }
            schema.questions.push_back(std::move(question));
        }
        return schema;
    }

    // A random set of answers: some valid, some invalid (counted as none), some absent.
    void answers(const RuntimeSchema& runtime, std::vector<CheckedAnswer>& storage,
                 std::vector<const CheckedAnswer*>& pointers) {
        const std::size_t count = runtime.question_count();
        storage.assign(count, CheckedAnswer{});
        pointers.assign(count, nullptr);
        for (std::size_t index = 0; index < count; ++index) {
            const Question& question = runtime.question(index);
            if (!chance(0.65)) {
                continue;
            }
            AnswerInput input;
            std::string text;
            switch (question.type) {
                case QuestionType::choice:
                    input.answers.emplace_back(random_position(question));
                    if (chance(0.05)) {
                        input.answers.emplace_back(random_position(question));
                    }
                    break;
                case QuestionType::multichoice: {
                    std::vector<std::int64_t> all(question.answers.size());
                    std::iota(all.begin(), all.end(), std::int64_t{0});
                    std::shuffle(all.begin(), all.end(), m_random);
                    all.resize(pick(1, all.size()));
                    for (auto position : all) {
                        input.answers.emplace_back(position);
                    }
                    break;
                }
                case QuestionType::text:
                case QuestionType::integer:
                    text = chance(0.9) ? " 7 " : "seven";
                    input.text = text;
                    break;
                default:
                    input.text = "anything";  // message, control, fork: never valid
                    break;
            }
            if (chat::check_answer(question, input, storage[index]).empty()) {
                pointers[index] = &storage[index];
            }
        }
    }

private:
    std::size_t pick(std::size_t low, std::size_t high) {
        return std::uniform_int_distribution<std::size_t>(low, high)(m_random);
    }
    bool chance(double probability) { return std::bernoulli_distribution(probability)(m_random); }
    const std::string& one_of(const std::vector<std::string>& values) {
        return values[pick(0, values.size() - 1)];
    }
    std::int64_t random_position(const Question& question) {
        return static_cast<std::int64_t>(pick(0, question.answers.size() - 1));
    }
    QuestionType question_type() {
        static const std::vector<QuestionType> k_types = {
            QuestionType::choice,      QuestionType::choice,  QuestionType::multichoice,
            QuestionType::multichoice, QuestionType::text,    QuestionType::integer,
            QuestionType::message,     QuestionType::control, QuestionType::fork,
            QuestionType::fork,
        };
        return k_types[pick(0, k_types.size() - 1)];
    }
    // Mostly a qid of the schema, sometimes the end, rarely a qid no question has.
    std::int64_t next_qid() {
        auto roll = pick(0, 19);
        if (roll < 3) {
            return -1;
        }
        if (roll == 3) {
            return 50;
        }
        return m_qids[pick(0, m_qids.size() - 1)];
    }
    std::string target() {
        switch (pick(0, 9)) {
            case 0:
                return "-1";
            case 1:
                return "a";
            case 2:
                return "b - 1";
            case 3:
                return "a + b";
            case 4:
                return "10 / a";
            case 5:
                return std::to_string(next_qid()) + " + 0.5";
            default:
                return std::to_string(next_qid());
        }
    }

    std::mt19937 m_random;
    std::vector<std::int64_t> m_qids;
};

// --- reporting ---------------------------------------------------------------------------------

std::string describe(const Schema& schema, const std::vector<const CheckedAnswer*>& answers) {
    std::string text;
    for (std::size_t index = 0; index < schema.questions.size(); ++index) {
        const Question& question = schema.questions[index];
        text += "  qid " + std::to_string(question.qid) + " @" + std::to_string(question.position) +
                " " + std::string(chat::question_type_name(question.type)) +
                (question.required ? " required" : "");
        if (question.next_qid) {
            text += " next " + std::to_string(*question.next_qid);
        }
        for (const auto& rule : question.forking_rules) {
            text += " [" + rule.target + " if " + rule.condition + "]";
        }
        for (const auto& answer : question.answers) {
            text += " {-> " + (answer.next_qid ? std::to_string(*answer.next_qid) : "none");
            if (answer.exclusive) {
                text += " excl";
            }
            for (const auto& modification : answer.variable_modifications) {
                text += "; " + modification.variable + " = " + modification.expression;
            }
            text += "}";
        }
        if (const CheckedAnswer* answer = answers[index]) {
            text += "  ANSWERED";
            for (auto chosen : answer->chosen) {
                text += " " + std::to_string(chosen);
            }
        }
        text += "\n";
    }
    return text;
}

std::string variables_text(const Variables& variables) {
    std::string text = "{";
    for (const auto& [name, value] : variables) {
        char number[32];
        std::snprintf(number, sizeof number, "%.17g", value);
        text += (text.size() > 1 ? ", " : "") + name + ": " + number;
    }
    return text + "}";
}

Variables pool_variables(const RuntimeSchema& runtime, const chat::VariablePool& pool) {
    Variables variables;
    for (std::size_t variable = 0; variable < pool.size(); ++variable) {
        if (pool.is_set(variable)) {
            variables[runtime.variable_names()[variable]] = pool.value(variable);
        }
    }
    return variables;
}

// Why the two states differ ("" when they agree).
std::string difference(const RuntimeSchema& runtime, const SurveyState& got,
                       const NaiveState& expected) {
    std::string text;
    if (got.visibility != expected.visibility) {
        text +=
            "visibility " + list(got.visibility) + ", expected " + list(expected.visibility) + "\n";
    }
    if (got.completed != expected.completed) {
        text += std::string("completed ") + (got.completed ? "true" : "false") + ", expected " +
                (expected.completed ? "true" : "false") + "\n";
    }
    if (got.hidden_answers != expected.hidden_answers) {
        text += "hidden_answers " + list(got.hidden_answers) + ", expected " +
                list(expected.hidden_answers) + "\n";
    }
    if (got.failed_expressions != expected.failed_expressions) {
        text += "failed_expressions " + list(got.failed_expressions) + ", expected " +
                list(expected.failed_expressions) + "\n";
    }
    if (auto variables = pool_variables(runtime, got.variables); variables != expected.variables) {
        text += "variables " + variables_text(variables) + ", expected " +
                variables_text(expected.variables) + "\n";
    }
    return text;
}

// Properties that hold whatever the schema: the entry is visible, lists are ascending and
// unique, hidden answers are answered and not visible.
std::string broken_invariants(const RuntimeSchema& runtime, const SurveyState& state,
                              const std::vector<const CheckedAnswer*>& answers) {
    std::string text;
    auto is_strictly_ascending = [](const std::vector<std::int64_t>& values) {
        return std::adjacent_find(values.begin(), values.end(),
                                  [](auto a, auto b) { return a >= b; }) == values.end();
    };
    auto contains = [](const std::vector<std::int64_t>& values, std::int64_t qid) {
        return std::binary_search(values.begin(), values.end(), qid);
    };
    if (!is_strictly_ascending(state.visibility) || !is_strictly_ascending(state.hidden_answers) ||
        !is_strictly_ascending(state.failed_expressions)) {
        text += "a list is not strictly ascending\n";
    }
    if (!contains(state.visibility, runtime.question(runtime.entry_index()).qid)) {
        text += "the entry is not visible\n";
    }
    for (std::size_t index = 0; index < runtime.question_count(); ++index) {
        std::int64_t qid = runtime.question(index).qid;
        bool is_visible = contains(state.visibility, qid);
        bool is_hidden = contains(state.hidden_answers, qid);
        if (is_hidden != (!is_visible && answers[index] != nullptr)) {
            text += "hidden_answers wrong for qid " + std::to_string(qid) + "\n";
        }
    }
    if (state.variables.size() != runtime.variable_names().size()) {
        text += "the pool does not match the schema's variables\n";
    }
    return text;
}

}  // namespace

TEST_CASE("survey state property: the computer agrees with a naive reading of the spec") {
    constexpr int k_schemas = 3000;
    constexpr int k_answer_sets = 4;
    constexpr int k_reported = 3;

    Generator generate(20240531u);
    Evaluator evaluate;
    std::vector<CheckedAnswer> storage;
    std::vector<const CheckedAnswer*> answers;
    int cases = 0;
    int mismatches = 0;
    int visible_total = 0;
    int failed_total = 0;
    int hidden_total = 0;
    int completed_total = 0;

    for (int schema_number = 0; schema_number < k_schemas; ++schema_number) {
        Schema schema = generate.schema();
        RuntimeSchema runtime(schema);
        SurveyStateComputer computer(runtime);  // reused across the answer sets
        for (int set = 0; set < k_answer_sets; ++set) {
            generate.answers(runtime, storage, answers);
            const SurveyState& got = computer.compute(answers);
            NaiveState expected = naive_state(schema, answers, evaluate);
            ++cases;
            visible_total += static_cast<int>(got.visibility.size());
            failed_total += static_cast<int>(got.failed_expressions.size());
            hidden_total += static_cast<int>(got.hidden_answers.size());
            completed_total += got.completed ? 1 : 0;

            std::string problem =
                difference(runtime, got, expected) + broken_invariants(runtime, got, answers);
            if (problem.empty()) {
                // A fresh computer gives the same state as the reused one.
                SurveyState reused = got;
                SurveyStateComputer fresh(runtime);
                if (!(fresh.compute(answers) == reused)) {
                    problem = "a fresh computer disagrees with the reused one\n";
                }
            }
            if (!problem.empty()) {
                if (++mismatches <= k_reported) {
                    FAIL_CHECK("schema " << schema_number << ", answer set " << set << ":\n"
                                         << problem << describe(schema, answers));
                }
            }
        }
    }
    MESSAGE(cases << " cases: " << visible_total << " visible questions, " << hidden_total
                  << " hidden answers, " << failed_total << " failed expressions, "
                  << completed_total << " completed");
    CHECK(mismatches == 0);
    // The generator reaches the interesting situations.
    CHECK(failed_total > 100);
    CHECK(hidden_total > 1000);
    CHECK(completed_total > 1000);
    CHECK(completed_total < cases - 1000);
}
