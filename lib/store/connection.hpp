#pragma once
// What the store's own files see of an open database: the SQLiteCpp connection, and the one
// place where SQLite's failures become chat::Error.

#include <chat/store.hpp>

#include <SQLiteCpp/SQLiteCpp.h>
#include <sqlite3.h>
#include <nlohmann/json.hpp>

#include <cstdint>
#include <optional>
#include <utility>

namespace chat::store {

struct Database::Connection {
    explicit Connection(SQLite::Database database) : sql(std::move(database)) {}
    SQLite::Database sql;
    // The savepoint of a step, prepared once: a replay or a stream takes one per step.
    std::optional<SQLite::Statement> step_savepoint;
    std::optional<SQLite::Statement> step_release;

    void run_prepared(std::optional<SQLite::Statement>& statement, const char* text) {
        if (!statement) {
            statement.emplace(sql, text);
        }
        statement->reset();
        statement->exec();
    }
    // Counts the schema writes of this connection, so that loaded schemas know they are stale.
    std::uint64_t schema_changes = 0;
    // Counts what may make cached rows stale: a top-level commit (so that caches live for one
    // batch at most), any rollback, and a user written.
    std::uint64_t row_changes = 0;
    // The caches of the store that wrote conversation rows last: another store's are stale.
    const void* row_writer = nullptr;
};

inline SQLite::Database& sql_of(Database& database) {
    return database.connection().sql;
}

/// The chat::Error for an SQLite failure on `database_path`: locked, read-only, full, corrupt,
/// not a database, or another database error; always kind database (exit 4).
Error database_error(const SQLite::Exception& failure, const std::string& database_path,
                     std::chrono::milliseconds busy_timeout);

/// Runs `work`, turning SQLite exceptions into chat::Error.
template <typename Work>
auto translating_sqlite_errors(Database& database, Work&& work) -> decltype(work()) {
    try {
        return std::forward<Work>(work)();
    } catch (const SQLite::Exception& failure) {
        throw database_error(failure, database.path(), database.busy_timeout());
    } catch (const nlohmann::json::exception& failure) {
        // Only a stored value can be malformed here (edited with SQL, say).
        throw Error(ErrorKind::database, "DATABASE_CORRUPT",
                    "database '" + database.path() + "' holds a malformed JSON value (" +
                        failure.what() + "); see 'chatctl db check'");
    }
}

/// An IMMEDIATE write transaction: the write lock is taken at BEGIN, where the busy timeout
/// applies. Leaving the scope without commit() rolls back. Inside a transaction that is
/// already open (a replay script runs every step in its own), it is a savepoint instead, so
/// that a refused step still changes nothing while the script goes on.
class WriteTransaction {
public:
    explicit WriteTransaction(Database& database)
        : m_connection(database.connection()), m_sql(m_connection.sql) {
        m_is_nested = sqlite3_get_autocommit(m_sql.getHandle()) == 0;
        if (m_is_nested) {
            m_connection.run_prepared(m_connection.step_savepoint, "SAVEPOINT chatctl_step");
        } else {
            m_sql.exec("BEGIN IMMEDIATE");
        }
        m_is_open = true;
    }
    ~WriteTransaction() {
        if (!m_is_open) {
            return;
        }
        ++m_connection.row_changes;
        try {
            if (m_is_nested) {
                m_sql.exec("ROLLBACK TO chatctl_step");
                m_sql.exec("RELEASE chatctl_step");
            } else {
                m_sql.exec("ROLLBACK");
            }
        } catch (...) {  // NOLINT(bugprone-empty-catch): a destructor must not throw
        }
    }
    WriteTransaction(const WriteTransaction&) = delete;
    WriteTransaction& operator=(const WriteTransaction&) = delete;

    void commit() {
        if (m_is_nested) {
            m_connection.run_prepared(m_connection.step_release, "RELEASE chatctl_step");
        } else {
            m_sql.exec("COMMIT");
            ++m_connection.row_changes;
        }
        m_is_open = false;
    }

private:
    Database::Connection& m_connection;
    SQLite::Database& m_sql;
    bool m_is_nested = false;
    bool m_is_open = false;
};

/// A read transaction, so that a command reads one consistent state; nothing when a
/// transaction is already open (its state is the one to read).
class ReadSnapshot {
public:
    explicit ReadSnapshot(SQLite::Database& sql) : m_sql(sql) {
        if (sqlite3_get_autocommit(m_sql.getHandle()) != 0) {
            m_sql.exec("BEGIN DEFERRED");
            m_is_open = true;
        }
    }
    explicit ReadSnapshot(Database& database) : ReadSnapshot(sql_of(database)) {}
    ~ReadSnapshot() {
        if (m_is_open) {
            try {
                m_sql.exec("ROLLBACK");
            } catch (...) {  // NOLINT(bugprone-empty-catch): a destructor must not throw
            }
        }
    }
    ReadSnapshot(const ReadSnapshot&) = delete;
    ReadSnapshot& operator=(const ReadSnapshot&) = delete;

private:
    SQLite::Database& m_sql;
    bool m_is_open = false;
};

}  // namespace chat::store
