#pragma once

#include "schema/document.hpp"
#include "schema/reporter.hpp"

#include <chat/config.hpp>
#include <chat/model.hpp>

namespace chat::schema {

/// Turns the document tree into the model, reporting unknown keys, missing fields, wrong types
/// and out-of-domain values. Elements too broken to use (a question without qid or type) are
/// left out; the reporter's error count tells whether anything was reported.
Schema build_schema(const Node& root, const Config& config, Reporter& reporter);

}  // namespace chat::schema
