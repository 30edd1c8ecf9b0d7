#include <chat/config.hpp>

#include "schema/node_reader.hpp"
#include "schema/read_document.hpp"
#include "schema/reporter.hpp"
#include "schema/text_position.hpp"

#include <chat/schema.hpp>
#include <chat/spelling.hpp>

#include <algorithm>
#include <array>
#include <cctype>
#include <charconv>
#include <span>
#include <utility>

namespace chat {
namespace {

using schema::classify;
using schema::describe;
using schema::expect_mapping;
using schema::join;
using schema::loc_of;
using schema::MappingReader;
using schema::Node;
using schema::NodeKind;
using schema::Reporter;
using schema::ScalarKind;

static_assert(k_all_permissions == (std::uint32_t{1} << k_permission_names.size()) - 1);
static_assert(k_all_notifications == (std::uint32_t{1} << k_notification_names.size()) - 1);

constexpr std::array<std::string_view, 10> k_config_keys = {"schema_types",
                                                            "thread_types",
                                                            "default_thread_type",
                                                            "survey_schema_types",
                                                            "allow_edit_published_schemas",
                                                            "permissions",
                                                            "notifications_default",
                                                            "message_visibility",
                                                            "ws_subscribe_roles",
                                                            "attachments"};
constexpr std::array<std::string_view, 2> k_permissions_keys = {"member_default",
                                                                "creator_default"};
constexpr std::array<std::string_view, 2> k_visibility_keys = {"types", "visible_to_roles"};
constexpr std::array<std::string_view, 2> k_attachments_keys = {"image_extensions", "custom"};
constexpr std::array<std::string_view, 2> k_custom_type_keys = {"required", "extensions"};
constexpr std::array<std::string_view, 3> k_builtin_attachment_types = {"image", "youtube",
                                                                        "object_reference"};
// The fields of an attachment template (SPEC §2) that a custom type may require.
constexpr std::array<std::string_view, 6> k_attachment_fields = {
    "title", "description", "url", "options", "thumbnail", "object"};

enum class Emptiness { allowed, rejected };

std::string join_names(std::span<const std::string_view> names) {
    std::string result;
    for (auto name : names) {
        result += (result.empty() ? "" : ", ") + std::string(name);
    }
    return result;
}

bool contains(const std::vector<std::string>& names, std::string_view name) {
    return std::find(names.begin(), names.end(), name) != names.end();
}

std::string lower(std::string_view text) {
    std::string result(text);
    std::transform(result.begin(), result.end(), result.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    return result;
}

// "; did you mean 'x'?" when `word` looks like a typo of a candidate. Built-in names are all
// lower case, so "THREAD_READ" is matched case-blind as a second try.
std::string did_you_mean(std::string_view word, std::span<const std::string_view> candidates) {
    auto nearest = nearest_word(word, candidates);
    if (!nearest) {
        nearest = nearest_word(lower(word), candidates);
    }
    return nearest ? "; did you mean '" + std::string(*nearest) + "'?" : "";
}

std::string did_you_mean(std::string_view word, const std::vector<std::string>& candidates) {
    std::vector<std::string_view> views(candidates.begin(), candidates.end());
    return did_you_mean(word, views);
}

// Extensions are compared with the lower-cased text after a url's last dot (check_attachments):
// ".PNG" is accepted as "png" rather than rejected, since its meaning is clear and a leading dot
// is a common way to write an extension. Duplicates are found after this, so "png" and ".png"
// are reported as one listed twice.
std::string normalize_extension(std::string_view text) {
    if (text.starts_with('.')) {
        text.remove_prefix(1);
    }
    return lower(text);
}

// An extension holding one of these can never equal the text after a url's last dot.
bool can_match_url(std::string_view extension) {
    return extension.find_first_of("./?#") == std::string_view::npos;
}

// libyaml finds no document in blanks and comments; for a configuration that is "all
// defaults", not a syntax error.
bool is_blank_yaml(std::string_view text) {
    if (text.starts_with("\xEF\xBB\xBF")) {
        text.remove_prefix(3);
    }
    std::size_t start = 0;
    while (start < text.size()) {
        std::size_t end = std::min(text.find('\n', start), text.size());
        std::string_view line = text.substr(start, end - start);
        std::size_t first = line.find_first_not_of(" \t\r");
        if (first != std::string_view::npos && line[first] != '#') {
            return false;
        }
        start = end + 1;
    }
    return true;
}

// The document tree, a null node for a blank text, or nothing after a reported problem.
std::optional<Node> parse_config(std::string_view text, Reporter& reporter) {
    bool is_readable = text.size() <= schema::k_max_file_bytes && !schema::find_invalid_utf8(text);
    if (is_readable && is_blank_yaml(text)) {
        return Node{};
    }
    return schema::read_document(text, schema::FileFormat::yaml, reporter);
}

// A list of names as read, each with its location for checks that point at one item.
struct NameList {
    const Node* list = nullptr;  // nullptr: not written, the default holds
    bool is_broken = false;      // a problem was reported: later checks stay quiet about it
    std::vector<std::string> names;
    std::vector<SourceLoc> locs;

    bool is_read() const { return list && !is_broken; }
    void apply_to(std::vector<std::string>& target) const {
        if (is_read()) {
            target = names;
        }
    }
};

class ConfigReader {
public:
    explicit ConfigReader(Reporter& reporter) : m_reporter(reporter) {}

    Config read(const Node& root) {
        Config config;
        if (classify(root) == ScalarKind::null ||
            !expect_mapping(root, "the configuration", m_reporter)) {
            return config;
        }
        MappingReader reader(root, "the configuration", k_config_keys, m_reporter);
        read_types(reader, config);
        config.allow_edit_published_schemas =
            reader.boolean("allow_edit_published_schemas").value_or(false);
        read_permissions(reader.find("permissions"), config.permissions);
        if (const Node* value = reader.find("notifications_default")) {
            config.notifications_default =
                read_bits(*value, "notifications_default", k_notification_names, "notification")
                    .value_or(config.notifications_default);
        }
        config.message_visibility = read_visibility_rules(reader.find("message_visibility"));
        read_list(reader.find("ws_subscribe_roles"), "ws_subscribe_roles", Emptiness::allowed)
            .apply_to(config.ws_subscribe_roles);
        read_attachments(reader.find("attachments"), config.attachments);
        return config;
    }

private:
    void error(SourceLoc loc, std::string_view code, std::string message,
               std::vector<DiagnosticNote> notes = {}) {
        m_reporter.error(loc, code, std::move(message), std::move(notes));
    }

    void read_types(const MappingReader& reader, Config& config) {
        NameList schema_types =
            read_list(reader.find("schema_types"), "schema_types", Emptiness::rejected);
        NameList thread_types =
            read_list(reader.find("thread_types"), "thread_types", Emptiness::rejected);
        NameList survey_types = read_list(reader.find("survey_schema_types"), "survey_schema_types",
                                          Emptiness::allowed);
        schema_types.apply_to(config.schema_types);
        thread_types.apply_to(config.thread_types);
        survey_types.apply_to(config.survey_schema_types);
        const Node* default_type = reader.find("default_thread_type");
        bool has_default_type =
            read_name(default_type, "default_thread_type", config.default_thread_type);
        if (!thread_types.is_broken && has_default_type) {
            check_default_thread_type(config, thread_types, default_type);
        }
        if (!schema_types.is_broken && !survey_types.is_broken) {
            check_survey_schema_types(config, schema_types, survey_types);
        }
    }

    // Returns false when a problem was reported.
    bool read_name(const Node* value, std::string_view path, std::string& target) {
        if (!value) {
            return true;
        }
        if (value->kind != NodeKind::scalar) {
            error(loc_of(*value), "wrong-type",
                  std::string(path) + " must be text, found " + describe(*value));
            return false;
        }
        if (value->text.empty()) {
            error(loc_of(*value), "invalid-value", std::string(path) + " must not be empty");
            return false;
        }
        target = value->text;
        return true;
    }

    void check_default_thread_type(const Config& config, const NameList& thread_types,
                                   const Node* default_type) {
        const std::string& name = config.default_thread_type;
        if (contains(config.thread_types, name)) {
            return;
        }
        if (default_type) {
            error(loc_of(*default_type), "invalid-value",
                  "default_thread_type '" + name + "' is not among thread_types (" +
                      join(config.thread_types) + ")" + did_you_mean(name, config.thread_types));
            return;
        }
        error(loc_of(*thread_types.list), "invalid-value",
              "thread_types does not include '" + name +
                  "', the default of default_thread_type; add it or set default_thread_type");
    }

    void check_survey_schema_types(const Config& config, const NameList& schema_types,
                                   const NameList& survey_types) {
        if (!survey_types.list) {
            if (!schema_types.list) {
                return;  // both defaults: consistent
            }
            for (const auto& name : config.survey_schema_types) {
                if (!contains(config.schema_types, name)) {
                    error(loc_of(*schema_types.list), "invalid-value",
                          "schema_types does not include '" + name +
                              "', a default survey schema type; add it or set "
                              "survey_schema_types");
                }
            }
            return;
        }
        for (std::size_t index = 0; index < survey_types.names.size(); ++index) {
            const std::string& name = survey_types.names[index];
            if (!contains(config.schema_types, name)) {
                error(survey_types.locs[index], "invalid-value",
                      "survey_schema_types lists '" + name +
                          "', which is not among schema_types (" + join(config.schema_types) + ")" +
                          did_you_mean(name, config.schema_types));
            }
        }
    }

    // A list of non-empty names, none twice. `normalize` rewrites each name before the
    // duplicate check (extensions).
    NameList read_list(const Node* value, std::string_view path, Emptiness emptiness,
                       std::string (*normalize)(std::string_view) = nullptr) {
        NameList list;
        list.list = value;
        if (!value) {
            return list;
        }
        if (value->kind != NodeKind::sequence) {
            error(loc_of(*value), "wrong-type",
                  std::string(path) + " must be a list, found " + describe(*value));
            list.is_broken = true;
            return list;
        }
        if (value->items.empty() && emptiness == Emptiness::rejected) {
            error(loc_of(*value), "invalid-value",
                  std::string(path) + " must list at least one name, found an empty list");
            list.is_broken = true;
        }
        for (const auto& item : value->items) {
            if (!add_name(item, path, normalize, list)) {
                list.is_broken = true;
            }
        }
        return list;
    }

    bool add_name(const Node& item, std::string_view path,
                  std::string (*normalize)(std::string_view), NameList& list) {
        if (item.kind != NodeKind::scalar || classify(item) == ScalarKind::null) {
            error(loc_of(item), "wrong-type",
                  "each item of " + std::string(path) + " must be text, found " + describe(item));
            return false;
        }
        std::string name = normalize ? normalize(item.text) : item.text;
        if (name.empty()) {
            error(loc_of(item), "invalid-value", std::string(path) + " lists an empty name");
            return false;
        }
        auto first = std::find(list.names.begin(), list.names.end(), name);
        if (first != list.names.end()) {
            SourceLoc first_loc = list.locs[static_cast<std::size_t>(first - list.names.begin())];
            error(loc_of(item), "invalid-value", std::string(path) + " lists '" + name + "' twice",
                  {{first_loc, "first listed here"}});
            return false;
        }
        list.names.push_back(std::move(name));
        list.locs.push_back(loc_of(item));
        return true;
    }

    void read_permissions(const Node* value, PermissionDefaults& permissions) {
        if (!value || !expect_mapping(*value, "permissions", m_reporter)) {
            return;
        }
        MappingReader reader(*value, "permissions", k_permissions_keys, m_reporter);
        if (const Node* member = reader.find("member_default")) {
            permissions.member_default =
                read_bits(*member, "permissions.member_default", k_permission_names, "permission")
                    .value_or(permissions.member_default);
        }
        if (const Node* creator = reader.find("creator_default")) {
            permissions.creator_default =
                read_bits(*creator, "permissions.creator_default", k_permission_names, "permission")
                    .value_or(permissions.creator_default);
        }
    }

    // A bit set written as an integer or as a list of names, name i standing for bit 1 << i.
    std::optional<std::uint32_t> read_bits(const Node& value, std::string_view path,
                                           std::span<const std::string_view> names,
                                           std::string_view noun) {
        std::uint32_t all = (std::uint32_t{1} << names.size()) - 1;
        if (value.kind == NodeKind::sequence) {
            return bits_from_names(value, path, names, noun);
        }
        if (classify(value) == ScalarKind::integer) {
            return bits_from_integer(value, path, all);
        }
        error(loc_of(value), "wrong-type",
              std::string(path) + " must be an integer 0 to " + std::to_string(all) +
                  " or a list of " + std::string(noun) + " names, found " + describe(value));
        return std::nullopt;
    }

    std::optional<std::uint32_t> bits_from_integer(const Node& value, std::string_view path,
                                                   std::uint32_t all) {
        std::string_view text = value.text;
        if (text.starts_with('+')) {
            text.remove_prefix(1);
        }
        std::int64_t number = -1;
        auto [end, problem] = std::from_chars(text.data(), text.data() + text.size(), number);
        bool is_in_range = problem == std::errc() && end == text.data() + text.size() &&
                           number >= 0 && number <= std::int64_t{all};
        if (!is_in_range) {
            error(loc_of(value), "invalid-value",
                  std::string(path) + " must be 0 to " + std::to_string(all) + ", found " +
                      value.text);
            return std::nullopt;
        }
        return static_cast<std::uint32_t>(number);
    }

    std::optional<std::uint32_t> bits_from_names(const Node& list, std::string_view path,
                                                 std::span<const std::string_view> names,
                                                 std::string_view noun) {
        NameList written = read_list(&list, path, Emptiness::allowed);
        std::uint32_t bits = 0;
        for (std::size_t index = 0; index < written.names.size(); ++index) {
            const std::string& name = written.names[index];
            auto known = std::find(names.begin(), names.end(), name);
            if (known == names.end()) {
                std::string hint = did_you_mean(name, names);
                error(written.locs[index], "invalid-value",
                      "unknown " + std::string(noun) + " '" + name + "' in " + std::string(path) +
                          (hint.empty() ? "; known: " + join_names(names) : hint));
                written.is_broken = true;
                continue;
            }
            bits |= std::uint32_t{1} << (known - names.begin());
        }
        if (written.is_broken) {
            return std::nullopt;
        }
        return bits;
    }

    std::vector<MessageVisibilityRule> read_visibility_rules(const Node* value) {
        std::vector<MessageVisibilityRule> rules;
        if (!value) {
            return rules;
        }
        if (value->kind != NodeKind::sequence) {
            error(loc_of(*value), "wrong-type",
                  "message_visibility must be a list of {types, visible_to_roles} rules, found " +
                      describe(*value));
            return rules;
        }
        // Two rules for one type would leave open whether their roles add up or narrow down.
        std::vector<std::pair<std::string, SourceLoc>> ruled_types;
        for (std::size_t index = 0; index < value->items.size(); ++index) {
            if (auto rule = read_visibility_rule(value->items[index], index, ruled_types)) {
                rules.push_back(std::move(*rule));
            }
        }
        return rules;
    }

    std::optional<MessageVisibilityRule> read_visibility_rule(
        const Node& item, std::size_t index,
        std::vector<std::pair<std::string, SourceLoc>>& ruled_types) {
        std::string what = "message_visibility rule " + std::to_string(index + 1);
        if (!expect_mapping(item, what, m_reporter)) {
            return std::nullopt;
        }
        MappingReader reader(item, what, k_visibility_keys, m_reporter);
        NameList types =
            read_list(reader.require("types"), "types in " + what, Emptiness::rejected);
        NameList roles = read_list(reader.require("visible_to_roles"),
                                   "visible_to_roles in " + what, Emptiness::rejected);
        for (std::size_t i = 0; i < types.names.size(); ++i) {
            const std::string& type = types.names[i];
            auto earlier = std::find_if(ruled_types.begin(), ruled_types.end(),
                                        [&type](const auto& entry) { return entry.first == type; });
            if (earlier != ruled_types.end()) {
                error(types.locs[i], "invalid-value",
                      "message type '" + type + "' has a visibility rule already",
                      {{earlier->second, "its first rule is here"}});
                types.is_broken = true;
                continue;
            }
            ruled_types.emplace_back(type, types.locs[i]);
        }
        if (!types.is_read() || !roles.is_read()) {
            return std::nullopt;
        }
        return MessageVisibilityRule{std::move(types.names), std::move(roles.names)};
    }

    void read_attachments(const Node* value, AttachmentSettings& settings) {
        if (!value || !expect_mapping(*value, "attachments", m_reporter)) {
            return;
        }
        MappingReader reader(*value, "attachments", k_attachments_keys, m_reporter);
        read_extensions(reader.find("image_extensions"), "attachments.image_extensions",
                        Emptiness::rejected)
            .apply_to(settings.image_extensions);
        read_custom_types(reader.find("custom"), settings.custom);
    }

    NameList read_extensions(const Node* value, std::string_view path, Emptiness emptiness) {
        NameList list = read_list(value, path, emptiness, normalize_extension);
        for (std::size_t index = 0; index < list.names.size(); ++index) {
            if (!can_match_url(list.names[index])) {
                error(list.locs[index], "invalid-value",
                      "extension '" + list.names[index] + "' in " + std::string(path) +
                          " can never match: a url's extension is the text after its last dot");
                list.is_broken = true;
            }
        }
        return list;
    }

    void read_custom_types(const Node* value, std::map<std::string, CustomAttachmentType>& custom) {
        if (!value) {
            return;
        }
        if (value->kind != NodeKind::mapping) {
            error(loc_of(*value), "wrong-type",
                  "attachments.custom must be a mapping of type name to {required, extensions}, "
                  "found " +
                      describe(*value));
            return;
        }
        for (const auto& [name, settings] : value->entries) {
            if (is_custom_type_name(name)) {
                if (auto type = read_custom_type(name.text, settings)) {
                    custom[name.text] = std::move(*type);
                }
            }
        }
    }

    bool is_custom_type_name(const Node& name) {
        if (name.kind != NodeKind::scalar || name.text.empty()) {
            error(loc_of(name), "invalid-value",
                  "a custom attachment type name must be non-empty text, found " + describe(name));
            return false;
        }
        auto builtin = std::find(k_builtin_attachment_types.begin(),
                                 k_builtin_attachment_types.end(), name.text);
        if (builtin != k_builtin_attachment_types.end()) {
            error(loc_of(name), "invalid-value",
                  "attachments.custom cannot redefine the built-in attachment type '" + name.text +
                      "'");
            return false;
        }
        return true;
    }

    // A type written without settings ("pdf:") is a type that needs no field and takes any url.
    std::optional<CustomAttachmentType> read_custom_type(const std::string& name,
                                                         const Node& settings) {
        std::string path = "attachments.custom." + name;
        if (classify(settings) == ScalarKind::null) {
            return CustomAttachmentType{};
        }
        if (!expect_mapping(settings, path, m_reporter)) {
            return std::nullopt;
        }
        MappingReader reader(settings, path, k_custom_type_keys, m_reporter);
        NameList required =
            read_list(reader.find("required"), path + ".required", Emptiness::allowed);
        for (std::size_t index = 0; index < required.names.size(); ++index) {
            const std::string& field = required.names[index];
            if (std::find(k_attachment_fields.begin(), k_attachment_fields.end(), field) ==
                k_attachment_fields.end()) {
                std::string hint = did_you_mean(field, k_attachment_fields);
                error(required.locs[index], "invalid-value",
                      "unknown attachment field '" + field + "' in " + path + ".required" +
                          (hint.empty() ? "; known: " + join_names(k_attachment_fields) : hint));
                required.is_broken = true;
            }
        }
        NameList extensions =
            read_extensions(reader.find("extensions"), path + ".extensions", Emptiness::allowed);
        if (required.is_broken || extensions.is_broken) {
            return std::nullopt;
        }
        return CustomAttachmentType{std::move(required.names), std::move(extensions.names)};
    }

    Reporter& m_reporter;
};

}  // namespace

std::optional<Config> load_config(const SourceText& source, std::string_view file_name,
                                  DiagnosticSink& sink) {
    CollectingSink collected;
    Reporter reporter(file_name, collected);
    std::optional<Config> config;
    if (auto root = parse_config(source.text(), reporter)) {
        config = ConfigReader(reporter).read(*root);
    }
    schema::forward_in_file_order(collected.take(), sink);
    if (reporter.error_count() > 0) {
        return std::nullopt;
    }
    return config;
}

}  // namespace chat
