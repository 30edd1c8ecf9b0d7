#include "schema/yaml_emitter.hpp"

#include "schema/node_reader.hpp"

#include <yaml.h>

#include <algorithm>
#include <climits>
#include <new>
#include <stdexcept>
#include <vector>

namespace chat::schema {
namespace {

using Json = nlohmann::ordered_json;

// Called by libyaml, across C code: nothing may be thrown from here.
int append_to_string(void* data, unsigned char* buffer, std::size_t size) {
    try {
        static_cast<std::string*>(data)->append(reinterpret_cast<const char*>(buffer), size);
        return 1;
    } catch (const std::bad_alloc&) {
        return 0;
    }
}

// The bytes of the line break `text` ends with (as YAML counts them), or 0.
std::size_t trailing_break_length(std::string_view text) {
    for (std::string_view line_break : {"\n", "\r", "\xC2\x85", "\xE2\x80\xA8", "\xE2\x80\xA9"}) {
        if (text.ends_with(line_break)) {
            return line_break.size();
        }
    }
    return 0;
}

// A literal block keeps such a text only with "keep" chomping (`|+`), after which libyaml ends
// the document with an explicit "..." line; a double-quoted text reads better.
bool ends_with_blank_line(std::string_view text) {
    std::size_t last = trailing_break_length(text);
    if (last == 0) {
        return false;
    }
    text.remove_suffix(last);
    return text.empty() || trailing_break_length(text) > 0;
}

const yaml_char_t* as_yaml_chars(std::string_view text) {
    return reinterpret_cast<const yaml_char_t*>(text.data());
}

bool is_scalar_sequence(const Json& node) {
    return node.is_array() && !node.empty() &&
           std::none_of(node.begin(), node.end(),
                        [](const Json& item) { return item.is_structured(); });
}

// libyaml falls back from the style asked for when the text does not allow it (plain to single-
// or double-quoted; literal to double-quoted in flow collections and keys), so only what it
// cannot know is decided here: the loader's typing of plain scalars, and line breaks.
yaml_scalar_style_t string_style(std::string_view text) {
    if (needs_quotes(text)) {
        return YAML_DOUBLE_QUOTED_SCALAR_STYLE;
    }
    if (text.find('\n') == std::string_view::npos) {
        return YAML_PLAIN_SCALAR_STYLE;
    }
    // Single quotes would fold the lines into a block that is hard to read.
    return ends_with_blank_line(text) ? YAML_DOUBLE_QUOTED_SCALAR_STYLE : YAML_LITERAL_SCALAR_STYLE;
}

// Owns libyaml's emitter; every event goes through emit(), which checks the result.
class Emitter {
public:
    explicit Emitter(std::string& output) {
        if (!yaml_emitter_initialize(&m_emitter)) {
            throw std::runtime_error("cannot write YAML: out of memory");
        }
        yaml_emitter_set_output(&m_emitter, append_to_string, &output);
        yaml_emitter_set_unicode(&m_emitter, 1);
        yaml_emitter_set_width(&m_emitter, -1);  // never fold long texts over several lines
        yaml_emitter_set_indent(&m_emitter, 2);
    }
    ~Emitter() { yaml_emitter_delete(&m_emitter); }
    Emitter(const Emitter&) = delete;
    Emitter& operator=(const Emitter&) = delete;

    void begin_document() {
        yaml_event_t event;
        check_initialized(yaml_stream_start_event_initialize(&event, YAML_UTF8_ENCODING));
        emit(event);
        check_initialized(
            yaml_document_start_event_initialize(&event, nullptr, nullptr, nullptr, 1));
        emit(event);
    }

    void end_document() {
        yaml_event_t event;
        check_initialized(yaml_document_end_event_initialize(&event, 1));
        emit(event);
        check_initialized(yaml_stream_end_event_initialize(&event));
        emit(event);
        if (!yaml_emitter_flush(&m_emitter)) {
            throw failure();
        }
    }

    void begin_container(const Json& node) {
        yaml_event_t event;
        if (node.is_object()) {
            check_initialized(yaml_mapping_start_event_initialize(&event, nullptr, nullptr, 1,
                                                                  YAML_BLOCK_MAPPING_STYLE));
        } else {
            auto style =
                is_scalar_sequence(node) ? YAML_FLOW_SEQUENCE_STYLE : YAML_BLOCK_SEQUENCE_STYLE;
            check_initialized(
                yaml_sequence_start_event_initialize(&event, nullptr, nullptr, 1, style));
        }
        emit(event);
    }

    void end_container(const Json& node) {
        yaml_event_t event;
        check_initialized(node.is_object() ? yaml_mapping_end_event_initialize(&event)
                                           : yaml_sequence_end_event_initialize(&event));
        emit(event);
    }

    void string(std::string_view text) { scalar(text, string_style(text)); }

    void non_string(const Json& node) {
        scalar(node.dump(), YAML_PLAIN_SCALAR_STYLE);  // null, true, 5, 2.5, 1e+300
    }

private:
    void scalar(std::string_view text, yaml_scalar_style_t style) {
        if (text.size() > static_cast<std::size_t>(INT_MAX)) {
            throw std::runtime_error("cannot write YAML: a text is too long");
        }
        yaml_event_t event;
        check_initialized(yaml_scalar_event_initialize(&event, nullptr, nullptr,
                                                       as_yaml_chars(text),
                                                       static_cast<int>(text.size()), 1, 1, style));
        emit(event);
    }

    // libyaml frees the event's content whether or not emitting succeeds.
    void emit(yaml_event_t& event) {
        if (!yaml_emitter_emit(&m_emitter, &event)) {
            throw failure();
        }
    }

    static void check_initialized(int result) {
        if (!result) {
            throw std::runtime_error("cannot write YAML: out of memory");
        }
    }

    std::runtime_error failure() const {
        std::string problem = m_emitter.problem ? m_emitter.problem : "the emitter failed";
        return std::runtime_error("cannot write YAML: " + problem);
    }

    yaml_emitter_t m_emitter{};
};

// One open collection of the walk and the next of its elements to write.
struct Frame {
    const Json* node;
    Json::const_iterator next;
};

void write_value(Emitter& emitter, const Json& node, std::vector<Frame>& stack) {
    if (node.is_string()) {
        emitter.string(node.get_ref<const std::string&>());
    } else if (!node.is_structured()) {
        emitter.non_string(node);
    } else {
        emitter.begin_container(node);
        stack.push_back({&node, node.begin()});
    }
}

// An explicit stack, so that a deeply nested meta value cannot exhaust the call stack.
void write_tree(Emitter& emitter, const Json& root) {
    std::vector<Frame> stack;
    write_value(emitter, root, stack);
    while (!stack.empty()) {
        Frame& top = stack.back();
        if (top.next == top.node->end()) {
            emitter.end_container(*top.node);
            stack.pop_back();
            continue;
        }
        auto item = top.next++;
        if (top.node->is_object()) {
            emitter.string(item.key());
        }
        write_value(emitter, item.value(), stack);  // may grow the stack: `top` is stale now
    }
}

}  // namespace

bool needs_quotes(std::string_view text) {
    Node node;
    node.kind = NodeKind::scalar;
    node.text = std::string(text);
    if (classify(node) != ScalarKind::text) {
        return true;
    }
    // Texts that YAML 1.1 readers (PyYAML, many editors' tools) take for booleans: quoted, so
    // that an exported file means the same to them as to chatctl.
    static constexpr std::string_view k_yaml11_booleans[] = {"y",  "Y",   "yes", "Yes", "YES", "n",
                                                             "N",  "no",  "No",  "NO",  "on",  "On",
                                                             "ON", "off", "Off", "OFF"};
    return std::find(std::begin(k_yaml11_booleans), std::end(k_yaml11_booleans), text) !=
           std::end(k_yaml11_booleans);
}

std::string write_yaml(const nlohmann::ordered_json& document) {
    std::string output;
    {
        Emitter emitter(output);
        emitter.begin_document();
        write_tree(emitter, document);
        emitter.end_document();
    }
    return output;
}

}  // namespace chat::schema
