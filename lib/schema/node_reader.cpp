#include "schema/node_reader.hpp"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <vector>

namespace chat::schema {
namespace {

bool is_null_literal(std::string_view text) {
    return text.empty() || text == "~" || text == "null" || text == "Null" || text == "NULL";
}

bool is_bool_literal(std::string_view text, bool& value) {
    if (text == "true" || text == "True" || text == "TRUE") {
        value = true;
        return true;
    }
    if (text == "false" || text == "False" || text == "FALSE") {
        value = false;
        return true;
    }
    return false;
}

bool is_integer_literal(std::string_view text) {
    std::size_t start = (!text.empty() && (text[0] == '-' || text[0] == '+')) ? 1 : 0;
    return text.size() > start &&
           std::all_of(text.begin() + static_cast<std::ptrdiff_t>(start), text.end(),
                       [](char c) { return c >= '0' && c <= '9'; });
}

// YAML 1.2 core float: [-+]? ( \. [0-9]+ | [0-9]+ ( \. [0-9]* )? ) ( [eE] [-+]? [0-9]+ )?
bool is_float_literal(std::string_view text) {
    std::size_t i = 0;
    auto digits = [&] {
        std::size_t from = i;
        while (i < text.size() && text[i] >= '0' && text[i] <= '9') {
            ++i;
        }
        return i - from;
    };
    if (i < text.size() && (text[i] == '-' || text[i] == '+')) {
        ++i;
    }
    std::size_t mantissa = digits();
    if (i < text.size() && text[i] == '.') {
        ++i;
        mantissa += digits();
    }
    if (mantissa == 0) {
        return false;
    }
    if (i < text.size() && (text[i] == 'e' || text[i] == 'E')) {
        ++i;
        if (i < text.size() && (text[i] == '-' || text[i] == '+')) {
            ++i;
        }
        if (digits() == 0) {
            return false;
        }
    }
    return i == text.size();
}

std::optional<std::int64_t> parse_integer(std::string_view text) {
    if (!text.empty() && text[0] == '+') {
        text.remove_prefix(1);
    }
    std::int64_t value = 0;
    auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
    if (error != std::errc() || end != text.data() + text.size()) {
        return std::nullopt;
    }
    return value;
}

std::optional<double> parse_double(std::string_view text) {
    if (!text.empty() && text[0] == '+') {
        text.remove_prefix(1);
    }
    double value = 0;
    auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
    if (error != std::errc() || end != text.data() + text.size() || !std::isfinite(value)) {
        return std::nullopt;
    }
    return value;
}

}  // namespace

std::string join(const std::vector<std::string>& words, std::string_view prefix) {
    std::string result;
    for (const auto& word : words) {
        result += (result.empty() ? "" : ", ") + std::string(prefix) + word;
    }
    return result;
}

std::string excerpt(std::string_view text, std::size_t max_bytes) {
    if (text.size() <= max_bytes) {
        return std::string(text);
    }
    std::size_t end = max_bytes;
    while (end > 0 && (static_cast<unsigned char>(text[end]) & 0xC0U) == 0x80U) {
        --end;  // never cut a UTF-8 sequence in two
    }
    return std::string(text.substr(0, end)) + "...";
}

ScalarKind classify(const Node& node) {
    if (node.kind == NodeKind::null) {
        return ScalarKind::null;
    }
    if (node.kind != NodeKind::scalar || node.is_quoted) {
        return ScalarKind::text;
    }
    bool ignored = false;
    if (is_null_literal(node.text)) {
        return ScalarKind::null;
    }
    if (is_bool_literal(node.text, ignored)) {
        return ScalarKind::boolean;
    }
    if (is_integer_literal(node.text)) {
        return ScalarKind::integer;
    }
    if (is_float_literal(node.text)) {
        return ScalarKind::number;
    }
    return ScalarKind::text;
}

std::string describe(const Node& node) {
    switch (node.kind) {
        case NodeKind::null:
            return "null";
        case NodeKind::sequence:
            return "a list";
        case NodeKind::mapping:
            return "a mapping";
        case NodeKind::scalar:
            break;
    }
    switch (classify(node)) {
        case ScalarKind::null:
            return "null";
        case ScalarKind::boolean:
            return "boolean " + node.text;
        case ScalarKind::integer:
            return "integer " + node.text;
        case ScalarKind::number:
            return "number " + node.text;
        case ScalarKind::text:
            break;
    }
    return "text \"" + excerpt(node.text, 40) + "\"";
}

nlohmann::json to_json(const Node& node) {
    switch (node.kind) {
        case NodeKind::null:
            return nullptr;
        case NodeKind::sequence: {
            auto array = nlohmann::json::array();
            for (const auto& item : node.items) {
                array.push_back(to_json(item));  // depth is bounded by k_max_nesting
            }
            return array;
        }
        case NodeKind::mapping: {
            auto object = nlohmann::json::object();
            for (const auto& [key, value] : node.entries) {
                object[key.text] = to_json(value);
            }
            return object;
        }
        case NodeKind::scalar:
            break;
    }
    bool flag = false;
    switch (classify(node)) {
        case ScalarKind::null:
            return nullptr;
        case ScalarKind::boolean:
            is_bool_literal(node.text, flag);
            return flag;
        case ScalarKind::integer:
            if (auto value = parse_integer(node.text)) {
                return *value;
            }
            break;
        case ScalarKind::number:
            if (auto value = parse_double(node.text)) {
                return *value;
            }
            break;
        case ScalarKind::text:
            break;
    }
    return node.text;
}

bool expect_mapping(const Node& node, std::string_view what, Reporter& reporter) {
    if (node.kind == NodeKind::mapping) {
        return true;
    }
    reporter.error(loc_of(node), "wrong-type",
                   std::string(what) + " must be a mapping, found " + describe(node));
    return false;
}

MappingReader::MappingReader(const Node& mapping, std::string_view what,
                             std::span<const std::string_view> allowed_keys, Reporter& reporter)
    : m_mapping(mapping), m_what(what), m_reporter(reporter) {
    for (const auto& [key, value] : mapping.entries) {
        if (std::find(allowed_keys.begin(), allowed_keys.end(), key.text) != allowed_keys.end()) {
            continue;
        }
        std::string message = "unknown key '" + key.text + "' in " + std::string(what);
        if (auto suggestion = nearest_word(key.text, allowed_keys)) {
            message += "; did you mean '" + std::string(*suggestion) + "'?";
        }
        reporter.error(loc_of(key), "unknown-key", std::move(message));
    }
}

const Node* MappingReader::find(std::string_view key) const {
    for (const auto& [name, value] : m_mapping.entries) {
        if (name.text == key) {
            return classify(value) == ScalarKind::null ? nullptr : &value;
        }
    }
    return nullptr;
}

SourceLoc MappingReader::loc_of_key(std::string_view key) const {
    for (const auto& [name, value] : m_mapping.entries) {
        if (name.text == key) {
            return loc_of(name);
        }
    }
    return loc_of(m_mapping);
}

const Node* MappingReader::require(std::string_view key) const {
    const Node* value = find(key);
    if (value) {
        return value;
    }
    // Written but empty ("name:" or "name: null"): point at the key, not the whole mapping.
    bool is_written =
        std::any_of(m_mapping.entries.begin(), m_mapping.entries.end(),
                    [key](const MappingEntry& entry) { return entry.key.text == key; });
    m_reporter.error(is_written ? loc_of_key(key) : loc_of(m_mapping), "missing-field",
                     std::string(m_what) + " has no '" + std::string(key) + "'" +
                         (is_written ? " (its value is empty)" : ""));
    return nullptr;
}

void MappingReader::report_wrong_type(std::string_view key, const Node& value,
                                      std::string_view expected) const {
    m_reporter.error(
        loc_of(value), "wrong-type",
        std::string(key) + " must be " + std::string(expected) + ", found " + describe(value));
}

std::optional<std::int64_t> MappingReader::integer(std::string_view key, bool required) const {
    const Node* value = required ? require(key) : find(key);
    if (!value) {
        return std::nullopt;
    }
    if (classify(*value) != ScalarKind::integer) {
        report_wrong_type(key, *value, "an integer");
        return std::nullopt;
    }
    auto parsed = parse_integer(value->text);
    if (!parsed) {
        m_reporter.error(loc_of(*value), "invalid-value",
                         std::string(key) + " " + value->text + " is out of range");
    }
    return parsed;
}

std::optional<double> MappingReader::number(std::string_view key) const {
    const Node* value = find(key);
    if (!value) {
        return std::nullopt;
    }
    auto kind = classify(*value);
    if (kind != ScalarKind::integer && kind != ScalarKind::number) {
        report_wrong_type(key, *value, "a number");
        return std::nullopt;
    }
    auto parsed = parse_double(value->text);
    if (!parsed) {
        m_reporter.error(loc_of(*value), "invalid-value",
                         std::string(key) + " " + value->text + " is out of range");
    }
    return parsed;
}

std::optional<bool> MappingReader::boolean(std::string_view key) const {
    const Node* value = find(key);
    if (!value) {
        return std::nullopt;
    }
    bool flag = false;
    if (classify(*value) != ScalarKind::boolean || !is_bool_literal(value->text, flag)) {
        report_wrong_type(key, *value, "true or false");
        return std::nullopt;
    }
    return flag;
}

std::optional<std::string> MappingReader::text(std::string_view key, bool required) const {
    const Node* value = required ? require(key) : find(key);
    if (!value) {
        return std::nullopt;
    }
    if (value->kind != NodeKind::scalar) {
        report_wrong_type(key, *value, "text");
        return std::nullopt;
    }
    return value->text;
}

const Node* MappingReader::sequence(std::string_view key, bool required) const {
    const Node* value = required ? require(key) : find(key);
    if (!value) {
        return nullptr;
    }
    if (value->kind != NodeKind::sequence) {
        report_wrong_type(key, *value, "a list");
        return nullptr;
    }
    return value;
}

}  // namespace chat::schema
