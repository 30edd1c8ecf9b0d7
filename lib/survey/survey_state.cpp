#include <chat/expression.hpp>
#include <chat/survey.hpp>

#include <algorithm>
#include <functional>

namespace chat {

SurveyStateComputer::SurveyStateComputer(const RuntimeSchema& schema)
    : m_schema(schema), m_is_visible(schema.question_count(), 0) {
    m_state.variables = schema.empty_pool();
}

const SurveyState& SurveyStateComputer::compute(std::span<const CheckedAnswer* const> answers) {
    m_state.visibility.clear();
    m_state.hidden_answers.clear();
    m_state.failed_expressions.clear();
    m_state.variables.clear();
    m_state.completed = true;
    std::fill(m_is_visible.begin(), m_is_visible.end(), 0);
    m_pending_ranks.clear();
    if (m_schema.question_count() == 0) {
        return m_state;
    }
    // Visible questions are processed once each, lowest position first: a successor placed
    // before its predecessor is still processed, after it (SPEC §10).
    m_is_visible[m_schema.entry_index()] = 1;
    m_pending_ranks.push_back(m_schema.rank_of(m_schema.entry_index()));
    while (!m_pending_ranks.empty()) {
        std::pop_heap(m_pending_ranks.begin(), m_pending_ranks.end(), std::greater<>{});
        std::size_t question = m_schema.by_position()[m_pending_ranks.back()];
        m_pending_ranks.pop_back();
        process(question, answers[question]);
    }
    for (std::size_t index = 0; index < m_is_visible.size(); ++index) {
        std::int64_t qid = m_schema.question(index).qid;
        if (m_is_visible[index]) {
            m_state.visibility.push_back(qid);
        } else if (answers[index]) {
            m_state.hidden_answers.push_back(qid);
        }
    }
    std::sort(m_state.visibility.begin(), m_state.visibility.end());
    std::sort(m_state.hidden_answers.begin(), m_state.hidden_answers.end());
    auto& failed = m_state.failed_expressions;
    std::sort(failed.begin(), failed.end());
    failed.erase(std::unique(failed.begin(), failed.end()), failed.end());
    return m_state;
}

void SurveyStateComputer::process(std::size_t index, const CheckedAnswer* answer) {
    const Question& question = m_schema.question(index);
    bool takes_answer = question.type != QuestionType::message &&
                        question.type != QuestionType::control &&
                        question.type != QuestionType::fork;
    if (takes_answer && question.required && !answer) {
        m_state.completed = false;
    }
    if (is_answered_by_choice(question.type)) {
        if (!answer) {
            return;
        }
        for (std::size_t chosen : answer->chosen) {
            if (!m_schema.apply_answer_modifications_skipping_failures(index, chosen,
                                                                       m_state.variables)) {
                m_state.failed_expressions.push_back(question.qid);
            }
        }
        for (std::size_t chosen : answer->chosen) {
            make_visible(question.answers[chosen].next_qid.value_or(-1));
        }
    } else if (question.type == QuestionType::fork) {
        try {
            auto target = m_schema.fork_target(index, m_state.variables);
            if (target.kind == TargetQid::Kind::question) {
                make_visible(target.qid);
            }
        } catch (const expr::EvaluationError&) {
            m_state.failed_expressions.push_back(question.qid);
        }
    } else {
        make_visible(question.next_qid.value_or(-1));
    }
}

void SurveyStateComputer::make_visible(std::int64_t qid) {
    if (qid < 0) {
        return;
    }
    auto index = m_schema.index_of(qid);
    if (!index || m_is_visible[*index]) {
        return;
    }
    m_is_visible[*index] = 1;
    m_pending_ranks.push_back(m_schema.rank_of(*index));
    std::push_heap(m_pending_ranks.begin(), m_pending_ranks.end(), std::greater<>{});
}

nlohmann::json survey_state_json(const SurveyState& state) {
    return {{"visibility", state.visibility},
            {"completed", state.completed},
            {"hidden_answers", state.hidden_answers}};
}

}  // namespace chat
