#pragma once
/// Writing a schema back as a file (SPEC §6 `export`): the text imports back to a schema with
/// the same content, and writing that schema again gives the same bytes.

#include <chat/model.hpp>

#include <nlohmann/json.hpp>
#include <string>

namespace chat::schema {

enum class ExportFormat { yaml, json };

/// The schema as a file document, fields in the order of SPEC §2's example. Groups, questions
/// and answers are sorted by position. Fields at their default are left out (false flags, empty
/// comments, null meta, empty lists, absent optionals); `position` is written only when it
/// differs from the element's index in the sorted list, `languages` only when it is not [en],
/// `version` only when `include_version` and the schema has one. A plain text is a string,
/// other texts a map in the order of `schema.languages` (then other languages, sorted). Range
/// bounds that are whole numbers within 64 bits are written as integers.
nlohmann::ordered_json schema_document(const Schema& schema, bool include_version);

/// The file text of the schema (with its version, when it has one), ending with a newline:
/// block-style YAML that quotes a string only where a plain one would read back as something
/// else (or where YAML needs it), or JSON indented by 2 spaces. Non-ASCII text is written as is.
/// Throws std::runtime_error when the text cannot be written (e.g. a text is not UTF-8).
std::string write_schema(const Schema& schema, ExportFormat format);

/// Whether two schemas have the same content: everything but the version and the source
/// locations. Groups, questions and answers are compared in position order, so the order of
/// the lists does not matter, nor does the order of the translations in a text.
bool has_same_content(const Schema& a, const Schema& b);

}  // namespace chat::schema
