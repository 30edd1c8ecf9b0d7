// `db info` and `db check`: what is in the file, and whether it holds what the project promises.

#include "store/connection.hpp"
#include "store/conversation_rows.hpp"
#include "store/layout.hpp"
#include "store/loaded_schemas.hpp"
#include "store/survey_states.hpp"

#include <sqlite3.h>

#include <algorithm>
#include <filesystem>
#include <set>
#include <string>

namespace chat::store {
namespace {

constexpr std::size_t k_max_examples = 10;

// Each query returns one row per violation: a description of the offending row for people.
struct Invariant {
    const char* name;
    const char* description;
    const char* query;
};

constexpr Invariant k_invariants[] = {
    {"integrity", "PRAGMA integrity_check finds the file sound",
     "SELECT integrity_check FROM pragma_integrity_check WHERE integrity_check != 'ok'"},
    {"foreign-keys", "every reference points at an existing row",
     "SELECT 'a row of ' || \"table\" || coalesce(' (rowid ' || rowid || ')', '') || "
     "' refers to a missing row of ' || parent FROM pragma_foreign_key_check"},
    {"one-published-version", "each schema name has at most one published version",
     "SELECT 'schema ''' || name || ''' has ' || count(*) || ' published versions' "
     "FROM schemas WHERE status = 'published' GROUP BY name HAVING count(*) > 1"},
    {"question-types", "every question has one of the question types of the file format",
     "SELECT 'question row ' || id || ' (qid ' || qid || ') has the unknown type ' || "
     "quote(type) FROM questions WHERE type NOT IN ('choice', 'multichoice', 'text', 'int', "
     "'float', 'range', 'date', 'time', 'datetime', 'message', 'control', 'fork')"},
    {"member-question-in-schema",
     "a member's current and initial questions belong to the member's schema",
     "SELECT 'member ' || m.id || ' (thread ' || m.thread_id || ', user ' || m.user_id || ') "
     "is at question row ' || q.id || ' of another schema' FROM members m "
     "JOIN questions q ON q.id IN (m.question_id, m.initial_question_id) "
     "WHERE m.schema_id IS NULL OR q.schema_id != m.schema_id"},
    {"scripted-member-has-schema", "a member in a scripted state has a schema",
     "SELECT 'member ' || id || ' (thread ' || thread_id || ', user ' || user_id || ') is ' || "
     "state || ' without a schema' FROM members "
     "WHERE state IN ('scripted', 'scripted_fe_controlled') AND schema_id IS NULL"},
    {"one-scripted-member", "at most one member per thread is in a scripted state",
     "SELECT 'thread ' || thread_id || ' has ' || count(*) || ' scripted members' FROM members "
     "WHERE state IN ('scripted', 'scripted_fe_controlled') GROUP BY thread_id "
     "HAVING count(*) > 1"},
    // :hidden_types holds [type, roles] pairs (see hidden_types_json): a message of a listed type
    // is visible only to users with one of the roles. Users whose roles are not valid JSON are
    // left to json-columns, which names them.
    {"unread-rows-for-visible-messages",
     "unread rows exist only for existing, non-deleted messages of the reader's threads",
     "WITH hidden (type, roles) AS (SELECT json_extract(value, '$[0]'), "
     "json_extract(value, '$[1]') FROM json_each(:hidden_types)) "
     "SELECT 'unread row of user ' || u.user_id || ' for message ' || u.message_id || "
     "CASE WHEN m.id IS NULL THEN ' that does not exist' "
     "WHEN m.deleted != 0 THEN ' that is deleted' "
     "WHEN m.thread_id != u.thread_id THEN ' names thread ' || u.thread_id || "
     "' but the message is in thread ' || m.thread_id "
     "WHEN b.id IS NULL THEN ' of a thread the user is not a member of' "
     "ELSE ' of type ' || quote(m.type) || ' that the user may not see' END "
     "FROM unread_messages u LEFT JOIN messages m ON m.id = u.message_id "
     "LEFT JOIN members b ON b.thread_id = u.thread_id AND b.user_id = u.user_id "
     "LEFT JOIN users r ON r.id = u.user_id "
     "WHERE m.id IS NULL OR m.deleted != 0 OR m.thread_id != u.thread_id OR b.id IS NULL OR "
     "(json_valid(r.roles) AND EXISTS (SELECT 1 FROM hidden h WHERE h.type = m.type AND "
     "NOT EXISTS (SELECT 1 FROM json_each(h.roles) allowed JOIN json_each(r.roles) held "
     "ON held.value = allowed.value)))"},
    {"message-answers-of-question", "a message's chosen answers belong to the question it answers",
     "SELECT 'message ' || ma.message_id || ' chose answer row ' || ma.answer_id || "
     "' of another question' FROM message_answers ma JOIN messages m ON m.id = ma.message_id "
     "JOIN answers a ON a.id = ma.answer_id "
     "WHERE m.related_question_id IS NULL OR a.question_id != m.related_question_id"},
    {"survey-items-in-schema", "a survey's items answer questions of the survey's schema",
     "SELECT 'survey ' || s.id || ' has an item for question row ' || q.id || "
     "' of another schema' FROM survey_items i JOIN surveys s ON s.id = i.survey_id "
     "JOIN questions q ON q.id = i.question_id WHERE q.schema_id != s.schema_id"},
    {"survey-item-answers-of-question", "a survey item's answers belong to its question",
     "SELECT 'survey item ' || ia.item_id || ' chose answer row ' || ia.answer_id || "
     "' of another question' FROM survey_item_answers ia "
     "JOIN survey_items i ON i.id = ia.item_id JOIN answers a ON a.id = ia.answer_id "
     "WHERE a.question_id != i.question_id"},
};

// Every column that holds JSON text (NULL allowed where the layout allows it).
constexpr std::pair<const char*, const char*> k_json_columns[] = {
    {"schemas", "languages"},
    {"questions", "text"},
    {"questions", "meta"},
    {"questions", "variable_modifications"},
    {"questions", "forking_rules"},
    {"answers", "text"},
    {"answers", "meta"},
    {"answers", "variable_modifications"},
    {"attachment_templates", "options"},
    {"attachment_templates", "thumbnail"},
    {"users", "roles"},
    {"users", "profile"},
    {"messages", "meta"},
    {"members", "variables"},
    {"attachments", "options"},
    {"attachments", "thumbnail"},
    {"surveys", "variables"},
    {"surveys", "visibility"},
    {"surveys", "hidden_answers"},
    {"outbox", "payload"},
};

// Table and column names come from the list above, never from input.
std::string json_columns_query() {
    std::string query;
    for (const auto& [table, column] : k_json_columns) {
        query += std::string(query.empty() ? "" : " UNION ALL ") + "SELECT '" + table +
                 " row ' || rowid || ': " + column + " is not valid JSON' FROM " + table +
                 " WHERE " + column + " IS NOT NULL AND NOT json_valid(" + column + ")";
    }
    return query;
}

// integrity_check reports several problems in one row, one per line, under a header line
// ("*** in database main ***"): each problem is one violation and one example.
void add_violations(InvariantResult& result, const std::string& text) {
    std::size_t start = 0;
    while (start <= text.size()) {
        std::size_t end = std::min(text.find('\n', start), text.size());
        std::string line = text.substr(start, end - start);
        start = end + 1;
        if (line.empty() || line.starts_with("*** in database")) {
            continue;
        }
        ++result.violations;
        if (result.examples.size() < k_max_examples) {
            result.examples.push_back(std::move(line));
        }
    }
}

// Failures that mean the rows under a check are damaged; others (a lock, a full disk, no
// memory) are about the database as a whole and end the command with exit 4.
bool is_damage(const SQLite::Exception& failure) {
    switch (failure.getErrorCode() & 0xff) {
        case SQLITE_CORRUPT:
        case SQLITE_NOTADB:
        case SQLITE_FORMAT:
        case SQLITE_ERROR:
            return true;
        default:
            return false;
    }
}

// The visibility rules as the queries read them: [[type, [role, ...]], ...], one pair per type.
// The first rule that lists a type decides, as when messages are fanned out.
std::string hidden_types_json(const Config& config) {
    nlohmann::json pairs = nlohmann::json::array();
    std::set<std::string> listed;
    for (const auto& rule : config.message_visibility) {
        for (const auto& type : rule.types) {
            if (listed.insert(type).second) {
                pairs.push_back(nlohmann::json::array({type, rule.visible_to_roles}));
            }
        }
    }
    return pairs.dump();
}

// A check that cannot run (a damaged page under its table, say) is a failed check: the others
// still run, so that the report shows everything that is wrong. A query that names
// :hidden_types gets the visibility rules there.
InvariantResult run_invariant(SQLite::Database& sql, const char* name, const char* description,
                              const std::string& text, const std::string& hidden_types) {
    InvariantResult result{name, description, 0, {}};
    try {
        SQLite::Statement query(sql, text);
        if (int index = query.getIndex(":hidden_types"); index > 0) {
            query.bind(index, hidden_types);
        }
        while (query.executeStep()) {
            add_violations(result, query.getColumn(0).getString());
        }
    } catch (const SQLite::Exception& failure) {
        if (!is_damage(failure)) {
            throw;
        }
        bool has_rows = result.violations > 0;
        result.violations = std::max<std::int64_t>(result.violations, 1);
        result.examples.push_back(
            std::string(has_rows ? "the check stopped: " : "the check could not run: ") +
            failure.what());
    }
    return result;
}

// Runs a check written in C++. A check that cannot run counts as failed, like run_invariant:
// damaged pages, or malformed stored JSON or expressions (the other checks name those rows).
template <typename Check>
InvariantResult running_check(InvariantResult result, Check&& check) {
    auto could_not_run = [&result](const char* what) {
        result.violations = std::max<std::int64_t>(result.violations, 1);
        result.examples.push_back(std::string("the check could not run: ") + what);
    };
    try {
        check(result);
    } catch (const SQLite::Exception& failure) {
        if (!is_damage(failure)) {
            throw;
        }
        could_not_run(failure.what());
    } catch (const std::exception& failure) {
        could_not_run(failure.what());
    }
    return result;
}

// Every stored survey state equals its recomputation from the stored items (SPEC §5).
InvariantResult check_survey_states(SQLite::Database& sql) {
    InvariantResult result{"survey-states",
                           "every survey's stored state equals its recomputation from its items",
                           0,
                           {}};
    return running_check(std::move(result), [&](InvariantResult& found) {
        StatementCache statements(sql);
        LoadedSchemas schemas(statements);
        RecomputeReport report;
        std::optional<std::int64_t> last_id = 0;
        while (last_id) {
            last_id = recompute_survey_batch(statements, schemas, *last_id, 10'000, false, report);
        }
        found.violations = report.mismatched;
        for (std::int64_t id : report.mismatched_ids) {
            found.examples.push_back("survey " + std::to_string(id) +
                                     ": the stored state differs from the recomputed one "
                                     "(fix with 'chatctl survey state --all')");
        }
    });
}

// Every member's stored variables equal their recomputation from the thread's messages (SPEC §3).
InvariantResult check_member_variables(SQLite::Database& sql, const Config& config) {
    InvariantResult result{"member-variables",
                           "every member's variables equal their recomputation from its messages",
                           0,
                           {}};
    return running_check(std::move(result), [&](InvariantResult& found) {
        StatementCache statements(sql);
        LoadedSchemas schemas(statements);
        RowCache cache;
        ConversationRows rows(statements, schemas, cache, config, "");
        std::vector<std::pair<std::int64_t, std::int64_t>> members;
        SQLite::Statement select(sql, "SELECT thread_id, user_id FROM members ORDER BY id");
        while (select.executeStep()) {
            members.emplace_back(select.getColumn(0).getInt64(), select.getColumn(1).getInt64());
        }
        for (const auto& [thread, user] : members) {
            cache.clear();  // one member at a time, however many the database holds
            MemberRow member = rows.require_member(thread, user);
            auto stored = nlohmann::json::parse(member.variables);
            auto recomputed = rows.recompute_variables(member);
            if (stored != recomputed) {
                ++found.violations;
                if (found.examples.size() < k_max_examples) {
                    found.examples.push_back("member " + std::to_string(member.id) + " (thread " +
                                             std::to_string(thread) + ", user " +
                                             std::to_string(user) + ") stores " + stored.dump() +
                                             " but its messages give " + recomputed.dump());
                }
            }
        }
    });
}

}  // namespace

DatabaseInfo database_info(Database& database) {
    return translating_sqlite_errors(database, [&] {
        auto& sql = sql_of(database);
        ReadSnapshot snapshot(sql);
        DatabaseInfo info;
        info.path = database.path();
        info.layout_version = static_cast<int>(sql.execAndGet("PRAGMA user_version").getInt());
        info.journal_mode = sql.execAndGet("PRAGMA journal_mode").getString();
        std::error_code error;
        auto size = std::filesystem::file_size(database.path(), error);
        info.file_bytes = error ? 0 : static_cast<std::int64_t>(size);
        for (std::string_view table : table_names()) {
            // Table names come from our own list, never from input.
            auto rows = sql.execAndGet("SELECT count(*) FROM " + std::string(table)).getInt64();
            info.tables.push_back({std::string(table), rows});
        }
        return info;
    });
}

std::vector<InvariantResult> check_database(Database& database, const Config& config) {
    return translating_sqlite_errors(database, [&] {
        auto& sql = sql_of(database);
        ReadSnapshot snapshot(sql);
        std::string hidden_types = hidden_types_json(config);
        std::vector<InvariantResult> results;
        for (const auto& invariant : k_invariants) {
            results.push_back(run_invariant(sql, invariant.name, invariant.description,
                                            invariant.query, hidden_types));
        }
        results.push_back(run_invariant(sql, "json-columns", "every JSON column holds valid JSON",
                                        json_columns_query(), hidden_types));
        results.push_back(check_survey_states(sql));
        results.push_back(check_member_variables(sql, config));
        return results;
    });
}

}  // namespace chat::store
