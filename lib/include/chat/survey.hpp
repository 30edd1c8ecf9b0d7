#pragma once
/// The state of a survey (SPEC §10): which questions are visible and whether the survey is
/// complete, as a pure function of the schema and the valid answers. Stored surveys, `survey
/// state --all` and stateless mode all compute it here.

#include <chat/answer.hpp>
#include <chat/runtime_schema.hpp>

#include <cstdint>
#include <nlohmann/json.hpp>
#include <span>
#include <vector>

namespace chat {

struct SurveyState {
    std::vector<std::int64_t> visibility;      // visible qids, ascending
    bool completed = false;                    // every visible required question answered
    std::vector<std::int64_t> hidden_answers;  // answered qids that are not visible, ascending
    /// Questions whose expressions failed (division by zero...), ascending: a failing
    /// modification leaves its variable as it was (the next ones still apply), a failing fork
    /// makes nothing visible.
    std::vector<std::int64_t> failed_expressions;
    VariablePool variables;  // after every visible question was processed

    bool operator==(const SurveyState&) const = default;
};

/// Computes states for one schema. It keeps its working memory between calls, so computing
/// millions of states allocates almost nothing; use one per thread.
class SurveyStateComputer {
public:
    explicit SurveyStateComputer(const RuntimeSchema& schema);

    /// `answers[i]` is the valid answer to question index i, or nullptr when there is none
    /// (an invalid answer counts as none). The result stays valid until the next call.
    const SurveyState& compute(std::span<const CheckedAnswer* const> answers);

private:
    void process(std::size_t question, const CheckedAnswer* answer);
    void process_choice(std::size_t question, const CheckedAnswer& answer);
    void make_visible(std::size_t index);
    void list_visible_and_hidden(std::span<const CheckedAnswer* const> answers);

    const RuntimeSchema& m_schema;
    SurveyState m_state;
    // Bit sets of 64-bit words: visible questions by qid rank, so that the visible qids come
    // out ascending without sorting; questions waiting to be processed by position rank, the
    // lowest first (the words below m_first_pending_word are empty).
    std::vector<std::uint64_t> m_is_visible;
    std::vector<std::uint64_t> m_is_pending;
    std::size_t m_first_pending_word = 0;
};

/// {"visibility": [...], "completed": ..., "hidden_answers": [...]} (SPEC §10).
nlohmann::json survey_state_json(const SurveyState& state);

}  // namespace chat
