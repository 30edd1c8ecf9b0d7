#pragma once
// A schema's content as rows of groups, questions, answers and attachment_templates.

#include <chat/model.hpp>

#include "store/statement_cache.hpp"

#include <cstdint>

namespace chat::store {

/// Inserts the content of `schema` under the schemas row `schema_id`, which has none yet.
void insert_schema_content(StatementCache& statements, std::int64_t schema_id,
                           const Schema& schema);

/// Reads the content stored under `schema_id` into `schema` (groups, questions and answers in
/// position order).
void load_schema_content(StatementCache& statements, std::int64_t schema_id, Schema& schema);

/// Deletes the content stored under `schema_id`.
void delete_schema_content(StatementCache& statements, std::int64_t schema_id);

/// Overwrites the content of a version that members or surveys use, keeping the rows they
/// point at: questions are matched by qid and answers by position. The caller has checked that
/// `schema` has the same qids and the same number of answers per question.
void update_schema_content_in_place(StatementCache& statements, std::int64_t schema_id,
                                    const Schema& schema);

}  // namespace chat::store
