#include "conversation_output.hpp"

#include <chat/answer.hpp>
#include <chat/config.hpp>
#include <chat/spelling.hpp>

#include <algorithm>
#include <array>
#include <cctype>
#include <charconv>
#include <limits>
#include <span>

namespace chat::cli {
namespace {

constexpr std::array<std::string_view, 4> k_channels = {"ws", "push", "email", "sms"};

using BitOf = std::optional<std::uint32_t> (*)(std::string_view);

// The names of one kind of bit set, in bit order, and how to read one name.
struct BitSetKind {
    std::span<const std::string_view> names;
    BitOf bit_of;
    std::uint32_t all;
    const char* noun;  // "permission", "notification"
};

constexpr BitSetKind k_permissions{k_permission_names, permission_bit, k_all_permissions,
                                   "permission"};
constexpr BitSetKind k_notifications{k_notification_names, notification_bit, k_all_notifications,
                                     "notification"};

std::string join(std::span<const std::string_view> names) {
    std::string text;
    for (auto name : names) {
        text += (text.empty() ? "" : ", ") + std::string(name);
    }
    return text;
}

std::string_view trim(std::string_view text) {
    std::size_t first = text.find_first_not_of(' ');
    if (first == std::string_view::npos) {
        return {};
    }
    return text.substr(first, text.find_last_not_of(' ') - first + 1);
}

bool is_number(std::string_view text) {
    return !text.empty() &&
           std::all_of(text.begin(), text.end(), [](char c) { return c >= '0' && c <= '9'; });
}

std::string valid_names(const BitSetKind& kind) {
    return "the " + std::string(kind.noun) + "s are " + join(kind.names) +
           ", or write a number from 0 to " + std::to_string(kind.all);
}

// "; did you mean 'x'?" for a likely typo, also of a name written in capitals.
std::string did_you_mean(std::string_view name, const BitSetKind& kind) {
    if (name.empty()) {
        return {};
    }
    auto nearest = nearest_word(name, kind.names);
    if (!nearest) {
        std::string lower(name);
        std::transform(lower.begin(), lower.end(), lower.begin(),
                       [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
        nearest = nearest_word(lower, kind.names);
    }
    return nearest ? "; did you mean '" + std::string(*nearest) + "'?" : "";
}

BitSetReading read_number(std::string_view text, const BitSetKind& kind) {
    std::int64_t value = 0;
    auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
    if (error != std::errc{} || end != text.data() + text.size() || value > kind.all) {
        return {std::nullopt, "'" + std::string(text) + "' is out of range: " + kind.noun +
                                  "s are a number from 0 to " + std::to_string(kind.all)};
    }
    return {value, {}};
}

BitSetReading read_bit_set(std::string_view text, const BitSetKind& kind) {
    if (is_number(trim(text))) {
        return read_number(trim(text), kind);
    }
    std::int64_t value = 0;
    std::size_t start = 0;
    while (start <= text.size()) {
        std::size_t end = std::min(text.find(',', start), text.size());
        std::string_view name = trim(text.substr(start, end - start));
        auto bit = kind.bit_of(name);
        if (!bit) {
            std::string problem = name.empty()
                                      ? "'" + std::string(text) + "' lists an empty " + kind.noun
                                      : "'" + std::string(name) + "' is not a " + kind.noun;
            return {std::nullopt, problem + "; " + valid_names(kind) + did_you_mean(name, kind)};
        }
        value |= *bit;
        start = end + 1;
    }
    return {value, {}};
}

std::string bit_names_text(std::int64_t bits, const BitSetKind& kind) {
    std::string names;
    for (std::size_t index = 0; index < kind.names.size(); ++index) {
        if ((bits & (std::int64_t{1} << index)) != 0) {
            names += (names.empty() ? "" : ", ") + std::string(kind.names[index]);
        }
    }
    return std::to_string(bits) + " (" + (names.empty() ? "none" : names) + ")";
}

CLI::Option* add_bit_set_option(CLI::App& app, const std::string& name,
                                std::optional<std::int64_t>& target, const std::string& help,
                                BitSetReading (*read)(std::string_view)) {
    return app
        .add_option_function<std::string>(
            name, [&target, read](const std::string& text) { target = read(text).value; }, help)
        ->check([read](const std::string& text) { return read(text).problem; });
}

std::string one_line(std::string_view text) {
    std::string line(text);
    std::replace_if(
        line.begin(), line.end(), [](char c) { return c == '\n' || c == '\r' || c == '\t'; }, ' ');
    return line;
}

std::string optional_number(const std::optional<std::int64_t>& value) {
    return value ? std::to_string(*value) : "-";
}

std::string variables_text(const nlohmann::json& variables) {
    std::string text;
    for (const auto& [name, value] : variables.items()) {
        text += (text.empty() ? "" : ", ") + name + " = " + value.dump();
    }
    return text.empty() ? "none" : text;
}

// A text of the member's schema in its default language (the first it lists).
std::string schema_text(const store::MemberView& member, const LocalizedText& text) {
    if (text.translations.empty()) {
        return {};
    }
    std::string language;
    if (member.schema && !member.schema->languages.empty()) {
        language = member.schema->languages.front();
    }
    return one_line(text_in_language(text, language, language));
}

void print_question(std::ostream& out, const store::MemberView& member) {
    out << "question: " << optional_number(member.question);
    if (!member.question_content) {
        out << '\n';
        return;
    }
    const Question& question = *member.question_content;
    out << " (" << question_type_name(question.type) << ")  " << schema_text(member, question.text)
        << '\n';
    std::size_t width = 1;
    for (const auto& answer : question.answers) {
        width = std::max(width, std::to_string(answer.position).size());
    }
    for (const auto& answer : question.answers) {
        std::string position = std::to_string(answer.position);
        out << "  " << std::string(width - position.size(), ' ') << position << "  "
            << schema_text(member, answer.text) << '\n';
    }
}

void print_member_text(Context& context, const store::MemberView& member) {
    auto& out = context.out;
    out << "member: user " << member.user_id << " in thread " << member.thread_id << '\n';
    out << "state: " << engine::state_name(member.state) << '\n';
    out << "schema: " << (member.schema ? member.schema->label() : "-") << '\n';
    print_question(out, member);
    out << "initial question: " << optional_number(member.initial_question) << '\n';
    out << "on finish: "
        << (member.on_finish ? std::string(engine::on_finish_name(*member.on_finish)) : "-")
        << '\n';
    out << "automated sender: "
        << (member.automated_sender ? "user " + std::to_string(*member.automated_sender) : "-")
        << '\n';
    out << "permissions: " << permissions_text(member.permissions) << '\n';
    out << "notifications: " << notifications_text(member.notifications) << '\n';
    out << "unread: " << member.unread << '\n';
    out << "last message: "
        << (member.last_message ? std::to_string(member.last_message->id) + "  " +
                                      message_line(*member.last_message)
                                : "-")
        << '\n';
    out << "variables: " << variables_text(member.variables) << '\n';
}

}  // namespace

store::ConversationStore conversation_store(Context& context, store::Access access) {
    return store::ConversationStore(context.database(access), context.clock(), context.config());
}

CLI::Option* add_thread_argument(CLI::App& app, std::string& thread) {
    return app.add_option("THREAD", thread, "The thread's id, or the key it was created with")
        ->required();
}

CLI::Option* add_user_option(CLI::App& app, const std::string& name, std::int64_t& user,
                             const std::string& help) {
    return app.add_option(name, user, help)
        ->required()
        ->check(CLI::Range(std::int64_t{1}, std::numeric_limits<std::int64_t>::max()))
        ->option_text("USER");
}

CLI::Option* add_actor_option(CLI::App& app, store::Actor& as) {
    return app
        .add_option("--as", as,
                    "Act as this user, with its member permissions (default: the operator, "
                    "unchecked)")
        ->check(CLI::Range(std::int64_t{1}, std::numeric_limits<std::int64_t>::max()))
        ->option_text("USER");
}

BitSetReading read_permissions(std::string_view text) {
    return read_bit_set(text, k_permissions);
}

BitSetReading read_notifications(std::string_view text) {
    return read_bit_set(text, k_notifications);
}

CLI::Option* add_permissions_option(CLI::App& app, std::optional<std::int64_t>& permissions,
                                    const std::string& help) {
    return add_bit_set_option(app, "--permissions", permissions, help, read_permissions)
        ->option_text("P");
}

CLI::Option* add_notifications_option(CLI::App& app, std::optional<std::int64_t>& notifications,
                                      const std::string& help) {
    return add_bit_set_option(app, "--notifications", notifications, help, read_notifications)
        ->option_text("N");
}

std::string permissions_text(std::int64_t permissions) {
    return bit_names_text(permissions, k_permissions);
}

std::string notifications_text(std::int64_t notifications) {
    return bit_names_text(notifications, k_notifications);
}

std::string thread_label(std::int64_t thread_id, const store::ThreadReference& reference) {
    std::string label = "thread " + std::to_string(thread_id);
    return reference.id ? label : label + " (" + reference.key + ")";
}

std::string message_text(const store::StoredMessage& message) {
    std::string text = one_line(message.text.value_or(""));
    if (!message.attachments.empty()) {
        text += std::string(text.empty() ? "" : " ") + "(+" +
                std::to_string(message.attachments.size()) + " attachment" +
                (message.attachments.size() == 1 ? ")" : "s)");
    }
    return (message.deleted ? "[deleted] " : "") + text;
}

std::string message_line(const store::StoredMessage& message) {
    if (message.addressee && message.related_qid) {
        return "[question " + std::to_string(*message.related_qid) + "] " + message_text(message);
    }
    if (message.sender) {
        return "user " + std::to_string(*message.sender) + ": " + message_text(message);
    }
    return message_text(message);
}

CLI::Option* add_channel_option(CLI::App& app, std::optional<std::string>& channel,
                                const std::string& help) {
    return app.add_option("--channel", channel, help)
        ->check([](const std::string& name) {
            return std::find(k_channels.begin(), k_channels.end(), name) != k_channels.end()
                       ? ""
                       : "'" + name + "' is not a channel; use ws, push, email or sms";
        })
        ->option_text("CHANNEL");
}

nlohmann::ordered_json messages_json(const std::vector<store::StoredMessage>& messages) {
    auto array = nlohmann::ordered_json::array();
    for (const auto& message : messages) {
        array.push_back(store::message_json(message));
    }
    return array;
}

nlohmann::ordered_json thread_reference_json(const store::ThreadReference& reference) {
    return reference.id ? nlohmann::ordered_json(*reference.id)
                        : nlohmann::ordered_json(reference.key);
}

std::string member_state_line(const store::MemberView& member) {
    std::string line = "user " + std::to_string(member.user_id) + " is now " +
                       std::string(engine::state_name(member.state));
    if (member.question) {
        line += " at question " + std::to_string(*member.question);
    }
    if (member.schema) {
        line += (member.question ? " of " : " on ") + member.schema->label();
    }
    return line;
}

void print_member(Context& context, const store::MemberView& member) {
    if (context.wants_json()) {
        nlohmann::ordered_json document;
        document["member"] = store::member_json(member);
        context.out << json_text(document) << '\n';
    } else {
        print_member_text(context, member);
    }
}

void print_thread(Context& context, const store::Thread& thread) {
    if (context.wants_json()) {
        nlohmann::ordered_json document;
        document["thread"] = store::thread_json(thread);
        context.out << json_text(document) << '\n';
        return;
    }
    auto& out = context.out;
    out << "thread " << thread.id;
    if (thread.key) {
        out << " (" << *thread.key << ")";
    }
    out << (thread.title.empty() ? "" : ": " + one_line(thread.title)) << '\n';
    out << "type: " << thread.type << '\n';
    out << "created: " << thread.created << "  updated: " << thread.updated << '\n';
}

std::string json_line(const nlohmann::ordered_json& document) {
    return document.dump(-1, ' ', false, nlohmann::ordered_json::error_handler_t::replace);
}

}  // namespace chat::cli
