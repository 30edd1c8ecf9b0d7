#pragma once
// Typed access to the located document tree: the YAML 1.2 core rules for plain scalars, and a
// mapping reader that reports unknown keys, missing fields and wrong types as it goes.

#include "schema/document.hpp"

#include <chat/spelling.hpp>
#include "schema/reporter.hpp"

#include <cstdint>
#include <nlohmann/json.hpp>
#include <optional>
#include <span>
#include <string>
#include <string_view>

namespace chat::schema {

enum class ScalarKind { null, boolean, integer, number, text };

/// What a node holds: quoted scalars are always text; plain ones follow YAML 1.2 core rules.
ScalarKind classify(const Node& node);
/// A short description of a node for messages: `text "abc"`, `integer 5`, `a list`, ...
std::string describe(const Node& node);
/// "a, b, c", each word after `prefix` ("." gives ".png, .jpg").
std::string join(const std::vector<std::string>& words, std::string_view prefix = "");
/// `text` cut to at most `max_bytes` (on a character boundary) plus "..." when it is longer.
std::string excerpt(std::string_view text, std::size_t max_bytes);
/// The node as JSON (for meta, options, thumbnail).
nlohmann::json to_json(const Node& node);

/// Reads one mapping of the file: unknown keys are reported when the reader is made.
class MappingReader {
public:
    /// `what` names the mapping in messages ("question", "answer", "schema").
    MappingReader(const Node& mapping, std::string_view what,
                  std::span<const std::string_view> allowed_keys, Reporter& reporter);

    /// The value of `key`, or nullptr when absent or null.
    const Node* find(std::string_view key) const;
    /// Like find(), but reports missing-field when absent.
    const Node* require(std::string_view key) const;

    std::optional<std::int64_t> integer(std::string_view key, bool required = false) const;
    std::optional<double> number(std::string_view key) const;
    std::optional<bool> boolean(std::string_view key) const;
    /// Any scalar read as text (`text: 42` is the text "42"); lists and mappings are wrong.
    std::optional<std::string> text(std::string_view key, bool required = false) const;
    /// A sequence node, or nullptr (absent, or reported as wrong-type).
    const Node* sequence(std::string_view key, bool required = false) const;

    SourceLoc loc_of_key(std::string_view key) const;

private:
    void report_wrong_type(std::string_view key, const Node& value,
                           std::string_view expected) const;

    const Node& m_mapping;
    std::string m_what;
    Reporter& m_reporter;
};

/// Reports wrong-type unless `node` is a mapping; returns whether it is.
bool expect_mapping(const Node& node, std::string_view what, Reporter& reporter);

}  // namespace chat::schema
