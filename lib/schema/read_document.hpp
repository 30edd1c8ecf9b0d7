#pragma once
// The first steps every located file goes through (schema files and chatctl.yaml alike): the
// size limit, UTF-8, the parser; and handing findings over in file order.

#include "schema/document.hpp"
#include "schema/reporter.hpp"

#include <chat/schema.hpp>

#include <optional>
#include <string_view>
#include <vector>

namespace chat::schema {

/// The located tree of `text`, or nothing after reporting why it cannot be read (too large,
/// not UTF-8, a syntax error).
std::optional<Node> read_document(std::string_view text, FileFormat format, Reporter& reporter);

/// Gives `diagnostics` to `sink` sorted by line and column: checks report family by family,
/// readers want findings in file order, like a compiler's.
void forward_in_file_order(std::vector<Diagnostic> diagnostics, DiagnosticSink& sink);

}  // namespace chat::schema
