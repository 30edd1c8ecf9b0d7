#pragma once
// What the conversation commands (thread, member, message, read, unread, outbox) share: the
// store, the options that name threads, users and permission sets, and the printing of
// threads, members and messages (see man chatctl-conversation).

#include "context.hpp"

#include <chat/conversation_store.hpp>

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace chat::cli {

/// The store over the context's database.
store::ConversationStore conversation_store(Context& context, store::Access access);

/// The THREAD argument (an id, or the key the thread was created with), required.
CLI::Option* add_thread_argument(CLI::App& app, std::string& thread);

/// A required option naming a user by id (`--user USER`).
CLI::Option* add_user_option(CLI::App& app, const std::string& name, std::int64_t& user,
                             const std::string& help);

/// `--as USER`: the member whose permissions the action is checked against.
CLI::Option* add_actor_option(CLI::App& app, store::Actor& as);

/// A permission or notification set as written on the command line: a whole number, or a
/// comma-separated list of lower-case names (`messages_read,thread_read`, `unread,ws`).
struct BitSetReading {
    std::optional<std::int64_t> value;
    std::string problem;  // why the text is not a set, when value is empty
};
BitSetReading read_permissions(std::string_view text);
BitSetReading read_notifications(std::string_view text);

/// `--permissions P` and `--notifications N`: a bad set is a usage error (exit 2) that names
/// the valid names.
CLI::Option* add_permissions_option(CLI::App& app, std::optional<std::int64_t>& permissions,
                                    const std::string& help);
CLI::Option* add_notifications_option(CLI::App& app, std::optional<std::int64_t>& notifications,
                                      const std::string& help);

/// "19 (messages_read, messages_create, thread_read)"; "0 (none)".
std::string permissions_text(std::int64_t permissions);
std::string notifications_text(std::int64_t notifications);

/// "thread 3 (intake)": the id, and the key when the reference gave one.
std::string thread_label(std::int64_t thread_id, const store::ThreadReference& reference);

/// A message's text on one line (line breaks become spaces), with "[deleted] " in front of a
/// deleted one and "(+N attachments)" after it when it has some.
std::string message_text(const store::StoredMessage& message);
/// message_text() after who sent it: "[question 2] How old are you?", "user 5: hello".
std::string message_line(const store::StoredMessage& message);

/// `--channel C`: one of the outbox channels ws, push, email, sms; another word is a usage
/// error (exit 2).
CLI::Option* add_channel_option(CLI::App& app, std::optional<std::string>& channel,
                                const std::string& help);

/// The messages as a JSON array of message objects.
nlohmann::ordered_json messages_json(const std::vector<store::StoredMessage>& messages);

/// The thread as the command line named it: a number for an id, a string for a key.
nlohmann::ordered_json thread_reference_json(const store::ThreadReference& reference);

/// "user 1 is now scripted at question 3 of intake@1"; "user 2 is now open".
std::string member_state_line(const store::MemberView& member);

/// The member view: its fields one per line (text), or {"member": {...}} with --format json.
void print_member(Context& context, const store::MemberView& member);

/// {"thread": {...}} with --format json, else the thread's fields one per line.
void print_thread(Context& context, const store::Thread& thread);

/// A JSON document as one line (JSON lines output).
std::string json_line(const nlohmann::ordered_json& document);

}  // namespace chat::cli
