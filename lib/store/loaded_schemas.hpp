#pragma once
// Stored schema versions ready to run, with the row ids that survey items and messages point
// at, loaded once per transaction.

#include <chat/runtime_schema.hpp>
#include <chat/schema_store.hpp>

#include "store/statement_cache.hpp"

#include <cstdint>
#include <memory>
#include <optional>
#include <unordered_map>
#include <utility>
#include <vector>

namespace chat::store {

struct LoadedSchema {
    SchemaVersion version;
    RuntimeSchema runtime;
    std::vector<std::int64_t> question_rows;             // by question index
    std::vector<std::vector<std::int64_t>> answer_rows;  // by question index, then answer index

    /// The question index of a questions row of this version.
    std::optional<std::size_t> question_of_row(std::int64_t row) const;
    /// (question index, answer index) of an answers row of this version.
    std::optional<std::pair<std::size_t, std::size_t>> answer_of_row(std::int64_t row) const;

    std::unordered_map<std::int64_t, std::size_t> question_by_row;
    std::unordered_map<std::int64_t, std::pair<std::size_t, std::size_t>> answer_by_row;
};

/// Loads each version once. An in-place edit may change a version's rows: a LoadedSchemas that
/// outlives a transaction is cleared when schemas may have changed (ConversationCaches).
class LoadedSchemas {
public:
    explicit LoadedSchemas(StatementCache& statements) : m_statements(statements) {}

    const LoadedSchema& get(std::int64_t schema_id);
    const LoadedSchema& get(const SchemaVersion& version);

    void clear() { m_loaded.clear(); }

private:
    StatementCache& m_statements;
    std::unordered_map<std::int64_t, std::unique_ptr<LoadedSchema>> m_loaded;
};

}  // namespace chat::store
