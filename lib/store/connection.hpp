#pragma once
// What the store's own files see of an open database: the SQLiteCpp connection, and the one
// place where SQLite's failures become chat::Error.

#include <chat/store.hpp>

#include <SQLiteCpp/SQLiteCpp.h>
#include <nlohmann/json.hpp>

#include <utility>

namespace chat::store {

struct Database::Connection {
    explicit Connection(SQLite::Database database) : sql(std::move(database)) {}
    SQLite::Database sql;
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
/// applies. Leaving the scope without commit() rolls back.
class WriteTransaction {
public:
    explicit WriteTransaction(Database& database)
        : m_transaction(sql_of(database), SQLite::TransactionBehavior::IMMEDIATE) {}
    void commit() { m_transaction.commit(); }

private:
    SQLite::Transaction m_transaction;
};

}  // namespace chat::store
