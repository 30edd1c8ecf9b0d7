#pragma once
// Prepared statements kept for the length of one store call (one transaction), or for the life
// of a store (ConversationStore), so that a batch prepares each SQL text once.

#include <SQLiteCpp/SQLiteCpp.h>

#include <memory>
#include <string>
#include <unordered_map>

namespace chat::store {

class StatementCache {
public:
    explicit StatementCache(SQLite::Database& sql) : m_sql(sql) {}

    /// The statement for `query`, prepared on first use, reset and without bindings. Finish
    /// with it before asking for the same query again.
    SQLite::Statement& operator()(const std::string& query) {
        auto& slot = m_statements[query];
        if (!slot) {
            slot = std::make_unique<SQLite::Statement>(m_sql, query);
        } else {
            slot->reset();
            slot->clearBindings();
        }
        return *slot;
    }

    SQLite::Database& database() { return m_sql; }

    /// Resets every statement, so that none keeps a read open once a transaction ends.
    void reset_all() {
        for (auto& [query, statement] : m_statements) {
            statement->reset();
        }
    }

private:
    SQLite::Database& m_sql;
    std::unordered_map<std::string, std::unique_ptr<SQLite::Statement>> m_statements;
};

}  // namespace chat::store
