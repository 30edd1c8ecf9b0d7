#pragma once
/// Stored schema versions and their lifecycle (SPEC §6): import, publish, copy, list, show,
/// load, delete. Every call that writes runs in one IMMEDIATE transaction; a refused call
/// throws chat::Error and changes nothing.

#include <chat/clock.hpp>
#include <chat/model.hpp>
#include <chat/store.hpp>

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace chat::store {

enum class SchemaStatus { draft, published, deprecated };
/// "draft", "published" or "deprecated", as stored and printed.
std::string_view status_name(SchemaStatus status);
/// The status with that name, if any.
std::optional<SchemaStatus> status_from_name(std::string_view name);

/// `NAME` (the published version), `NAME@latest` (the newest) or `NAME@3`.
struct SchemaReference {
    enum class Kind { published, latest, version };
    std::string name;
    Kind kind = Kind::published;
    std::int64_t version = 0;  // for Kind::version

    /// nullopt when the text is none of the three forms.
    static std::optional<SchemaReference> parse(std::string_view text);
    /// The reference as the user writes it.
    std::string text() const;
};

/// One stored version, without its questions.
struct SchemaVersion {
    std::int64_t id = 0;
    std::string name;
    std::int64_t version = 0;
    std::string type;
    SchemaStatus status = SchemaStatus::draft;
    std::vector<std::string> languages;
    std::string created;
    std::string updated;
    std::optional<std::string> published;  // when it was last published
    std::int64_t question_count = 0;

    /// `name@version`.
    std::string label() const { return name + "@" + std::to_string(version); }
};

/// Who relies on a version: it may not be deleted, nor its rows replaced, while anyone does.
struct SchemaUsage {
    std::int64_t members = 0;   // members running on it
    std::int64_t surveys = 0;   // surveys of it
    std::int64_t messages = 0;  // stored messages spawned from or answering its questions
    bool is_used() const { return members > 0 || surveys > 0 || messages > 0; }
};

struct StoredSchema {
    SchemaVersion version;
    SchemaUsage usage;
    Schema schema;  // the content, loaded from the database
};

struct ImportOptions {
    bool publish = false;               // publish in the same transaction
    bool keep_version = false;          // store under the file's `version`
    bool replace_draft = false;         // overwrite the newest version when it is an unused draft
    bool allow_edit_published = false;  // configuration allow_edit_published_schemas
};

enum class ImportOutcome {
    created,    // a new version was stored
    unchanged,  // identical to the stored version: nothing written
    replaced,   // the newest version's content was overwritten (--replace-draft)
};
/// "created", "unchanged" or "replaced".
std::string_view outcome_name(ImportOutcome outcome);

struct ImportRequest {
    std::string source;  // file name, for messages
    Schema schema;       // already validated
};

struct ImportResult {
    std::string source;
    ImportOutcome outcome = ImportOutcome::created;
    SchemaVersion version;
    bool is_newly_published = false;
    std::vector<std::int64_t> deprecated_versions;  // by this import's publishing
};

struct PublishResult {
    SchemaVersion version;
    bool was_already_published = false;
    std::vector<std::int64_t> deprecated_versions;
};

struct CopyResult {
    SchemaVersion source;
    SchemaVersion copy;
};

struct ListFilter {
    std::optional<std::string> type;
    std::optional<SchemaStatus> status;
    std::optional<std::int64_t> limit;  // none: every row
    std::int64_t offset = 0;
};

struct SchemaList {
    std::vector<SchemaVersion> versions;  // by name, then version
    std::int64_t total = 0;               // rows matching the filter, before limit/offset
};

class SchemaStore {
public:
    SchemaStore(Database& database, Clock& clock) : m_database(database), m_clock(clock) {}

    /// Stores every request in one transaction: all of them or none. A schema identical to
    /// the newest version of its name (with keep_version: to that version) is `unchanged`.
    std::vector<ImportResult> import_schemas(const std::vector<ImportRequest>& requests,
                                             const ImportOptions& options);
    /// Publishes the version and deprecates the other published one; a version older than
    /// the published one needs `force` (OLDER_THAN_PUBLISHED).
    PublishResult publish(const SchemaReference& reference, bool force);
    /// A new draft (highest version + 1) with the referenced version's content.
    CopyResult copy(const SchemaReference& reference);
    /// Versions matching the filter, by name then version, and how many match in all.
    SchemaList list(const ListFilter& filter);
    /// The referenced version with its content and usage (SCHEMA_NOT_FOUND when missing).
    StoredSchema load(const SchemaReference& reference);
    /// Deletes a draft that no member or survey uses.
    SchemaVersion remove(const SchemaReference& reference);

private:
    Database& m_database;
    Clock& m_clock;
};

}  // namespace chat::store
