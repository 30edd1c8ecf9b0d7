#include "store/schema_rows.hpp"

#include "store/sql_values.hpp"
#include "store/statement_cache.hpp"

#include <string>
#include <unordered_map>

namespace chat::store {
namespace {

using nlohmann::json;

// --- model <-> JSON columns ------------------------------------------------------------------

json text_to_json(const LocalizedText& text) {
    if (text.translations.empty()) {
        return nullptr;
    }
    if (text.is_plain()) {
        return text.translations.front().text;
    }
    json object = json::object();
    for (const auto& translation : text.translations) {
        object[translation.language] = translation.text;
    }
    return object;
}

LocalizedText text_from_json(const json& value) {
    LocalizedText text;
    if (value.is_string()) {
        text.translations.push_back({"", value.get<std::string>(), {}});
    } else if (value.is_object()) {
        for (const auto& [language, translation] : value.items()) {
            text.translations.push_back({language, translation.get<std::string>(), {}});
        }
    }
    return text;
}

// Variable modifications and fork rules are both stored as [[text, text], ...].
template <typename Item>
using TextField = std::string Item::*;

template <typename Item>
json pairs_to_json(const std::vector<Item>& items, TextField<Item> first, TextField<Item> second) {
    json list = json::array();
    for (const auto& item : items) {
        list.push_back({item.*first, item.*second});
    }
    return list;
}

template <typename Item>
std::vector<Item> pairs_from_json(const json& list, TextField<Item> first, TextField<Item> second) {
    std::vector<Item> items;
    for (const auto& pair : list) {
        Item item;
        item.*first = pair.at(0).get<std::string>();
        item.*second = pair.at(1).get<std::string>();
        items.push_back(std::move(item));
    }
    return items;
}

json modifications_to_json(const std::vector<VariableModification>& modifications) {
    return pairs_to_json(modifications, &VariableModification::variable,
                         &VariableModification::expression);
}

std::vector<VariableModification> modifications_from_json(const json& list) {
    return pairs_from_json(list, &VariableModification::variable,
                           &VariableModification::expression);
}

json rules_to_json(const std::vector<ForkRule>& rules) {
    return pairs_to_json(rules, &ForkRule::target, &ForkRule::condition);
}

std::vector<ForkRule> rules_from_json(const json& list) {
    return pairs_from_json(list, &ForkRule::target, &ForkRule::condition);
}

// --- statements --------------------------------------------------------------------------------

// The question columns written by both INSERT and UPDATE, in this order.
constexpr const char* k_question_fields =
    "position, type, text, group_id, required, show_as_type, meta, comments, next_qid, "
    "choice_open, range_from, range_to, variable_modifications, forking_rules";
constexpr int k_question_field_count = 14;

constexpr const char* k_answer_fields =
    "text, next_qid, exclusive, meta, comments, variable_modifications";
constexpr int k_answer_field_count = 6;

using GroupIds = std::unordered_map<std::string, std::int64_t>;

void bind_question_fields(SQLite::Statement& statement, int first, const Question& question,
                          const GroupIds& group_ids) {
    statement.bind(first, question.position);
    statement.bind(first + 1, std::string(question_type_name(question.type)));
    bind_json(statement, first + 2, text_to_json(question.text));
    if (question.group) {
        statement.bind(first + 3, group_ids.at(*question.group));
    } else {
        statement.bind(first + 3);
    }
    bind_flag(statement, first + 4, question.required);
    bind_optional(statement, first + 5, question.show_as_type);
    bind_json(statement, first + 6, question.meta);
    statement.bind(first + 7, question.comments);
    bind_optional(statement, first + 8, question.next_qid);
    bind_flag(statement, first + 9, question.choice_open);
    bind_optional(statement, first + 10, question.range_from);
    bind_optional(statement, first + 11, question.range_to);
    statement.bind(first + 12, modifications_to_json(question.variable_modifications).dump());
    statement.bind(first + 13, rules_to_json(question.forking_rules).dump());
}

void bind_answer_fields(SQLite::Statement& statement, int first, const Answer& answer) {
    statement.bind(first, text_to_json(answer.text).dump());
    statement.bind(first + 1, answer.next_qid.value_or(-1));
    bind_flag(statement, first + 2, answer.exclusive);
    bind_json(statement, first + 3, answer.meta);
    statement.bind(first + 4, answer.comments);
    statement.bind(first + 5, modifications_to_json(answer.variable_modifications).dump());
}

std::string placeholders(int count) {
    std::string text = "?";
    for (int i = 1; i < count; ++i) {
        text += ", ?";
    }
    return text;
}

void run_once(SQLite::Statement& statement) {
    statement.exec();
    statement.reset();
}

GroupIds insert_groups(StatementCache& statements, std::int64_t schema_id, const Schema& schema) {
    auto& insert = statements("INSERT INTO groups (schema_id, name, position) VALUES (?, ?, ?)");
    GroupIds ids;
    for (const auto& group : schema.groups) {
        insert.bind(1, schema_id);
        insert.bind(2, group.name);
        insert.bind(3, group.position);
        run_once(insert);
        ids[group.name] = statements.database().getLastInsertRowid();
    }
    return ids;
}

void insert_answer(StatementCache& statements, std::int64_t question_id, const Answer& answer) {
    auto& insert =
        statements(std::string("INSERT INTO answers (question_id, position, ") + k_answer_fields +
                   ") VALUES (" + placeholders(2 + k_answer_field_count) + ")");
    insert.bind(1, question_id);
    insert.bind(2, answer.position);
    bind_answer_fields(insert, 3, answer);
    run_once(insert);
}

void insert_templates(StatementCache& statements, std::int64_t question_id,
                      const Question& question) {
    std::int64_t position = 0;
    for (const auto& attachment : question.attachments) {
        auto& insert = statements(
            "INSERT INTO attachment_templates (question_id, position, type, title, "
            "description, url, options, thumbnail, object_type, object_id) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
        insert.bind(1, question_id);
        insert.bind(2, position++);
        insert.bind(3, attachment.type);
        bind_optional(insert, 4, attachment.title);
        bind_optional(insert, 5, attachment.description);
        bind_optional(insert, 6, attachment.url);
        bind_json(insert, 7, attachment.options);
        bind_json(insert, 8, attachment.thumbnail);
        if (attachment.object) {
            insert.bind(9, attachment.object->type);
            insert.bind(10, attachment.object->id);
        } else {
            insert.bind(9);
            insert.bind(10);
        }
        run_once(insert);
    }
}

// --- loading -----------------------------------------------------------------------------------

using QuestionIndex = std::unordered_map<std::int64_t, std::size_t>;  // row id -> index

QuestionIndex load_questions(StatementCache& statements, std::int64_t schema_id, Schema& schema) {
    auto& select = statements(
        "SELECT q.id, q.qid, q.position, q.type, q.text, g.name, q.required, q.show_as_type, "
        "q.meta, q.comments, q.next_qid, q.choice_open, q.range_from, q.range_to, "
        "q.variable_modifications, q.forking_rules FROM questions q "
        "LEFT JOIN groups g ON g.id = q.group_id WHERE q.schema_id = ? "
        "ORDER BY q.position, q.qid");
    select.bind(1, schema_id);
    QuestionIndex index;
    while (select.executeStep()) {
        Question question;
        question.qid = select.getColumn(1).getInt64();
        question.position = select.getColumn(2).getInt64();
        auto type = question_type_from_name(select.getColumn(3).getString());
        question.type = type.value_or(QuestionType::text);
        question.text = text_from_json(json_column(select.getColumn(4)));
        question.group = optional_text(select.getColumn(5));
        question.required = select.getColumn(6).getInt() != 0;
        question.show_as_type = optional_text(select.getColumn(7));
        question.meta = json_column(select.getColumn(8));
        question.comments = select.getColumn(9).getString();
        question.next_qid = optional_integer(select.getColumn(10));
        question.choice_open = select.getColumn(11).getInt() != 0;
        question.range_from = optional_real(select.getColumn(12));
        question.range_to = optional_real(select.getColumn(13));
        question.variable_modifications =
            modifications_from_json(json_column(select.getColumn(14)));
        question.forking_rules = rules_from_json(json_column(select.getColumn(15)));
        index[select.getColumn(0).getInt64()] = schema.questions.size();
        schema.questions.push_back(std::move(question));
    }
    return index;
}

void load_answers(StatementCache& statements, std::int64_t schema_id, const QuestionIndex& index,
                  Schema& schema) {
    auto& select = statements(
        "SELECT a.question_id, a.position, a.text, a.next_qid, a.exclusive, a.meta, a.comments, "
        "a.variable_modifications FROM answers a JOIN questions q ON q.id = a.question_id "
        "WHERE q.schema_id = ? ORDER BY a.question_id, a.position");
    select.bind(1, schema_id);
    while (select.executeStep()) {
        Answer answer;
        answer.position = select.getColumn(1).getInt64();
        answer.text = text_from_json(json_column(select.getColumn(2)));
        answer.next_qid = select.getColumn(3).getInt64();
        answer.exclusive = select.getColumn(4).getInt() != 0;
        answer.meta = json_column(select.getColumn(5));
        answer.comments = select.getColumn(6).getString();
        answer.variable_modifications = modifications_from_json(json_column(select.getColumn(7)));
        schema.questions[index.at(select.getColumn(0).getInt64())].answers.push_back(
            std::move(answer));
    }
}

void load_templates(StatementCache& statements, std::int64_t schema_id, const QuestionIndex& index,
                    Schema& schema) {
    auto& select = statements(
        "SELECT t.question_id, t.type, t.title, t.description, t.url, t.options, t.thumbnail, "
        "t.object_type, t.object_id FROM attachment_templates t "
        "JOIN questions q ON q.id = t.question_id WHERE q.schema_id = ? "
        "ORDER BY t.question_id, t.position");
    select.bind(1, schema_id);
    while (select.executeStep()) {
        AttachmentTemplate attachment;
        attachment.type = select.getColumn(1).getString();
        attachment.title = optional_text(select.getColumn(2));
        attachment.description = optional_text(select.getColumn(3));
        attachment.url = optional_text(select.getColumn(4));
        attachment.options = json_column(select.getColumn(5));
        attachment.thumbnail = json_column(select.getColumn(6));
        if (!select.getColumn(7).isNull()) {
            attachment.object =
                ObjectReference{select.getColumn(7).getString(), select.getColumn(8).getInt64()};
        }
        schema.questions[index.at(select.getColumn(0).getInt64())].attachments.push_back(
            std::move(attachment));
    }
}

void load_groups(StatementCache& statements, std::int64_t schema_id, Schema& schema) {
    auto& select =
        statements("SELECT name, position FROM groups WHERE schema_id = ? ORDER BY position, name");
    select.bind(1, schema_id);
    while (select.executeStep()) {
        Group group;
        group.name = select.getColumn(0).getString();
        group.position = select.getColumn(1).getInt64();
        schema.groups.push_back(std::move(group));
    }
}

void delete_templates(StatementCache& statements, std::int64_t schema_id) {
    auto& remove = statements(
        "DELETE FROM attachment_templates WHERE question_id IN "
        "(SELECT id FROM questions WHERE schema_id = ?)");
    remove.bind(1, schema_id);
    remove.exec();
}

}  // namespace

void insert_schema_content(StatementCache& statements, std::int64_t schema_id,
                           const Schema& schema) {
    GroupIds group_ids = insert_groups(statements, schema_id, schema);
    auto& insert_question =
        statements(std::string("INSERT INTO questions (schema_id, qid, ") + k_question_fields +
                   ") VALUES (" + placeholders(2 + k_question_field_count) + ")");
    for (const auto& question : schema.questions) {
        insert_question.bind(1, schema_id);
        insert_question.bind(2, question.qid);
        bind_question_fields(insert_question, 3, question, group_ids);
        run_once(insert_question);
        std::int64_t question_id = statements.database().getLastInsertRowid();
        for (const auto& answer : question.answers) {
            insert_answer(statements, question_id, answer);
        }
        insert_templates(statements, question_id, question);
    }
}

void load_schema_content(StatementCache& statements, std::int64_t schema_id, Schema& schema) {
    load_groups(statements, schema_id, schema);
    QuestionIndex index = load_questions(statements, schema_id, schema);
    load_answers(statements, schema_id, index, schema);
    load_templates(statements, schema_id, index, schema);
}

void delete_schema_content(StatementCache& statements, std::int64_t schema_id) {
    // Answers and templates follow their questions (ON DELETE CASCADE).
    for (const char* table : {"questions", "groups"}) {
        auto& remove = statements(std::string("DELETE FROM ") + table + " WHERE schema_id = ?");
        remove.bind(1, schema_id);
        remove.exec();
    }
}

void update_schema_content_in_place(StatementCache& statements, std::int64_t schema_id,
                                    const Schema& schema) {
    // Groups and templates are referred to by nothing outside the schema: rewrite them.
    auto& detach = statements("UPDATE questions SET group_id = NULL WHERE schema_id = ?");
    detach.bind(1, schema_id);
    detach.exec();
    auto& remove_groups = statements("DELETE FROM groups WHERE schema_id = ?");
    remove_groups.bind(1, schema_id);
    remove_groups.exec();
    delete_templates(statements, schema_id);
    GroupIds group_ids = insert_groups(statements, schema_id, schema);

    auto& update_question = statements(std::string("UPDATE questions SET (") + k_question_fields +
                                       ") = (" + placeholders(k_question_field_count) +
                                       ") WHERE schema_id = ? AND qid = ? RETURNING id");
    auto& update_answer =
        statements(std::string("UPDATE answers SET (") + k_answer_fields + ") = (" +
                   placeholders(k_answer_field_count) + ") WHERE question_id = ? AND position = ?");
    for (const auto& question : schema.questions) {
        bind_question_fields(update_question, 1, question, group_ids);
        update_question.bind(k_question_field_count + 1, schema_id);
        update_question.bind(k_question_field_count + 2, question.qid);
        update_question.executeStep();
        std::int64_t question_id = update_question.getColumn(0).getInt64();
        update_question.reset();
        for (const auto& answer : question.answers) {
            bind_answer_fields(update_answer, 1, answer);
            update_answer.bind(k_answer_field_count + 1, question_id);
            update_answer.bind(k_answer_field_count + 2, answer.position);
            run_once(update_answer);
        }
        insert_templates(statements, question_id, question);
    }
}

}  // namespace chat::store
