#pragma once
// Survey states as the surveys row stores them, recomputed from the stored items: after every
// change, by `survey state --all` and by `db check`.

#include <chat/survey.hpp>
#include <chat/survey_store.hpp>

#include "store/loaded_schemas.hpp"
#include "store/statement_cache.hpp"

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace chat::store {

/// The JSON texts and flag of a surveys row's state columns.
struct StoredState {
    std::string visibility;
    bool completed = false;
    std::string hidden_answers;
    std::string variables;
    bool operator==(const StoredState&) const = default;
};

/// Recomputes states of surveys of one schema version from their items. Stored items are
/// checked again (an in-place schema edit may have changed a range, say): an item that no
/// longer validates counts as absent, like an invalid answer in stateless mode.
class SurveyStateEvaluator {
public:
    explicit SurveyStateEvaluator(const LoadedSchema& schema);

    /// Forgets the items added so far.
    void clear();
    /// One stored item: its questions row, text and chosen answers rows.
    void add_item(std::int64_t question_row, const std::optional<std::string>& text,
                  std::span<const std::int64_t> answer_rows);
    /// Adds every stored item of the survey.
    void add_items(StatementCache& statements, std::int64_t survey_id);
    const SurveyState& compute();
    /// The state of the last compute() as the surveys row stores it.
    StoredState stored_form() const;

private:
    const LoadedSchema& m_schema;
    SurveyStateComputer m_computer;
    std::vector<CheckedAnswer> m_answers;       // by question index
    std::vector<const CheckedAnswer*> m_valid;  // by question index; nullptr: none
    std::vector<std::size_t> m_touched;         // indexes set since clear()
    std::vector<AnswerChoice> m_choices;        // scratch for add_item
    const SurveyState* m_state = nullptr;
};

void write_state(StatementCache& statements, std::int64_t survey_id, const StoredState& state,
                 const std::optional<std::string>& now);

/// Compares (and with `fix`, rewrites) the stored states of the surveys with ids above
/// `after_id`, at most `limit` of them, in the current transaction. Returns the last id seen
/// (nullopt when there was none).
std::optional<std::int64_t> recompute_survey_batch(StatementCache& statements,
                                                   LoadedSchemas& schemas, std::int64_t after_id,
                                                   std::int64_t limit, bool fix,
                                                   RecomputeReport& report);

/// `survey state --all`: every survey, `batch_size` per transaction.
RecomputeReport recompute_survey_states(Database& database, std::int64_t batch_size, bool fix,
                                        const RecomputeProgress& progress);

}  // namespace chat::store
