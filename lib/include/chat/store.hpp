#pragma once
/// The SQLite database (SPEC §5): opening and creating it, its layout version, `db info` and
/// `db check`. Failures are chat::Error with kind database (exit 4) unless said otherwise.

#include <chat/config.hpp>
#include <chat/error.hpp>

#include <chrono>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace chat::store {

/// The layout this build creates and understands (`PRAGMA user_version`).
int current_layout_version();

enum class Access {
    read,    // the file must exist; opened read-only when the process may not write it
    write,   // the file must exist
    create,  // created (mode 0600) when missing
};

struct OpenOptions {
    std::string path = "chat.db";  // ":memory:" for a private in-memory database
    Access access = Access::create;
    std::chrono::milliseconds busy_timeout{5000};
};

/// An open database with the current layout. Opening creates the tables in a new file and
/// upgrades an older layout in one transaction; a newer layout, a file that is not a chatctl
/// database, or one that cannot be opened is refused before anything is written.
class Database {
public:
    explicit Database(const OpenOptions& options);
    ~Database();
    Database(Database&&) noexcept;
    Database& operator=(Database&&) noexcept;

    /// The path as given (":memory:" for an in-memory database).
    const std::string& path() const { return m_path; }
    /// How long a statement waits for another writer before failing with DATABASE_LOCKED.
    std::chrono::milliseconds busy_timeout() const { return m_busy_timeout; }
    /// The layout the file had when it was opened (0 for a new file).
    int opened_layout_version() const { return m_opened_layout_version; }

    /// The SQLite connection, defined for the store's own files in lib/store/connection.hpp.
    struct Connection;
    Connection& connection() { return *m_connection; }

private:
    std::unique_ptr<Connection> m_connection;
    std::string m_path;
    std::chrono::milliseconds m_busy_timeout;
    int m_opened_layout_version = 0;
};

/// A row that users name either by its id (digits only) or by the key it was given when it was
/// created (threads, surveys: scripts name them by labels stored as keys).
struct KeyReference {
    std::optional<std::int64_t> id;
    std::string key;

    static KeyReference parse(std::string_view text);
    /// The reference as the user wrote it.
    std::string text() const;
    /// "with id 3" or "with key 'intake'", for messages.
    std::string describe() const;
};

/// True when `key` could be taken for an id (digits only), which keys may not be.
bool looks_like_id(std::string_view key);

struct TableCount {
    std::string table;
    std::int64_t rows = 0;
};

struct DatabaseInfo {
    std::string path;
    int layout_version = 0;
    std::string journal_mode;
    std::int64_t file_bytes = 0;  // the main file, without -wal and -shm
    std::vector<TableCount> tables;
};

/// What `db info` prints: the layout, the journal mode, the file size and rows per table.
DatabaseInfo database_info(Database& database);

/// One rule `db check` verifies, and what it found.
struct InvariantResult {
    std::string name;         // stable identifier, e.g. "one-published-version"
    std::string description;  // what holds when the check passes
    std::int64_t violations = 0;
    std::vector<std::string> examples;  // up to 10 offending rows, described for people
    bool passed() const { return violations == 0; }
};

/// Runs PRAGMA integrity_check, the foreign key check and the project's invariants (SPEC §5).
/// The message visibility rules of `config` (SPEC §8, §12) decide which messages each user may
/// see, and so which unread rows may exist; the default configuration has no rules. A check
/// that cannot run (a damaged page under its table) is reported as failed, and the others
/// still run.
std::vector<InvariantResult> check_database(Database& database, const Config& config = Config{});

}  // namespace chat::store
