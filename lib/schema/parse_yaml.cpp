#include "schema/parse_yaml.hpp"

#include <chat/utf8.hpp>

#include <yaml.h>

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

// libyaml's marks count characters (index and column); positions also need the byte offset.
// Marks arrive almost always in file order, so a cursor advances along the text instead of
// walking each line from its start (which would be quadratic on a one-line file).
class MarkConverter {
public:
    explicit MarkConverter(std::string_view text) : m_text(text) {}

    Position position(const yaml_mark_t& mark) {
        auto line = static_cast<std::uint32_t>(mark.line + 1);
        auto column = static_cast<std::uint32_t>(mark.column + 1);
        bool can_continue = mark.line == m_line && mark.index >= m_char_index;
        if (!can_continue) {
            restart_at_line(mark);
        }
        while (m_char_index < mark.index && m_byte < m_text.size()) {
            std::size_t length = utf8_sequence_length(m_text, m_byte);
            m_byte += length == 0 ? 1 : length;
            ++m_char_index;
        }
        return Position{line, column, m_byte};
    }

private:
    // The line's first byte is found by counting line feeds once, from the last known line.
    void restart_at_line(const yaml_mark_t& mark) {
        if (mark.line < m_line) {
            m_line = 0;
            m_line_byte = 0;
        }
        while (m_line < mark.line && m_line_byte < m_text.size()) {
            auto newline = m_text.find('\n', m_line_byte);
            m_line_byte = newline == std::string_view::npos ? m_text.size() : newline + 1;
            ++m_line;
        }
        m_byte = m_line_byte;
        m_char_index = mark.index - mark.column;
    }

    std::string_view m_text;
    std::size_t m_line = 0;       // 0-based line of m_line_byte
    std::size_t m_line_byte = 0;  // first byte of that line
    std::size_t m_byte = 0;
    std::size_t m_char_index = 0;  // libyaml's index of the character at m_byte
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
