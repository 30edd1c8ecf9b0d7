#include "schema/parse_yaml.hpp"

#include "schema/text_position.hpp"

#include <chat/utf8.hpp>

#include <yaml.h>

#include <algorithm>
#include <iterator>
#include <optional>
#include <string>
#include <unordered_map>
#include <unordered_set>
#include <vector>

namespace chat::schema {
namespace {

// Nodes that aliases may add on top of the ones written in the file: generous for real reuse
// (answer lists shared by many questions), small enough that an alias bomb stops early.
constexpr std::size_t k_alias_node_allowance = 1'000'000;

struct Failure {
    Position position;
    std::string message;
};

// libyaml's marks count characters, and its lines also end at U+0085, U+2028, U+2029 and a
// bare CR; diagnostics count lines by line feeds (as SourceText does) and need byte offsets.
// So only the mark's character index is used: a cursor advances along the text from it, with
// checkpoints to go back to (marks arrive almost always in file order).
class MarkConverter {
public:
    explicit MarkConverter(std::string_view text) : m_text(text) {
        if (text.starts_with("\xEF\xBB\xBF")) {
            m_cursor.byte = 3;  // libyaml skips a byte order mark without counting it
        }
        m_checkpoints.push_back(m_cursor);
    }

    Position position(const yaml_mark_t& mark) {
        if (mark.index < m_cursor.char_index) {
            rewind_to(mark.index);
        }
        while (m_cursor.char_index < mark.index && m_cursor.byte < m_text.size()) {
            step();
        }
        return Position{m_cursor.line, m_cursor.column, m_cursor.byte};
    }

private:
    static constexpr std::size_t k_checkpoint_every = 4096;  // characters

    struct Cursor {
        std::size_t char_index = 0;
        std::size_t byte = 0;
        std::uint32_t line = 1;
        std::uint32_t column = 1;
    };

    void step() {
        char c = m_text[m_cursor.byte];
        std::size_t length = utf8_sequence_length(m_text, m_cursor.byte);
        m_cursor.byte += length == 0 ? 1 : length;
        ++m_cursor.char_index;
        if (c == '\n') {
            ++m_cursor.line;
            m_cursor.column = 1;
        } else {
            ++m_cursor.column;
        }
        if (m_cursor.char_index % k_checkpoint_every == 0 &&
            m_cursor.char_index > m_checkpoints.back().char_index) {
            m_checkpoints.push_back(m_cursor);
        }
    }

    void rewind_to(std::size_t char_index) {
        auto after = std::upper_bound(
            m_checkpoints.begin(), m_checkpoints.end(), char_index,
            [](std::size_t index, const Cursor& cursor) { return index < cursor.char_index; });
        m_cursor = *std::prev(after);  // the first checkpoint is at index 0
    }

    std::string_view m_text;
    Cursor m_cursor;
    std::vector<Cursor> m_checkpoints;
};

struct Extent {
    std::size_t nodes = 0;
    std::size_t height = 0;  // 1 for a scalar
};

// Recursion is safe here: every tree this reader builds is at most k_max_nesting deep, aliases
// included (on_alias checks the height of what it copies).
Extent extent_of(const Node& node) {
    Extent extent{1, 0};
    auto add = [&extent](const Node& child) {
        Extent inner = extent_of(child);
        extent.nodes += inner.nodes;
        extent.height = std::max(extent.height, inner.height);
    };
    for (const auto& item : node.items) {
        add(item);
    }
    for (const auto& [key, value] : node.entries) {
        add(key);
        add(value);
    }
    ++extent.height;
    return extent;
}

std::string text_of(const yaml_char_t* text) {
    return text ? std::string(reinterpret_cast<const char*>(text)) : std::string();
}

// Owns libyaml's parser and the current event, so every path frees them.
class EventReader {
public:
    explicit EventReader(std::string_view text) : m_text(text), m_marks(text) {
        yaml_parser_initialize(&m_parser);
        yaml_parser_set_input_string(&m_parser, reinterpret_cast<const unsigned char*>(text.data()),
                                     text.size());
    }
    ~EventReader() {
        release();
        yaml_parser_delete(&m_parser);
    }
    EventReader(const EventReader&) = delete;
    EventReader& operator=(const EventReader&) = delete;

    Position position(const yaml_mark_t& mark) { return m_marks.position(mark); }

    /// The next event; throws Failure on a syntax error.
    const yaml_event_t& next() {
        release();
        if (!yaml_parser_parse(&m_parser, &m_event)) {
            throw failure();
        }
        m_has_event = true;
        return m_event;
    }

private:
    void release() {
        if (m_has_event) {
            yaml_event_delete(&m_event);
            m_has_event = false;
        }
    }

    // libyaml's "found character that cannot start any token" does not say what is wrong.
    static constexpr const char* k_tab_message =
        "a tab character; YAML indentation must use spaces";

    bool is_tab_at(std::size_t offset) const {
        return offset < m_text.size() && m_text[offset] == '\t';
    }

    Failure failure() {
        // The reader (control characters and the like) gives a byte offset, not a mark.
        if (m_parser.error == YAML_READER_ERROR) {
            return {position_at(m_text, m_parser.problem_offset), problem()};
        }
        Position where = position(m_parser.problem_mark);
        if (is_tab_at(where.offset)) {
            return {where, k_tab_message};
        }
        // At the end of the file the problem is what was left open: point at its start.
        bool is_at_end = where.offset >= m_text.size();
        if (is_at_end && m_parser.context) {
            if (auto unclosed = unclosed_name(m_parser.context)) {
                return {position(m_parser.context_mark),
                        std::string(*unclosed) + " is not closed before the end of the file"};
            }
            if (std::string_view(m_parser.context) == "while scanning a simple key") {
                return {position(m_parser.context_mark),
                        "this key has no ':' before the end of the file"};
            }
        }
        return {where, problem()};
    }

    static std::optional<std::string_view> unclosed_name(std::string_view context) {
        if (context == "while scanning a quoted scalar") {
            return "this quoted text";
        }
        if (context == "while parsing a flow mapping") {
            return "this '{'";
        }
        if (context == "while parsing a flow sequence") {
            return "this '['";
        }
        return std::nullopt;
    }

    std::string problem() const {
        std::string message = m_parser.problem ? m_parser.problem : "unreadable YAML";
        if (m_parser.context) {
            message += std::string(" ") + m_parser.context;
        }
        return message;
    }

    std::string_view m_text;
    MarkConverter m_marks;
    yaml_parser_t m_parser{};
    yaml_event_t m_event{};
    bool m_has_event = false;
};

// Builds the tree from parser events. Containers under construction live on an explicit stack.
class TreeBuilder {
public:
    explicit TreeBuilder(std::string_view text) : m_reader(text) {}

    Node build() {
        int documents = 0;
        for (;;) {
            const yaml_event_t& event = m_reader.next();
            switch (event.type) {
                case YAML_STREAM_END_EVENT:
                    return finish(documents);
                case YAML_DOCUMENT_START_EVENT:
                    if (++documents > 1) {
                        throw Failure{m_reader.position(event.start_mark),
                                      "a schema file holds one YAML document, found a second"};
                    }
                    break;
                case YAML_SCALAR_EVENT:
                    on_scalar(event);
                    break;
                case YAML_ALIAS_EVENT:
                    on_alias(event);
                    break;
                case YAML_SEQUENCE_START_EVENT:
                    open(NodeKind::sequence, event, event.data.sequence_start.anchor);
                    break;
                case YAML_MAPPING_START_EVENT:
                    open(NodeKind::mapping, event, event.data.mapping_start.anchor);
                    break;
                case YAML_SEQUENCE_END_EVENT:
                case YAML_MAPPING_END_EVENT:
                    close();
                    break;
                default:
                    break;
            }
        }
    }

private:
    struct Frame {
        Node node;
        std::string anchor;
        std::optional<Node> pending_key;
        std::unordered_set<std::string> keys;
    };

    Node finish(int documents) {
        if (documents == 0 || !m_root) {
            throw Failure{Position{1, 1, 0}, "the file is empty"};
        }
        return std::move(*m_root);
    }

    void on_scalar(const yaml_event_t& event) {
        const auto& scalar = event.data.scalar;
        Node node;
        node.kind = NodeKind::scalar;
        node.text.assign(reinterpret_cast<const char*>(scalar.value), scalar.length);
        // Quoted and block scalars, and explicit !!str, are text whatever they look like.
        node.is_quoted = scalar.style != YAML_PLAIN_SCALAR_STYLE ||
                         text_of(scalar.tag) == "tag:yaml.org,2002:str";
        node.position = m_reader.position(event.start_mark);
        complete(std::move(node), text_of(scalar.anchor));
    }

    void on_alias(const yaml_event_t& event) {
        auto anchor = m_anchors.find(text_of(event.data.alias.anchor));
        if (anchor == m_anchors.end()) {
            throw Failure{m_reader.position(event.start_mark), "alias refers to an unknown anchor"};
        }
        const auto& [target, extent] = anchor->second;
        // A scalar adds no level; a collection of height h adds h - 1 below its place.
        if (m_stack.size() + extent.height > static_cast<std::size_t>(k_max_nesting) + 1) {
            throw Failure{m_reader.position(event.start_mark), "nesting deeper than " +
                                                                   std::to_string(k_max_nesting) +
                                                                   " levels (through this alias)"};
        }
        m_alias_nodes += extent.nodes;
        if (m_alias_nodes > k_alias_node_allowance) {
            throw Failure{m_reader.position(event.start_mark),
                          "aliases expand to too many nodes (more than " +
                              std::to_string(k_alias_node_allowance) + " added)"};
        }
        Node copy = target;
        copy.position = m_reader.position(event.start_mark);
        complete(std::move(copy), {});
    }

    void open(NodeKind kind, const yaml_event_t& event, const yaml_char_t* anchor) {
        if (m_stack.size() >= static_cast<std::size_t>(k_max_nesting)) {
            throw Failure{m_reader.position(event.start_mark),
                          "nesting deeper than " + std::to_string(k_max_nesting) + " levels"};
        }
        Frame frame;
        frame.node.kind = kind;
        frame.node.position = m_reader.position(event.start_mark);
        frame.anchor = text_of(anchor);
        m_stack.push_back(std::move(frame));
    }

    void close() {
        Frame frame = std::move(m_stack.back());
        m_stack.pop_back();
        // Growth leaves up to half of a vector unused; big files have millions of them.
        frame.node.items.shrink_to_fit();
        frame.node.entries.shrink_to_fit();
        complete(std::move(frame.node), frame.anchor);
    }

    void complete(Node node, const std::string& anchor) {
        if (!anchor.empty()) {
            Extent extent = extent_of(node);
            m_anchors.insert_or_assign(anchor, std::pair(node, extent));
        }
        if (m_stack.empty()) {
            m_root = std::move(node);
            return;
        }
        Frame& parent = m_stack.back();
        if (parent.node.kind == NodeKind::sequence) {
            parent.node.items.push_back(std::move(node));
        } else if (!parent.pending_key) {
            add_key(parent, std::move(node));
        } else {
            parent.node.entries.emplace_back(std::move(*parent.pending_key), std::move(node));
            parent.pending_key.reset();
        }
    }

    static void add_key(Frame& parent, Node key) {
        if (key.kind != NodeKind::scalar) {
            throw Failure{key.position, "mapping keys must be plain text"};
        }
        if (!parent.keys.insert(key.text).second) {
            throw Failure{key.position, "duplicate key '" + key.text + "'"};
        }
        parent.pending_key = std::move(key);
    }

    std::vector<Frame> m_stack;
    std::unordered_map<std::string, std::pair<Node, Extent>> m_anchors;
    EventReader m_reader;
    std::optional<Node> m_root;
    std::size_t m_alias_nodes = 0;
};

}  // namespace

std::variant<Node, ParseFailure> parse_yaml(std::string_view text) {
    try {
        return TreeBuilder(text).build();
    } catch (const Failure& failure) {
        return ParseFailure{failure.position, failure.message};
    }
}

}  // namespace chat::schema
