#pragma once
/// Settings that change what the checks and the engine accept (SPEC §12). Defaults match the
/// specification; load_config() reads them from a `chatctl.yaml` text.

#include <chat/diagnostics.hpp>
#include <chat/source_text.hpp>

#include <array>
#include <cstddef>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace chat {

/// Permission names (SPEC §7.1) in bit order: name i is bit 1 << i.
inline constexpr std::array<std::string_view, 13> k_permission_names = {
    "messages_read",      "messages_create",       "messages_edit",      "messages_delete",
    "thread_read",        "thread_edit",           "thread_delete",      "thread_add_user",
    "thread_remove_user", "thread_control_others", "thread_break_state", "thread_rollback",
    "thread_reopen"};
/// Every permission bit set.
inline constexpr std::uint32_t k_all_permissions = 8191;

/// Notification names (SPEC §7.1) in bit order: name i is bit 1 << i.
inline constexpr std::array<std::string_view, 5> k_notification_names = {"unread", "ws", "push",
                                                                         "email", "sms"};
/// Every notification bit set.
inline constexpr std::uint32_t k_all_notifications = 31;

/// The bit of a lower-case permission name (`thread_read` -> 16), or nothing for another name.
constexpr std::optional<std::uint32_t> permission_bit(std::string_view name) {
    for (std::size_t index = 0; index < k_permission_names.size(); ++index) {
        if (k_permission_names[index] == name) {
            return std::uint32_t{1} << index;
        }
    }
    return std::nullopt;
}

/// The bit of a lower-case notification name (`ws` -> 2), or nothing for another name.
constexpr std::optional<std::uint32_t> notification_bit(std::string_view name) {
    for (std::size_t index = 0; index < k_notification_names.size(); ++index) {
        if (k_notification_names[index] == name) {
            return std::uint32_t{1} << index;
        }
    }
    return std::nullopt;
}

/// A configured attachment type beyond image/youtube/object_reference.
struct CustomAttachmentType {
    std::vector<std::string> required;  // fields the template must have (e.g. "url")
    std::vector<std::string>
        extensions;  // accepted url extensions, lower case, no dot; empty = any

    friend bool operator==(const CustomAttachmentType&, const CustomAttachmentType&) = default;
};

struct AttachmentSettings {
    std::vector<std::string> image_extensions{"gif", "png", "jpg", "jpeg"};
    std::map<std::string, CustomAttachmentType> custom;

    friend bool operator==(const AttachmentSettings&, const AttachmentSettings&) = default;
};

/// Permission bits a member gets when it joins a thread, and when it creates one.
struct PermissionDefaults {
    std::uint32_t member_default = 19;    // messages_read | messages_create | thread_read
    std::uint32_t creator_default = 507;  // 1|2|8|16|32|64|128|256

    friend bool operator==(const PermissionDefaults&, const PermissionDefaults&) = default;
};

/// Messages of one of `types` are visible only to users holding one of `visible_to_roles`.
struct MessageVisibilityRule {
    std::vector<std::string> types;
    std::vector<std::string> visible_to_roles;

    friend bool operator==(const MessageVisibilityRule&, const MessageVisibilityRule&) = default;
};

struct Config {
    std::vector<std::string> schema_types{"survey", "automated_flow"};
    std::vector<std::string> thread_types{"chat", "survey", "tracker"};
    std::string default_thread_type{"chat"};                 // one of thread_types
    std::vector<std::string> survey_schema_types{"survey"};  // a subset of schema_types
    bool allow_edit_published_schemas = false;
    PermissionDefaults permissions;
    std::uint32_t notifications_default = 3;  // bits: unread 1, ws 2, push 4, email 8, sms 16
    std::vector<MessageVisibilityRule> message_visibility;  // no type listed twice
    std::vector<std::string> ws_subscribe_roles;
    AttachmentSettings attachments;

    friend bool operator==(const Config&, const Config&) = default;
};

/// Reads a `chatctl.yaml` text. Every problem goes to `sink` as a located diagnostic with
/// `file_name` as its file. Returns the configuration when there is none (there are no
/// warnings), nullopt otherwise. An empty text, or one holding only comments or `null`, gives
/// the defaults; so does a key whose value is empty or `null`, as in schema files.
std::optional<Config> load_config(const SourceText& source, std::string_view file_name,
                                  DiagnosticSink& sink);

}  // namespace chat
