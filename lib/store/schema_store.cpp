#include <chat/schema_store.hpp>

#include <chat/schema_export.hpp>
#include <chat/spelling.hpp>

#include "store/connection.hpp"
#include "store/schema_lookup.hpp"
#include "store/schema_rows.hpp"
#include "store/sql_values.hpp"
#include "store/statement_cache.hpp"

#include <algorithm>
#include <charconv>
#include <limits>
#include <map>
#include <set>

namespace chat::store {
namespace {

constexpr std::pair<std::string_view, SchemaStatus> k_statuses[] = {
    {"draft", SchemaStatus::draft},
    {"published", SchemaStatus::published},
    {"deprecated", SchemaStatus::deprecated}};

constexpr const char* k_version_columns =
    "s.id, s.name, s.version, s.type, s.status, s.languages, s.created, s.updated, s.published, "
    "(SELECT count(*) FROM questions q WHERE q.schema_id = s.id)";

SchemaVersion read_version(SQLite::Statement& row) {
    SchemaVersion version;
    version.id = row.getColumn(0).getInt64();
    version.name = row.getColumn(1).getString();
    version.version = row.getColumn(2).getInt64();
    version.type = row.getColumn(3).getString();
    version.status = status_from_name(row.getColumn(4).getString()).value_or(SchemaStatus::draft);
    version.languages = json_column(row.getColumn(5)).get<std::vector<std::string>>();
    version.created = row.getColumn(6).getString();
    version.updated = row.getColumn(7).getString();
    version.published = optional_text(row.getColumn(8));
    version.question_count = row.getColumn(9).getInt64();
    return version;
}

std::optional<SchemaVersion> select_one(StatementCache& statements, const std::string& condition,
                                        const std::string& name, std::int64_t version = 0) {
    auto& select = statements(std::string("SELECT ") + k_version_columns +
                              " FROM schemas s WHERE s.name = ?1 AND " + condition);
    select.bind(1, name);
    if (version != 0) {
        select.bind(2, version);
    }
    if (!select.executeStep()) {
        return std::nullopt;
    }
    return read_version(select);
}

std::optional<SchemaVersion> newest_version(StatementCache& statements, const std::string& name) {
    return select_one(statements, "s.version = (SELECT max(version) FROM schemas WHERE name = ?1)",
                      name);
}

std::optional<SchemaVersion> published_version(StatementCache& statements,
                                               const std::string& name) {
    return select_one(statements, "s.status = 'published'", name);
}

std::optional<SchemaVersion> numbered_version(StatementCache& statements, const std::string& name,
                                              std::int64_t number) {
    return select_one(statements, "s.version = ?2", name, number);
}

Error unknown_name(StatementCache& statements, const std::string& name) {
    std::vector<std::string> names;
    auto& select = statements("SELECT DISTINCT name FROM schemas ORDER BY name");
    while (select.executeStep()) {
        names.push_back(select.getColumn(0).getString());
    }
    std::vector<std::string_view> candidates(names.begin(), names.end());
    std::string message = "no schema named '" + name + "'";
    if (auto suggestion = nearest_word(name, candidates)) {
        message += "; did you mean '" + std::string(*suggestion) + "'?";
    }
    return Error(ErrorKind::not_found, "SCHEMA_NOT_FOUND", message);
}

}  // namespace

SchemaVersion find_version(StatementCache& statements, const SchemaReference& reference) {
    auto newest = newest_version(statements, reference.name);
    if (!newest) {
        throw unknown_name(statements, reference.name);
    }
    switch (reference.kind) {
        case SchemaReference::Kind::latest:
            return *newest;
        case SchemaReference::Kind::published:
            if (auto published = published_version(statements, reference.name)) {
                return *published;
            }
            throw Error(ErrorKind::not_found, "SCHEMA_NOT_FOUND",
                        "schema '" + reference.name + "' has no published version; name one: '" +
                            reference.name + "@latest' or '" + reference.name + "@" +
                            std::to_string(newest->version) + "'");
        case SchemaReference::Kind::version:
            break;
    }
    if (auto numbered = numbered_version(statements, reference.name, reference.version)) {
        return *numbered;
    }
    throw Error(ErrorKind::not_found, "SCHEMA_NOT_FOUND",
                "schema '" + reference.name + "' has no version " +
                    std::to_string(reference.version) + " (the newest is " +
                    std::to_string(newest->version) + ")");
}

SchemaVersion version_by_id(StatementCache& statements, std::int64_t schema_id) {
    auto& select =
        statements(std::string("SELECT ") + k_version_columns + " FROM schemas s WHERE s.id = ?1");
    select.bind(1, schema_id);
    if (!select.executeStep()) {
        throw Error(ErrorKind::database, "DATABASE_CORRUPT",
                    "schema row " + std::to_string(schema_id) +
                        " is referenced but missing; see 'chatctl db check'");
    }
    return read_version(select);
}

namespace {

// Members and surveys on the version, and stored messages spawned from or answering its
// questions (a member may have moved on; its history still points at the rows).
SchemaUsage usage_of(StatementCache& statements, std::int64_t schema_id) {
    auto& count = statements(
        "SELECT (SELECT count(*) FROM members WHERE schema_id = ?1), "
        "(SELECT count(*) FROM surveys WHERE schema_id = ?1), "
        "(SELECT count(*) FROM messages WHERE "
        "related_question_id IN (SELECT id FROM questions WHERE schema_id = ?1) OR "
        "predecessor_id IN (SELECT id FROM questions WHERE schema_id = ?1))");
    count.bind(1, schema_id);
    count.executeStep();
    return {count.getColumn(0).getInt64(), count.getColumn(1).getInt64(),
            count.getColumn(2).getInt64()};
}

std::string plural(std::int64_t count, const char* word) {
    return std::to_string(count) + " " + word + (count == 1 ? "" : "s");
}

std::string describe_usage(const SchemaUsage& usage) {
    return plural(usage.members, "member") + ", " + plural(usage.surveys, "survey") + " and " +
           plural(usage.messages, "message");
}

std::int64_t version_after(const std::optional<SchemaVersion>& newest) {
    if (!newest) {
        return 1;
    }
    if (newest->version == std::numeric_limits<std::int64_t>::max()) {
        throw Error(ErrorKind::rejected, "VERSION_LIMIT",
                    newest->label() +
                        " has the highest version number there can be; no later "
                        "version can be stored");
    }
    return newest->version + 1;
}

}  // namespace

Schema load_content(StatementCache& statements, const SchemaVersion& version) {
    Schema schema;
    schema.name = version.name;
    schema.type = version.type;
    schema.version = version.version;
    schema.languages = version.languages;
    load_schema_content(statements, version.id, schema);
    return schema;
}

namespace {

class Lifecycle {
public:
    Lifecycle(StatementCache& statements, Clock& clock)
        : m_statements(statements), m_now(format_time(clock.now())) {}

    SchemaVersion insert_version(const Schema& schema, std::int64_t number) {
        auto& insert = m_statements(
            "INSERT INTO schemas (name, version, type, languages, created, "
            "updated) VALUES (?, ?, ?, ?, ?, ?)");
        insert.bind(1, schema.name);
        insert.bind(2, number);
        insert.bind(3, schema.type);
        insert.bind(4, nlohmann::json(schema.languages).dump());
        insert.bind(5, m_now);
        insert.bind(6, m_now);
        insert.exec();
        std::int64_t id = m_statements.database().getLastInsertRowid();
        insert_schema_content(m_statements, id, schema);
        return reread(id);
    }

    SchemaVersion replace_content(const SchemaVersion& version, const Schema& schema,
                                  const SchemaUsage& usage) {
        auto& update =
            m_statements("UPDATE schemas SET type = ?, languages = ?, updated = ? WHERE id = ?");
        update.bind(1, schema.type);
        update.bind(2, nlohmann::json(schema.languages).dump());
        update.bind(3, m_now);
        update.bind(4, version.id);
        update.exec();
        if (usage.is_used()) {
            update_schema_content_in_place(m_statements, version.id, schema);
        } else {
            delete_schema_content(m_statements, version.id);
            insert_schema_content(m_statements, version.id, schema);
        }
        return reread(version.id);
    }

    PublishResult publish(const SchemaVersion& version, bool force) {
        PublishResult result;
        if (version.status == SchemaStatus::published) {
            result.version = version;
            result.was_already_published = true;
            return result;
        }
        auto current = published_version(m_statements, version.name);
        if (current && current->version > version.version && !force) {
            throw Error(ErrorKind::rejected, "OLDER_THAN_PUBLISHED",
                        version.label() + " is older than the published " + current->label() +
                            "; publishing it would deprecate " + current->label() +
                            " (use --force to do that)");
        }
        // Deprecate first: at most one published version per name (a unique index holds it).
        auto& deprecate = m_statements(
            "UPDATE schemas SET status = 'deprecated', updated = ?1 "
            "WHERE name = ?2 AND status = 'published' RETURNING version");
        deprecate.bind(1, m_now);
        deprecate.bind(2, version.name);
        while (deprecate.executeStep()) {
            result.deprecated_versions.push_back(deprecate.getColumn(0).getInt64());
        }
        auto& mark = m_statements(
            "UPDATE schemas SET status = 'published', published = ?1, "
            "updated = ?1 WHERE id = ?2");
        mark.bind(1, m_now);
        mark.bind(2, version.id);
        mark.exec();
        result.version = reread(version.id);
        return result;
    }

    void remove(const SchemaVersion& version) {
        delete_schema_content(m_statements, version.id);
        auto& remove = m_statements("DELETE FROM schemas WHERE id = ?");
        remove.bind(1, version.id);
        remove.exec();
    }

    SchemaVersion reread(std::int64_t id) {
        auto& select = m_statements(std::string("SELECT ") + k_version_columns +
                                    " FROM schemas s WHERE s.id = ?");
        select.bind(1, id);
        select.executeStep();
        return read_version(select);
    }

private:
    StatementCache& m_statements;
    std::string m_now;
};

// What stored messages and survey items rely on in a question: its type, and which answer
// (by position) says what.
struct QuestionShape {
    QuestionType type = QuestionType::text;
    std::vector<std::vector<std::pair<std::string, std::string>>> answer_texts;
    bool operator==(const QuestionShape&) const = default;
};

std::map<std::int64_t, QuestionShape> shape_of(const Schema& schema) {
    std::map<std::int64_t, QuestionShape> shape;
    for (const auto& question : schema.questions) {
        QuestionShape& entry = shape[question.qid];
        entry.type = question.type;
        for (const auto& answer : question.answers) {
            auto& texts = entry.answer_texts.emplace_back();
            for (const auto& translation : answer.text.translations) {
                texts.emplace_back(translation.language, translation.text);
            }
            std::sort(texts.begin(), texts.end());
        }
    }
    return shape;
}

// A version in use keeps its qids, question types and answers: stored messages and survey
// items point at those rows, and an answer row must go on meaning what was chosen.
void check_same_shape(const SchemaVersion& version, const Schema& stored, const Schema& schema,
                      const SchemaUsage& usage) {
    if (shape_of(stored) == shape_of(schema)) {
        return;
    }
    throw Error(ErrorKind::rejected, "SCHEMA_IN_USE",
                version.label() + " is used by " + describe_usage(usage) +
                    "; its qids, question types and answer texts cannot change");
}

void check_replaceable(StatementCache& statements, const SchemaVersion& version,
                       const Schema& schema, const ImportOptions& options, SchemaUsage& usage) {
    if (version.status != SchemaStatus::draft && !options.allow_edit_published) {
        throw Error(ErrorKind::rejected, "SCHEMA_IMMUTABLE",
                    version.label() + " is " + std::string(status_name(version.status)) +
                        " and cannot change (allow_edit_published_schemas is off); import "
                        "without --replace-draft to store a new version");
    }
    usage = usage_of(statements, version.id);
    if (!usage.is_used()) {
        return;
    }
    if (!options.allow_edit_published) {
        throw Error(ErrorKind::rejected, "SCHEMA_IN_USE",
                    version.label() + " is used by " + describe_usage(usage) +
                        " and cannot change; import without --replace-draft to store a new "
                        "version");
    }
    check_same_shape(version, load_content(statements, version), schema, usage);
}

ImportResult import_kept_version(StatementCache& statements, Lifecycle& lifecycle,
                                 const ImportRequest& request) {
    const Schema& schema = request.schema;
    if (!schema.version) {
        throw Error(ErrorKind::rejected, "VERSION_MISSING",
                    request.source + ": --keep-version needs a 'version' in the file");
    }
    ImportResult result{request.source, ImportOutcome::created, {}, false, {}};
    if (auto existing = numbered_version(statements, schema.name, *schema.version)) {
        if (!schema::has_same_content(load_content(statements, *existing), schema)) {
            throw Error(ErrorKind::rejected, "VERSION_EXISTS",
                        request.source + ": " + existing->label() +
                            " is already stored with a different content");
        }
        result.outcome = ImportOutcome::unchanged;
        result.version = *existing;
        return result;
    }
    result.version = lifecycle.insert_version(schema, *schema.version);
    return result;
}

ImportResult import_next_version(StatementCache& statements, Lifecycle& lifecycle,
                                 const ImportRequest& request, const ImportOptions& options) {
    const Schema& schema = request.schema;
    ImportResult result{request.source, ImportOutcome::created, {}, false, {}};
    auto newest = newest_version(statements, schema.name);
    if (newest && schema::has_same_content(load_content(statements, *newest), schema)) {
        result.outcome = ImportOutcome::unchanged;
        result.version = *newest;
        return result;
    }
    if (newest && options.replace_draft) {
        SchemaUsage usage;
        check_replaceable(statements, *newest, schema, options, usage);
        result.outcome = ImportOutcome::replaced;
        result.version = lifecycle.replace_content(*newest, schema, usage);
        return result;
    }
    result.version = lifecycle.insert_version(schema, version_after(newest));
    return result;
}

}  // namespace

std::string_view status_name(SchemaStatus status) {
    for (const auto& [name, value] : k_statuses) {
        if (value == status) {
            return name;
        }
    }
    return "draft";
}

std::optional<SchemaStatus> status_from_name(std::string_view name) {
    for (const auto& [status_text, value] : k_statuses) {
        if (status_text == name) {
            return value;
        }
    }
    return std::nullopt;
}

std::string_view outcome_name(ImportOutcome outcome) {
    switch (outcome) {
        case ImportOutcome::created:
            return "created";
        case ImportOutcome::unchanged:
            return "unchanged";
        case ImportOutcome::replaced:
            return "replaced";
    }
    return "created";
}

std::optional<SchemaReference> SchemaReference::parse(std::string_view text) {
    SchemaReference reference;
    auto at = text.find('@');
    reference.name = std::string(text.substr(0, at));
    if (reference.name.empty()) {
        return std::nullopt;
    }
    if (at == std::string_view::npos) {
        return reference;
    }
    std::string_view version = text.substr(at + 1);
    if (version == "latest") {
        reference.kind = Kind::latest;
        return reference;
    }
    auto [end, error] =
        std::from_chars(version.data(), version.data() + version.size(), reference.version);
    if (version.empty() || error != std::errc() || end != version.data() + version.size() ||
        reference.version < 1) {
        return std::nullopt;
    }
    reference.kind = Kind::version;
    return reference;
}

std::string SchemaReference::text() const {
    switch (kind) {
        case Kind::published:
            return name;
        case Kind::latest:
            return name + "@latest";
        case Kind::version:
            break;
    }
    return name + "@" + std::to_string(version);
}

std::vector<ImportResult> SchemaStore::import_schemas(const std::vector<ImportRequest>& requests,
                                                      const ImportOptions& options) {
    return translating_sqlite_errors(m_database, [&] {
        WriteTransaction transaction(m_database);
        ++m_database.connection().schema_changes;
        StatementCache statements(sql_of(m_database));
        Lifecycle lifecycle(statements, m_clock);
        std::vector<ImportResult> results;
        for (const auto& request : requests) {
            ImportResult result =
                options.keep_version ? import_kept_version(statements, lifecycle, request)
                                     : import_next_version(statements, lifecycle, request, options);
            if (options.publish) {
                PublishResult published = lifecycle.publish(result.version, false);
                result.version = published.version;
                result.is_newly_published = !published.was_already_published;
                result.deprecated_versions = published.deprecated_versions;
            }
            results.push_back(std::move(result));
        }
        transaction.commit();
        return results;
    });
}

PublishResult SchemaStore::publish(const SchemaReference& reference, bool force) {
    return translating_sqlite_errors(m_database, [&] {
        WriteTransaction transaction(m_database);
        ++m_database.connection().schema_changes;
        StatementCache statements(sql_of(m_database));
        Lifecycle lifecycle(statements, m_clock);
        PublishResult result = lifecycle.publish(find_version(statements, reference), force);
        transaction.commit();
        return result;
    });
}

CopyResult SchemaStore::copy(const SchemaReference& reference) {
    return translating_sqlite_errors(m_database, [&] {
        WriteTransaction transaction(m_database);
        ++m_database.connection().schema_changes;
        StatementCache statements(sql_of(m_database));
        Lifecycle lifecycle(statements, m_clock);
        SchemaVersion source = find_version(statements, reference);
        Schema schema = load_content(statements, source);
        auto newest = newest_version(statements, reference.name);
        CopyResult result{source, lifecycle.insert_version(schema, version_after(newest))};
        transaction.commit();
        return result;
    });
}

SchemaList SchemaStore::list(const ListFilter& filter) {
    return translating_sqlite_errors(m_database, [&] {
        ReadSnapshot snapshot(sql_of(m_database));
        StatementCache statements(sql_of(m_database));
        const std::string where =
            " FROM schemas s WHERE (?1 IS NULL OR s.type = ?1) AND "
            "(?2 IS NULL OR s.status = ?2)";
        auto bind_filter = [&filter](SQLite::Statement& statement) {
            bind_optional(statement, 1, filter.type);
            bind_optional(statement, 2,
                          filter.status ? std::optional(std::string(status_name(*filter.status)))
                                        : std::nullopt);
        };
        SchemaList list;
        auto& count = statements("SELECT count(*)" + where);
        bind_filter(count);
        count.executeStep();
        list.total = count.getColumn(0).getInt64();
        auto& select = statements(std::string("SELECT ") + k_version_columns + where +
                                  " ORDER BY s.name, s.version LIMIT ?3 OFFSET ?4");
        bind_filter(select);
        select.bind(3, filter.limit.value_or(-1));
        select.bind(4, filter.offset);
        while (select.executeStep()) {
            list.versions.push_back(read_version(select));
        }
        return list;
    });
}

StoredSchema SchemaStore::load(const SchemaReference& reference) {
    return translating_sqlite_errors(m_database, [&] {
        ReadSnapshot snapshot(sql_of(m_database));
        StatementCache statements(sql_of(m_database));
        StoredSchema stored;
        stored.version = find_version(statements, reference);
        stored.usage = usage_of(statements, stored.version.id);
        stored.schema = load_content(statements, stored.version);
        return stored;
    });
}

SchemaVersion SchemaStore::remove(const SchemaReference& reference) {
    return translating_sqlite_errors(m_database, [&] {
        WriteTransaction transaction(m_database);
        ++m_database.connection().schema_changes;
        StatementCache statements(sql_of(m_database));
        SchemaVersion version = find_version(statements, reference);
        if (version.status != SchemaStatus::draft) {
            throw Error(ErrorKind::rejected, "NOT_A_DRAFT",
                        version.label() + " is " + std::string(status_name(version.status)) +
                            "; only drafts can be deleted");
        }
        SchemaUsage usage = usage_of(statements, version.id);
        if (usage.is_used()) {
            throw Error(ErrorKind::rejected, "SCHEMA_IN_USE",
                        version.label() + " is used by " + describe_usage(usage) +
                            " and cannot be deleted");
        }
        Lifecycle(statements, m_clock).remove(version);
        transaction.commit();
        return version;
    });
}

}  // namespace chat::store
