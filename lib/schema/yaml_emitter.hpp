#pragma once
// A generic JSON -> YAML writer on libyaml's emitter, for files that the schema loader reads
// back to the same values.

#include <nlohmann/json.hpp>

#include <string>
#include <string_view>

namespace chat::schema {

/// Whether `text` must be quoted to read back as text: a plain scalar with that text would be
/// a null, a boolean or a number under the loader's YAML 1.2 core rules (see classify()).
bool needs_quotes(std::string_view text);

/// The document as block-style YAML (UTF-8, non-ASCII unescaped, lines never folded), ending
/// with a newline. Sequences of scalars only are written in flow style (`[en, pl]`); strings
/// with line breaks as literal blocks where YAML allows it. Throws std::runtime_error when
/// libyaml fails (e.g. a string that is not UTF-8).
std::string write_yaml(const nlohmann::ordered_json& document);

}  // namespace chat::schema
