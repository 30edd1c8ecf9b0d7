#include <chat/expression.hpp>
#include <chat/survey.hpp>

#include <algorithm>
#include <bit>

namespace chat {
namespace {

constexpr std::size_t k_word_bits = 64;

std::size_t word_count(std::size_t bits) {
    return (bits + k_word_bits - 1) / k_word_bits;
}

bool has_bit(const std::vector<std::uint64_t>& words, std::size_t bit) {
    return ((words[bit / k_word_bits] >> (bit % k_word_bits)) & 1U) != 0;
}

std::size_t bit_index(std::uint64_t bits) {
    return static_cast<std::size_t>(std::countr_zero(bits));
}

void set_bit(std::vector<std::uint64_t>& words, std::size_t bit) {
    words[bit / k_word_bits] |= std::uint64_t{1} << (bit % k_word_bits);
}

}  // namespace

SurveyStateComputer::SurveyStateComputer(const RuntimeSchema& schema)
    : m_schema(schema),
      m_is_visible(word_count(schema.question_count()), 0),
      m_is_pending(word_count(schema.question_count()), 0) {
    m_state.variables = schema.empty_pool();
}

// inline: the helpers of compute() would otherwise stay calls through the shared library.
inline void SurveyStateComputer::list_visible_and_hidden(
    std::span<const CheckedAnswer* const> answers) {
    const auto& qids = m_schema.sorted_qids();
    const auto& by_qid = m_schema.by_qid();
    for (std::size_t word = 0; word < m_is_visible.size(); ++word) {
        std::size_t first = word * k_word_bits;
        std::size_t end = std::min(first + k_word_bits, qids.size());
        // Answered questions as bits, without a branch: answers come in no pattern a branch
        // would predict.
        std::uint64_t is_answered = 0;
        for (std::size_t rank = first; rank < end; ++rank) {
            is_answered |= std::uint64_t{answers[by_qid[rank]] != nullptr} << (rank - first);
        }
        for (std::uint64_t bits = m_is_visible[word]; bits != 0; bits &= bits - 1) {
            m_state.visibility.push_back(qids[first + bit_index(bits)]);
        }
        for (std::uint64_t bits = is_answered & ~m_is_visible[word]; bits != 0; bits &= bits - 1) {
            m_state.hidden_answers.push_back(qids[first + bit_index(bits)]);
        }
    }
}

inline void SurveyStateComputer::make_visible(std::size_t index) {
    if (index == RuntimeSchema::k_no_question) {
        return;
    }
    std::size_t qid_rank = m_schema.qid_rank_of(index);
    if (has_bit(m_is_visible, qid_rank)) {
        return;
    }
    set_bit(m_is_visible, qid_rank);
    std::size_t rank = m_schema.rank_of(index);
    set_bit(m_is_pending, rank);
    m_first_pending_word = std::min(m_first_pending_word, rank / k_word_bits);
}

inline void SurveyStateComputer::process_choice(std::size_t index, const CheckedAnswer& answer) {
    for (std::size_t chosen : answer.chosen) {
        if (m_schema.has_answer_modifications(index, chosen) &&
            !m_schema.apply_answer_modifications_skipping_failures(index, chosen,
                                                                   m_state.variables)) {
            m_state.failed_expressions.push_back(m_schema.flow(index).qid);
        }
    }
    for (std::size_t chosen : answer.chosen) {
        make_visible(m_schema.answer_next_index(index, chosen));
    }
}

inline void SurveyStateComputer::process(std::size_t index, const CheckedAnswer* answer) {
    const RuntimeSchema::Flow& flow = m_schema.flow(index);
    if (flow.is_required && !answer) {
        m_state.completed = false;
    }
    switch (flow.type) {
        case QuestionType::choice:
        case QuestionType::multichoice:
            if (answer) {
                process_choice(index, *answer);
            }
            return;
        case QuestionType::fork:
            try {
                auto target = m_schema.fork_target(index, m_state.variables);
                if (target.kind == TargetQid::Kind::question && target.qid >= 0) {
                    make_visible(
                        m_schema.index_of(target.qid).value_or(RuntimeSchema::k_no_question));
                }
            } catch (const expr::EvaluationError&) {
                m_state.failed_expressions.push_back(flow.qid);
            }
            return;
        default:
            make_visible(flow.next_index);
            return;
    }
}

// Hot path (SPEC §14: stateless mode at 1,000,000 responses/s): no lookups by qid, no sorting,
// no allocation once the vectors have grown. Benchmark with scripts/bench after any change.
const SurveyState& SurveyStateComputer::compute(std::span<const CheckedAnswer* const> answers) {
    m_state.visibility.clear();
    m_state.hidden_answers.clear();
    m_state.failed_expressions.clear();
    m_state.variables.clear();
    m_state.completed = true;
    std::fill(m_is_visible.begin(), m_is_visible.end(), 0);
    std::fill(m_is_pending.begin(), m_is_pending.end(), 0);
    m_first_pending_word = m_is_pending.size();
    if (m_schema.question_count() == 0) {
        return m_state;
    }
    // Visible questions are processed once each, lowest position first: a successor placed
    // before its predecessor is still processed, after it (SPEC §10).
    make_visible(m_schema.entry_index());
    const auto& by_position = m_schema.by_position();
    while (true) {
        std::size_t word = m_first_pending_word;
        while (word < m_is_pending.size() && m_is_pending[word] == 0) {
            ++word;
        }
        if (word == m_is_pending.size()) {
            break;
        }
        m_first_pending_word = word;
        std::uint64_t& bits = m_is_pending[word];
        std::size_t rank = word * k_word_bits + static_cast<std::size_t>(std::countr_zero(bits));
        bits &= bits - 1;
        std::size_t question = by_position[rank];
        process(question, answers[question]);
    }
    list_visible_and_hidden(answers);
    auto& failed = m_state.failed_expressions;
    if (!failed.empty()) {
        std::sort(failed.begin(), failed.end());
        failed.erase(std::unique(failed.begin(), failed.end()), failed.end());
    }
    return m_state;
}

nlohmann::json survey_state_json(const SurveyState& state) {
    return {{"visibility", state.visibility},
            {"completed", state.completed},
            {"hidden_answers", state.hidden_answers}};
}

}  // namespace chat
