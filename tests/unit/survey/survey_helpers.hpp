#pragma once
// Hand-made schemas and answer sets for the survey tests: Schema structs built in code (no
// validation), answers checked with check_answer so that only valid ones reach the computer.

#include <chat/answer.hpp>
#include <chat/model.hpp>
#include <chat/runtime_schema.hpp>
#include <chat/survey.hpp>

#include <doctest/doctest.h>

#include <cstdint>
#include <initializer_list>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace chat::survey_test {

inline LocalizedText plain_text(std::string text) {
    LocalizedText localized;
    Translation translation;
    translation.text = std::move(text);
    localized.translations.push_back(std::move(translation));
    return localized;
}

using Modifications = std::vector<std::pair<std::string, std::string>>;

inline std::vector<VariableModification> modifications(const Modifications& pairs) {
    std::vector<VariableModification> result;
    for (const auto& [variable, expression] : pairs) {
        VariableModification modification;
        modification.variable = variable;
        modification.expression = expression;
        result.push_back(std::move(modification));
    }
    return result;
}

/// An answer of a choice question: where it leads and what it assigns.
struct A {
    std::int64_t next_qid;
    Modifications mods = {};
    bool exclusive = false;
};

/// Builds a schema question by question; positions default to the order of the calls.
class SchemaBuilder {
public:
    /// A question routing by next_qid (text, int, message, control...).
    SchemaBuilder& typed(std::int64_t qid, QuestionType type, std::int64_t next_qid,
                         bool required = false) {
        Question& question = add(qid, type);
        question.next_qid = next_qid;
        question.required = required;
        return *this;
    }
    SchemaBuilder& text(std::int64_t qid, std::int64_t next_qid, bool required = false) {
        return typed(qid, QuestionType::text, next_qid, required);
    }
    SchemaBuilder& message(std::int64_t qid, std::int64_t next_qid, bool required = false) {
        return typed(qid, QuestionType::message, next_qid, required);
    }
    SchemaBuilder& choice(std::int64_t qid, std::vector<A> answers, bool required = false,
                          QuestionType type = QuestionType::choice) {
        Question& question = add(qid, type);
        question.required = required;
        for (std::size_t index = 0; index < answers.size(); ++index) {
            Answer answer;
            answer.text = plain_text("answer " + std::to_string(index));
            answer.next_qid = answers[index].next_qid;
            answer.exclusive = answers[index].exclusive;
            answer.variable_modifications = modifications(answers[index].mods);
            answer.position = static_cast<std::int64_t>(index);
            question.answers.push_back(std::move(answer));
        }
        return *this;
    }
    SchemaBuilder& multichoice(std::int64_t qid, std::vector<A> answers, bool required = false) {
        return choice(qid, std::move(answers), required, QuestionType::multichoice);
    }
    /// rules: {target, condition} pairs.
    SchemaBuilder& fork(std::int64_t qid, Modifications rules, bool required = false) {
        Question& question = add(qid, QuestionType::fork);
        question.required = required;
        for (const auto& [target, condition] : rules) {
            ForkRule rule;
            rule.target = target;
            rule.condition = condition;
            question.forking_rules.push_back(std::move(rule));
        }
        return *this;
    }
    /// Changes the last question's position.
    SchemaBuilder& at(std::int64_t position) {
        m_schema.questions.back().position = position;
        return *this;
    }
    /// Sets the last question's own variable_modifications.
    SchemaBuilder& asking(Modifications mods) {
        m_schema.questions.back().variable_modifications = modifications(mods);
        return *this;
    }
    Schema build() const { return m_schema; }
    RuntimeSchema runtime() const { return RuntimeSchema(m_schema); }

private:
    Question& add(std::int64_t qid, QuestionType type) {
        Question question;
        question.qid = qid;
        question.type = type;
        question.position = static_cast<std::int64_t>(m_schema.questions.size());
        if (type != QuestionType::fork) {
            question.text = plain_text("question " + std::to_string(qid));
        }
        m_schema.questions.push_back(std::move(question));
        return m_schema.questions.back();
    }

    Schema m_schema = [] {
        Schema schema;
        schema.name = "test";
        schema.type = "survey";
        return schema;
    }();
};

/// Valid answers by qid, laid out by question index for SurveyStateComputer::compute.
class Responses {
public:
    explicit Responses(const RuntimeSchema& schema)
        : m_schema(&schema),
          m_storage(schema.question_count()),
          m_pointers(schema.question_count(), nullptr) {}

    /// Answers by positions; REQUIREs a valid answer.
    Responses& choose(std::int64_t qid, std::vector<std::int64_t> positions,
                      std::optional<std::string_view> text = std::nullopt) {
        AnswerInput input;
        input.text = text;
        for (auto position : positions) {
            input.answers.emplace_back(position);
        }
        REQUIRE_MESSAGE(give(qid, input), "answer to qid " << qid << " must be valid");
        return *this;
    }
    /// A typed answer; REQUIREs a valid answer.
    Responses& say(std::int64_t qid, std::string_view text) {
        AnswerInput input;
        input.text = text;
        REQUIRE_MESSAGE(give(qid, input), "answer to qid " << qid << " must be valid");
        return *this;
    }
    /// Any answer: a valid one is kept, an invalid one counts as none. Returns whether valid.
    bool give(std::int64_t qid, const AnswerInput& input) {
        auto index = m_schema->index_of(qid);
        REQUIRE_MESSAGE(index, "qid " << qid << " must be in the schema");
        bool is_valid = check_answer(m_schema->question(*index), input, m_storage[*index]).empty();
        m_pointers[*index] = is_valid ? &m_storage[*index] : nullptr;
        return is_valid;
    }
    Responses& clear(std::int64_t qid) {
        m_pointers[*m_schema->index_of(qid)] = nullptr;
        return *this;
    }
    std::span<const CheckedAnswer* const> span() const { return m_pointers; }

private:
    const RuntimeSchema* m_schema;
    std::vector<CheckedAnswer> m_storage;
    std::vector<const CheckedAnswer*> m_pointers;
};

/// "[1, 2, 3]".
inline std::string list(const std::vector<std::int64_t>& values) {
    std::string text = "[";
    for (std::size_t i = 0; i < values.size(); ++i) {
        text += (i ? ", " : "") + std::to_string(values[i]);
    }
    return text + "]";
}

}  // namespace chat::survey_test
