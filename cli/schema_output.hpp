#pragma once
// What the schema lifecycle commands share: reading NAME[@VERSION] and printing a version.

#include "context.hpp"

#include <chat/schema_store.hpp>

#include <nlohmann/json.hpp>

#include <string>

namespace chat::cli {

/// Reads NAME, NAME@latest or NAME@N; a malformed reference is a usage error (thrown as
/// ReportedFailure). With `needs_version`, NAME alone is refused too.
store::SchemaReference read_reference(Context& context, const std::string& text,
                                      bool needs_version = false);

/// The version object of every --format json document (see man chatctl-schema).
nlohmann::ordered_json version_json(const store::SchemaVersion& version);

/// The store over the context's database.
store::SchemaStore schema_store(Context& context, store::Access access);

}  // namespace chat::cli
