#pragma once
// Finding stored schema versions, for the stores that run on them (surveys, conversations).

#include <chat/schema_store.hpp>

#include "store/statement_cache.hpp"

#include <cstdint>

namespace chat::store {

/// The referenced version (SCHEMA_NOT_FOUND when missing, with did-you-mean for names).
SchemaVersion find_version(StatementCache& statements, const SchemaReference& reference);

/// The version stored under a schemas row id that another row refers to.
SchemaVersion version_by_id(StatementCache& statements, std::int64_t schema_id);

/// The version's content: groups, questions and answers in position order.
Schema load_content(StatementCache& statements, const SchemaVersion& version);

}  // namespace chat::store
