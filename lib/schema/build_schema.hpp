#pragma once

#include "schema/document.hpp"
#include "schema/reporter.hpp"

#include <chat/config.hpp>
#include <chat/model.hpp>

namespace chat::schema {

struct BuiltSchema {
    Schema schema;
    /// False when a question or the group list was too broken to keep: references to them
    /// would then be reported as unknown although the author wrote them.
    bool has_every_target = true;
};

/// Turns the document tree into the model, reporting unknown keys, missing fields, wrong types
/// and out-of-domain values. Elements too broken to use (a question without qid or type) are
/// left out; the reporter's error count tells whether anything was reported.
BuiltSchema build_schema(const Node& root, const Config& config, Reporter& reporter);

}  // namespace chat::schema
