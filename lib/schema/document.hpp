#pragma once
// The located document tree both parsers produce (YAML and JSON alike), so that the schema
// builder and every diagnostic work on one representation with 1-based line and column.

#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace chat::schema {

/// Deepest nesting of sequences and mappings a schema file may have (SPEC §15).
inline constexpr int k_max_nesting = 64;

struct Position {
    std::uint32_t line = 0;    // 1-based; 0 = unknown
    std::uint32_t column = 0;  // 1-based, counted in characters (code points)
    std::size_t offset = 0;    // 0-based byte offset in the text
};

enum class NodeKind { null, scalar, sequence, mapping };

struct MappingEntry;

struct Node {
    NodeKind kind = NodeKind::null;
    /// Scalars: the value after unescaping. JSON true/false/null and numbers are plain scalars
    /// holding their literal text; JSON strings are quoted scalars.
    std::string text;
    /// True for quoted YAML scalars and JSON strings: never a number, boolean or null.
    bool is_quoted = false;
    Position position;
    std::vector<Node> items;            // sequence elements
    std::vector<MappingEntry> entries;  // mapping key -> value, in file order
};

// A named struct rather than std::pair<Node, Node>: a pair needs Node complete where Node
// declares its members, which libstdc++ checks under clang.
struct MappingEntry {
    MappingEntry(Node key_node, Node value_node)
        : key(std::move(key_node)), value(std::move(value_node)) {}
    Node key;
    Node value;
};

/// Why a text could not be parsed: where, and what was wrong.
struct ParseFailure {
    Position position;
    std::string message;
};

}  // namespace chat::schema
