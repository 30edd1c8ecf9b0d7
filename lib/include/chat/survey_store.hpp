#pragma once
/// Stored surveys (SPEC §10): one user's answers to one schema version, one item per question,
/// and the state recomputed in the same transaction as every change. A refused change throws
/// chat::Error and changes nothing.

#include <chat/answer.hpp>
#include <chat/clock.hpp>
#include <chat/config.hpp>
#include <chat/schema_store.hpp>
#include <chat/store.hpp>
#include <chat/survey.hpp>

#include <cstdint>
#include <functional>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace chat::store {

/// A survey as the user names it: its id (digits) or the key it was created with.
using SurveyReference = KeyReference;

struct SurveyItem {
    std::int64_t qid = 0;
    std::optional<std::string> text;
    std::vector<std::int64_t> answers;      // chosen answer positions, ascending
    std::vector<std::string> answer_texts;  // their texts in the schema's default language
    std::string created;
    std::string updated;
};

struct StoredSurvey {
    std::int64_t id = 0;
    std::optional<std::string> key;
    std::int64_t user_id = 0;
    SchemaVersion schema;
    std::vector<std::int64_t> visibility;
    bool completed = false;
    std::vector<std::int64_t> hidden_answers;
    nlohmann::json variables = nlohmann::json::object();
    std::vector<SurveyItem> items;  // by qid
    std::string created;
    std::string updated;
};

struct NewSurvey {
    std::int64_t user_id = 0;
    SchemaReference schema;
    std::optional<std::string> key;  // unique; scripts name surveys by it
};

struct SurveyAnswer {
    std::int64_t qid = 0;
    AnswerInput input;
    bool replace = false;  // update an existing item instead of ALREADY_ANSWERED
};

struct SurveyListFilter {
    std::optional<std::int64_t> user_id;
    std::optional<std::int64_t> limit;
    std::int64_t offset = 0;
};

struct SurveyList {
    std::vector<StoredSurvey> surveys;  // by id, without items
    std::int64_t total = 0;             // before limit/offset
};

/// What `survey state --all` found.
struct RecomputeReport {
    std::int64_t checked = 0;
    std::int64_t mismatched = 0;               // stored state differed from the recomputation
    std::vector<std::int64_t> mismatched_ids;  // the first ones, ascending
    std::int64_t failing = 0;                  // surveys whose expressions fail (EXPRESSION_ERROR)
    std::vector<std::int64_t> failing_ids;     // the first ones, ascending
    bool fixed = false;                        // the mismatches were written
};

/// Progress of a batch: surveys done so far, out of `total`.
using RecomputeProgress = std::function<void(std::int64_t done, std::int64_t total)>;

class SurveyStore {
public:
    SurveyStore(Database& database, Clock& clock, const Config& config)
        : m_database(database), m_clock(clock), m_config(config) {}

    /// USER_NOT_FOUND, SCHEMA_NOT_FOUND, NOT_PUBLISHED (the version is not the published one),
    /// NOT_ALLOWED (type not in survey_schema_types), KEY_EXISTS.
    StoredSurvey create(const NewSurvey& request);
    /// SURVEY_NOT_FOUND, QUESTION_FROM_WRONG_SCHEMA, ALREADY_ANSWERED, INVALID_ANSWER (details:
    /// the field errors), EXPRESSION_ERROR (the new state cannot be computed).
    StoredSurvey answer(const SurveyReference& survey, const SurveyAnswer& answer);
    /// SURVEY_NOT_FOUND, QUESTION_FROM_WRONG_SCHEMA, ANSWER_NOT_FOUND, EXPRESSION_ERROR.
    StoredSurvey delete_answer(const SurveyReference& survey, std::int64_t qid);
    /// The survey with its items and stored state.
    StoredSurvey get(const SurveyReference& survey);
    SurveyList list(const SurveyListFilter& filter);
    /// Recomputes every stored survey, `batch_size` per transaction, and compares with the
    /// stored state; with `fix`, writes the recomputed state where they differ.
    RecomputeReport recompute_all(std::int64_t batch_size, bool fix,
                                  const RecomputeProgress& progress);

private:
    Database& m_database;
    Clock& m_clock;
    const Config& m_config;
};

/// {"id", "key", "user", "schema": {"name", "version"}, "state": {...}, "variables", "items",
/// "created", "updated"}; `with_items` false leaves "items" out (lists).
nlohmann::ordered_json survey_json(const StoredSurvey& survey, bool with_items);

}  // namespace chat::store
