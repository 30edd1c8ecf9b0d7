#include "store/survey_states.hpp"

#include "store/connection.hpp"
#include "store/sql_values.hpp"

#include <algorithm>
#include <memory>
#include <unordered_map>

namespace chat::store {
namespace {

// Compact JSON of a qid list, as nlohmann's dump() writes it ("[0,3,7]"), without building a
// JSON value: `survey state --all` writes it for every survey.
std::string qid_list_text(const std::vector<std::int64_t>& qids) {
    std::string text = "[";
    for (std::size_t i = 0; i < qids.size(); ++i) {
        if (i > 0) {
            text += ',';
        }
        text += std::to_string(qids[i]);
    }
    text += ']';
    return text;
}

constexpr std::size_t k_max_listed_ids = 10;

void note(std::vector<std::int64_t>& ids, std::int64_t id) {
    if (ids.size() < k_max_listed_ids) {
        ids.push_back(id);
    }
}

struct BatchSurvey {
    std::int64_t id = 0;
    std::int64_t schema_id = 0;
    StoredState stored;
};

std::vector<BatchSurvey> read_batch(StatementCache& statements, std::int64_t after_id,
                                    std::int64_t limit) {
    std::vector<BatchSurvey> batch;
    auto& select = statements(
        "SELECT id, schema_id, visibility, completed, hidden_answers, variables FROM surveys "
        "WHERE id > ?1 ORDER BY id LIMIT ?2");
    select.bind(1, after_id);
    select.bind(2, limit);
    while (select.executeStep()) {
        batch.push_back({select.getColumn(0).getInt64(),
                         select.getColumn(1).getInt64(),
                         {select.getColumn(2).getString(), select.getColumn(3).getInt() != 0,
                          select.getColumn(4).getString(), select.getColumn(5).getString()}});
    }
    return batch;
}

// Walks the items of a batch's surveys (ascending survey id) beside the surveys themselves.
class BatchItems {
public:
    BatchItems(StatementCache& statements, std::int64_t first_id, std::int64_t last_id)
        : m_select(statements(
              "SELECT i.survey_id, i.id, i.question_id, i.text, a.answer_id FROM survey_items i "
              "LEFT JOIN survey_item_answers a ON a.item_id = i.id "
              "WHERE i.survey_id BETWEEN ?1 AND ?2 ORDER BY i.survey_id")) {
        m_select.bind(1, first_id);
        m_select.bind(2, last_id);
        m_has_row = m_select.executeStep();
    }

    /// Adds the items of `survey_id` to `evaluator`, skipping items of surveys before it.
    void add_items_of(std::int64_t survey_id, SurveyStateEvaluator& evaluator) {
        while (m_has_row && m_select.getColumn(0).getInt64() < survey_id) {
            m_has_row = m_select.executeStep();
        }
        while (m_has_row && m_select.getColumn(0).getInt64() == survey_id) {
            std::int64_t item = m_select.getColumn(1).getInt64();
            std::int64_t question_row = m_select.getColumn(2).getInt64();
            auto text = optional_text(m_select.getColumn(3));
            m_answer_rows.clear();
            while (m_has_row && m_select.getColumn(1).getInt64() == item) {
                if (!m_select.getColumn(4).isNull()) {
                    m_answer_rows.push_back(m_select.getColumn(4).getInt64());
                }
                m_has_row = m_select.executeStep();
            }
            evaluator.add_item(question_row, text, m_answer_rows);
        }
    }

private:
    SQLite::Statement& m_select;
    bool m_has_row = false;
    std::vector<std::int64_t> m_answer_rows;
};

}  // namespace

SurveyStateEvaluator::SurveyStateEvaluator(const LoadedSchema& schema)
    : m_schema(schema),
      m_computer(schema.runtime),
      m_answers(schema.runtime.question_count()),
      m_valid(schema.runtime.question_count(), nullptr) {}

void SurveyStateEvaluator::clear() {
    for (std::size_t index : m_touched) {
        m_valid[index] = nullptr;
    }
    m_touched.clear();
}

void SurveyStateEvaluator::add_item(std::int64_t question_row,
                                    const std::optional<std::string>& text,
                                    std::span<const std::int64_t> answer_rows) {
    auto question = m_schema.question_of_row(question_row);
    if (!question) {
        return;  // not a question of this version: db check reports the item
    }
    m_choices.clear();
    for (std::int64_t row : answer_rows) {
        auto answer = m_schema.answer_of_row(row);
        if (!answer || answer->first != *question) {
            return;  // an answer of another question cannot be valid
        }
        m_choices.emplace_back(static_cast<std::int64_t>(answer->second));
    }
    AnswerInput input;
    if (text) {
        input.text = *text;
    }
    input.answers = m_choices;
    CheckedAnswer& checked = m_answers[*question];
    if (check_answer(m_schema.runtime.question(*question), input, checked).empty()) {
        m_valid[*question] = &checked;
        m_touched.push_back(*question);
    }
}

void SurveyStateEvaluator::add_items(StatementCache& statements, std::int64_t survey_id) {
    BatchItems items(statements, survey_id, survey_id);
    items.add_items_of(survey_id, *this);
}

const SurveyState& SurveyStateEvaluator::compute() {
    m_state = &m_computer.compute(m_valid);
    return *m_state;
}

StoredState SurveyStateEvaluator::stored_form() const {
    return {qid_list_text(m_state->visibility), m_state->completed,
            qid_list_text(m_state->hidden_answers),
            m_schema.runtime.variables_json(m_state->variables).dump()};
}

void write_state(StatementCache& statements, std::int64_t survey_id, const StoredState& state,
                 const std::optional<std::string>& now) {
    auto& update = statements(
        "UPDATE surveys SET visibility = ?2, completed = ?3, hidden_answers = ?4, variables = ?5, "
        "updated = coalesce(?6, updated) WHERE id = ?1");
    update.bind(1, survey_id);
    update.bind(2, state.visibility);
    bind_flag(update, 3, state.completed);
    update.bind(4, state.hidden_answers);
    update.bind(5, state.variables);
    bind_optional(update, 6, now);
    update.exec();
}

std::optional<std::int64_t> recompute_survey_batch(StatementCache& statements,
                                                   LoadedSchemas& schemas, std::int64_t after_id,
                                                   std::int64_t limit, bool fix,
                                                   RecomputeReport& report) {
    std::vector<BatchSurvey> batch = read_batch(statements, after_id, limit);
    if (batch.empty()) {
        return std::nullopt;
    }
    std::unordered_map<std::int64_t, std::unique_ptr<SurveyStateEvaluator>> evaluators;
    BatchItems items(statements, batch.front().id, batch.back().id);
    for (const auto& survey : batch) {
        auto& evaluator = evaluators[survey.schema_id];
        if (!evaluator) {
            evaluator = std::make_unique<SurveyStateEvaluator>(schemas.get(survey.schema_id));
        }
        evaluator->clear();
        items.add_items_of(survey.id, *evaluator);
        if (!evaluator->compute().failed_expressions.empty()) {
            ++report.failing;
            note(report.failing_ids, survey.id);
        }
        ++report.checked;
        StoredState computed = evaluator->stored_form();
        if (computed == survey.stored) {
            continue;
        }
        ++report.mismatched;
        note(report.mismatched_ids, survey.id);
        if (fix) {
            write_state(statements, survey.id, computed, std::nullopt);
        }
    }
    return batch.back().id;
}

RecomputeReport recompute_survey_states(Database& database, std::int64_t batch_size, bool fix,
                                        const RecomputeProgress& progress) {
    RecomputeReport report;
    auto& sql = sql_of(database);
    std::int64_t total = sql.execAndGet("SELECT count(*) FROM surveys").getInt64();
    std::optional<std::int64_t> last_id = 0;
    while (last_id) {
        // A batch that only reads needs no write lock: other writers go on meanwhile.
        std::optional<WriteTransaction> write;
        std::optional<ReadSnapshot> read;
        if (fix) {
            write.emplace(database);
        } else {
            read.emplace(sql);
        }
        StatementCache statements(sql);
        LoadedSchemas schemas(statements);
        std::int64_t mismatched_before = report.mismatched;
        last_id = recompute_survey_batch(statements, schemas, *last_id, batch_size, fix, report);
        if (write && report.mismatched > mismatched_before) {
            write->commit();
        }
        if (progress && last_id) {
            progress(report.checked, total);
        }
    }
    report.fixed = fix && report.mismatched > 0;
    return report;
}

}  // namespace chat::store
