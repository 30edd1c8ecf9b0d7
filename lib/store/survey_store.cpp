#include <chat/survey_store.hpp>

#include "store/connection.hpp"
#include "store/loaded_schemas.hpp"
#include "store/schema_lookup.hpp"
#include "store/sql_values.hpp"
#include "store/statement_cache.hpp"
#include "store/survey_states.hpp"
#include "store/user_rows.hpp"

#include <algorithm>
#include <unordered_map>

namespace chat::store {
namespace {

constexpr const char* k_survey_columns =
    "id, key, user_id, schema_id, visibility, completed, hidden_answers, variables, created, "
    "updated";

struct SurveyRow {
    std::int64_t id = 0;
    std::optional<std::string> key;
    std::int64_t user_id = 0;
    std::int64_t schema_id = 0;
    std::string visibility;
    bool completed = false;
    std::string hidden_answers;
    std::string variables;
    std::string created;
    std::string updated;
};

SurveyRow read_survey_row(SQLite::Statement& row) {
    return {row.getColumn(0).getInt64(),  optional_text(row.getColumn(1)),
            row.getColumn(2).getInt64(),  row.getColumn(3).getInt64(),
            row.getColumn(4).getString(), row.getColumn(5).getInt() != 0,
            row.getColumn(6).getString(), row.getColumn(7).getString(),
            row.getColumn(8).getString(), row.getColumn(9).getString()};
}

SurveyRow find_survey(StatementCache& statements, const SurveyReference& reference) {
    auto& select = statements(std::string("SELECT ") + k_survey_columns + " FROM surveys WHERE " +
                              (reference.id ? "id = ?1" : "key = ?1"));
    if (reference.id) {
        select.bind(1, *reference.id);
    } else {
        select.bind(1, reference.key);
    }
    if (!select.executeStep()) {
        throw Error(ErrorKind::not_found, "SURVEY_NOT_FOUND", "no survey " + reference.describe());
    }
    return read_survey_row(select);
}

// The items, with the chosen answers' texts in `language` (the schema's default when the
// user has none, or the answer no translation in it).
std::vector<SurveyItem> load_items(StatementCache& statements, const LoadedSchema& schema,
                                   std::int64_t survey_id,
                                   const std::optional<std::string>& language) {
    std::vector<SurveyItem> items;
    std::int64_t current_item = -1;
    auto& select = statements(
        "SELECT i.id, i.question_id, i.text, i.created, i.updated, a.answer_id "
        "FROM survey_items i LEFT JOIN survey_item_answers a ON a.item_id = i.id "
        "WHERE i.survey_id = ?1");
    select.bind(1, survey_id);
    while (select.executeStep()) {
        auto question = schema.question_of_row(select.getColumn(1).getInt64());
        if (!question) {
            continue;  // db check reports items outside the survey's schema
        }
        if (select.getColumn(0).getInt64() != current_item) {
            current_item = select.getColumn(0).getInt64();
            items.push_back({schema.runtime.question(*question).qid,
                             optional_text(select.getColumn(2)),
                             {},
                             {},
                             select.getColumn(3).getString(),
                             select.getColumn(4).getString()});
        }
        if (!select.getColumn(5).isNull()) {
            if (auto answer = schema.answer_of_row(select.getColumn(5).getInt64())) {
                items.back().answers.push_back(static_cast<std::int64_t>(answer->second));
            }
        }
    }
    const RuntimeSchema& runtime = schema.runtime;
    for (auto& item : items) {
        std::sort(item.answers.begin(), item.answers.end());
        const Question& question = runtime.question(*runtime.index_of(item.qid));
        for (auto position : item.answers) {
            const auto& default_language = runtime.schema().default_language();
            item.answer_texts.push_back(
                text_in_language(question.answers[static_cast<std::size_t>(position)].text,
                                 language.value_or(default_language), default_language));
        }
    }
    std::sort(items.begin(), items.end(),
              [](const SurveyItem& a, const SurveyItem& b) { return a.qid < b.qid; });
    return items;
}

StoredSurvey stored_survey(const SurveyRow& row, const SchemaVersion& version) {
    StoredSurvey survey;
    survey.id = row.id;
    survey.key = row.key;
    survey.user_id = row.user_id;
    survey.schema = version;
    survey.visibility = nlohmann::json::parse(row.visibility).get<std::vector<std::int64_t>>();
    survey.completed = row.completed;
    survey.hidden_answers =
        nlohmann::json::parse(row.hidden_answers).get<std::vector<std::int64_t>>();
    survey.variables = nlohmann::json::parse(row.variables);
    survey.created = row.created;
    survey.updated = row.updated;
    return survey;
}

StoredSurvey read_full_survey(StatementCache& statements, LoadedSchemas& schemas,
                              const SurveyReference& reference) {
    SurveyRow row = find_survey(statements, reference);
    const LoadedSchema& schema = schemas.get(row.schema_id);
    StoredSurvey survey = stored_survey(row, schema.version);
    auto user = find_user(statements, row.user_id);
    survey.items = load_items(statements, schema, row.id, user ? user->language : std::nullopt);
    return survey;
}

std::size_t question_index(const LoadedSchema& schema, std::int64_t qid) {
    if (auto index = schema.runtime.index_of(qid)) {
        return *index;
    }
    throw Error(ErrorKind::rejected, "QUESTION_FROM_WRONG_SCHEMA",
                "question " + std::to_string(qid) + " is not in " + schema.version.label(),
                {{"question", {"QUESTION_FROM_WRONG_SCHEMA"}}});
}

std::optional<std::int64_t> find_item(StatementCache& statements, std::int64_t survey_id,
                                      std::int64_t question_row) {
    auto& select =
        statements("SELECT id FROM survey_items WHERE survey_id = ?1 AND question_id = ?2");
    select.bind(1, survey_id);
    select.bind(2, question_row);
    if (!select.executeStep()) {
        return std::nullopt;
    }
    return select.getColumn(0).getInt64();
}

void write_item(StatementCache& statements, const LoadedSchema& schema, std::size_t question,
                std::int64_t survey_id, std::optional<std::int64_t> existing,
                const CheckedAnswer& answer, const std::string& now) {
    std::int64_t item_id = 0;
    if (existing) {
        item_id = *existing;
        auto& update = statements("UPDATE survey_items SET text = ?2, updated = ?3 WHERE id = ?1");
        update.bind(1, item_id);
        bind_optional(update, 2, answer.text);
        update.bind(3, now);
        update.exec();
        auto& clear = statements("DELETE FROM survey_item_answers WHERE item_id = ?1");
        clear.bind(1, item_id);
        clear.exec();
    } else {
        auto& insert = statements(
            "INSERT INTO survey_items (survey_id, question_id, text, created, updated) "
            "VALUES (?1, ?2, ?3, ?4, ?4) RETURNING id");
        insert.bind(1, survey_id);
        insert.bind(2, schema.question_rows[question]);
        bind_optional(insert, 3, answer.text);
        insert.bind(4, now);
        insert.executeStep();
        item_id = insert.getColumn(0).getInt64();
        insert.reset();  // a RETURNING statement left open would keep the commit from finishing
    }
    for (std::size_t chosen : answer.chosen) {
        auto& link =
            statements("INSERT INTO survey_item_answers (item_id, answer_id) VALUES (?1, ?2)");
        link.bind(1, item_id);
        link.bind(2, schema.answer_rows[question][chosen]);
        link.exec();
    }
}

// Recomputes the survey's state from its stored items and writes it; a state whose expressions
// fail rejects the change that led to it.
void store_new_state(StatementCache& statements, const LoadedSchema& schema, std::int64_t survey_id,
                     const std::string& now) {
    SurveyStateEvaluator evaluator(schema);
    evaluator.add_items(statements, survey_id);
    const SurveyState& state = evaluator.compute();
    if (!state.failed_expressions.empty()) {
        throw Error(ErrorKind::rejected, "EXPRESSION_ERROR",
                    "an expression of question " +
                        std::to_string(state.failed_expressions.front()) + " of " +
                        schema.version.label() +
                        " fails on the survey's variables (division by zero, say)");
    }
    write_state(statements, survey_id, evaluator.stored_form(), now);
}

void require_survey_type(const Config& config, const SchemaVersion& version) {
    const auto& allowed = config.survey_schema_types;
    if (std::find(allowed.begin(), allowed.end(), version.type) == allowed.end()) {
        std::string names;
        for (const auto& type : allowed) {
            names += (names.empty() ? "" : ", ") + type;
        }
        throw Error(ErrorKind::rejected, "NOT_ALLOWED",
                    version.label() + " is of type '" + version.type +
                        "', which surveys may not use (survey_schema_types: " +
                        (names.empty() ? "none" : names) + ")");
    }
}

void require_published(const SchemaVersion& version) {
    if (version.status != SchemaStatus::published) {
        throw Error(ErrorKind::rejected, "NOT_PUBLISHED",
                    version.label() + " is " + std::string(status_name(version.status)) +
                        "; new surveys start on the published version");
    }
}

}  // namespace

StoredSurvey SurveyStore::create(const NewSurvey& request) {
    return translating_sqlite_errors(m_database, [&] {
        WriteTransaction transaction(m_database);
        StatementCache statements(sql_of(m_database));
        require_user(statements, request.user_id);
        SchemaVersion version = find_version(statements, request.schema);
        require_published(version);
        require_survey_type(m_config, version);
        if (request.key && (request.key->empty() || looks_like_id(*request.key))) {
            throw Error(ErrorKind::rejected, "INVALID_KEY",
                        "key '" + *request.key +
                            "' could not name the survey (keys are not empty, and digits alone "
                            "name survey ids); use a key with a letter");
        }
        if (request.key) {
            auto& existing = statements("SELECT 1 FROM surveys WHERE key = ?1");
            existing.bind(1, *request.key);
            if (existing.executeStep()) {
                throw Error(ErrorKind::rejected, "KEY_EXISTS",
                            "a survey with key '" + *request.key + "' already exists");
            }
        }
        std::string now = format_time(m_clock.now());
        auto& insert = statements(
            "INSERT INTO surveys (key, user_id, schema_id, created, updated) "
            "VALUES (?1, ?2, ?3, ?4, ?4) RETURNING id");
        bind_optional(insert, 1, request.key);
        insert.bind(2, request.user_id);
        insert.bind(3, version.id);
        insert.bind(4, now);
        insert.executeStep();
        std::int64_t id = insert.getColumn(0).getInt64();
        insert.reset();
        LoadedSchemas schemas(statements);
        store_new_state(statements, schemas.get(version), id, now);
        StoredSurvey survey = read_full_survey(statements, schemas, {id, {}});
        transaction.commit();
        return survey;
    });
}

StoredSurvey SurveyStore::answer(const SurveyReference& reference, const SurveyAnswer& answer) {
    return translating_sqlite_errors(m_database, [&] {
        WriteTransaction transaction(m_database);
        StatementCache statements(sql_of(m_database));
        LoadedSchemas schemas(statements);
        SurveyRow row = find_survey(statements, reference);
        const LoadedSchema& schema = schemas.get(row.schema_id);
        std::size_t question = question_index(schema, answer.qid);
        auto existing = find_item(statements, row.id, schema.question_rows[question]);
        if (existing && !answer.replace) {
            throw Error(ErrorKind::rejected, "ALREADY_ANSWERED",
                        "question " + std::to_string(answer.qid) + " of survey " +
                            std::to_string(row.id) + " is already answered (use --replace)");
        }
        CheckedAnswer checked;
        FieldErrors errors = check_answer(schema.runtime.question(question), answer.input, checked);
        if (!errors.empty()) {
            throw Error(ErrorKind::rejected, "INVALID_ANSWER",
                        "invalid answer to question " + std::to_string(answer.qid) + ": " +
                            describe_field_errors(errors),
                        field_errors_json(errors));
        }
        std::string now = format_time(m_clock.now());
        write_item(statements, schema, question, row.id, existing, checked, now);
        store_new_state(statements, schema, row.id, now);
        StoredSurvey survey = read_full_survey(statements, schemas, {row.id, {}});
        transaction.commit();
        return survey;
    });
}

StoredSurvey SurveyStore::delete_answer(const SurveyReference& reference, std::int64_t qid) {
    return translating_sqlite_errors(m_database, [&] {
        WriteTransaction transaction(m_database);
        StatementCache statements(sql_of(m_database));
        LoadedSchemas schemas(statements);
        SurveyRow row = find_survey(statements, reference);
        const LoadedSchema& schema = schemas.get(row.schema_id);
        std::size_t question = question_index(schema, qid);
        auto existing = find_item(statements, row.id, schema.question_rows[question]);
        if (!existing) {
            throw Error(ErrorKind::not_found, "ANSWER_NOT_FOUND",
                        "survey " + std::to_string(row.id) + " has no answer to question " +
                            std::to_string(qid));
        }
        auto& remove = statements("DELETE FROM survey_items WHERE id = ?1");
        remove.bind(1, *existing);
        remove.exec();
        std::string now = format_time(m_clock.now());
        store_new_state(statements, schema, row.id, now);
        StoredSurvey survey = read_full_survey(statements, schemas, {row.id, {}});
        transaction.commit();
        return survey;
    });
}

StoredSurvey SurveyStore::get(const SurveyReference& reference) {
    return translating_sqlite_errors(m_database, [&] {
        ReadSnapshot snapshot(sql_of(m_database));
        StatementCache statements(sql_of(m_database));
        LoadedSchemas schemas(statements);
        return read_full_survey(statements, schemas, reference);
    });
}

SurveyList SurveyStore::list(const SurveyListFilter& filter) {
    return translating_sqlite_errors(m_database, [&] {
        ReadSnapshot snapshot(sql_of(m_database));
        StatementCache statements(sql_of(m_database));
        const char* condition = filter.user_id ? " WHERE user_id = ?1" : "";
        SurveyList list;
        auto& count = statements(std::string("SELECT count(*) FROM surveys") + condition);
        if (filter.user_id) {
            count.bind(1, *filter.user_id);
        }
        count.executeStep();
        list.total = count.getColumn(0).getInt64();
        std::vector<SurveyRow> rows;
        auto& select = statements(std::string("SELECT ") + k_survey_columns + " FROM surveys" +
                                  condition + " ORDER BY id LIMIT ?2 OFFSET ?3");
        if (filter.user_id) {
            select.bind(1, *filter.user_id);
        }
        select.bind(2, filter.limit.value_or(-1));
        select.bind(3, filter.offset);
        while (select.executeStep()) {
            rows.push_back(read_survey_row(select));
        }
        std::unordered_map<std::int64_t, SchemaVersion> versions;
        for (const auto& row : rows) {
            auto it = versions.find(row.schema_id);
            if (it == versions.end()) {
                it =
                    versions.emplace(row.schema_id, version_by_id(statements, row.schema_id)).first;
            }
            list.surveys.push_back(stored_survey(row, it->second));
        }
        return list;
    });
}

RecomputeReport SurveyStore::recompute_all(std::int64_t batch_size, bool fix,
                                           const RecomputeProgress& progress) {
    return translating_sqlite_errors(
        m_database, [&] { return recompute_survey_states(m_database, batch_size, fix, progress); });
}

nlohmann::ordered_json survey_json(const StoredSurvey& survey, bool with_items) {
    nlohmann::ordered_json json;
    json["id"] = survey.id;
    json["key"] = survey.key ? nlohmann::ordered_json(*survey.key) : nullptr;
    json["user"] = survey.user_id;
    json["schema"] = {{"name", survey.schema.name}, {"version", survey.schema.version}};
    json["state"] = {{"visibility", survey.visibility},
                     {"completed", survey.completed},
                     {"hidden_answers", survey.hidden_answers}};
    json["variables"] = nlohmann::ordered_json(survey.variables);
    if (with_items) {
        auto items = nlohmann::ordered_json::array();
        for (const auto& item : survey.items) {
            nlohmann::ordered_json entry;
            entry["qid"] = item.qid;
            entry["text"] = item.text ? nlohmann::ordered_json(*item.text) : nullptr;
            entry["answers"] = item.answers;
            entry["answer_texts"] = item.answer_texts;
            entry["updated"] = item.updated;
            items.push_back(std::move(entry));
        }
        json["items"] = std::move(items);
    }
    json["created"] = survey.created;
    json["updated"] = survey.updated;
    return json;
}

}  // namespace chat::store
