// chatctl message list THREAD [--for USER] [--include-deleted] [--limit N] [--mark-read]

#include "commands.hpp"
#include "conversation_output.hpp"
#include "text_table.hpp"

#include <limits>
#include <memory>

namespace chat::cli {
namespace {

struct ListOptions {
    std::string thread;
    store::MessageFilter filter;
};

std::string sender_text(const store::StoredMessage& message) {
    return message.sender ? std::to_string(*message.sender) : "-";
}

std::string question_text(const store::StoredMessage& message) {
    return message.related_qid ? std::to_string(*message.related_qid) : "-";
}

void print_text(Context& context, const std::vector<store::StoredMessage>& messages) {
    TextTable table({"ID", "SENDER", "TYPE", "QUESTION", "CREATED", "TEXT"});
    for (const auto& message : messages) {
        table.add({std::to_string(message.id), sender_text(message), message.type,
                   question_text(message), message.created, message_text(message)});
    }
    if (!messages.empty()) {
        table.print(context.out);
    }
    if (!context.options.is_quiet) {
        context.err << plural(static_cast<std::int64_t>(messages.size()), "message") << '\n';
    }
}

ExitCode run_list(const ListOptions& options, Context& context) {
    if (options.filter.mark_read && !options.filter.for_user) {
        return report_error(context, ExitCode::usage, "USAGE",
                            "--mark-read needs --for: whose messages are marked read");
    }
    auto access = options.filter.mark_read ? store::Access::write : store::Access::read;
    auto messages = conversation_store(context, access)
                        .messages(store::ThreadReference::parse(options.thread), options.filter);
    if (context.wants_json()) {
        nlohmann::ordered_json document;
        document["messages"] = messages_json(messages);
        context.out << json_text(document) << '\n';
    } else {
        print_text(context, messages);
    }
    return ExitCode::success;
}

}  // namespace

void register_message_list(CLI::App& message, CommandTable& commands, Context& context) {
    auto options = std::make_shared<ListOptions>();
    auto& filter = options->filter;
    auto* app = message.add_subcommand("list", "List a thread's messages");
    add_thread_argument(*app, options->thread);
    app->add_option("--for", filter.for_user, "Only the messages this user may see")
        ->check(CLI::Range(std::int64_t{1}, std::numeric_limits<std::int64_t>::max()))
        ->option_text("USER");
    app->add_flag("--include-deleted", filter.include_deleted, "Also list deleted messages");
    app->add_option("--limit", filter.limit, "Only the newest N messages")
        ->check(CLI::Range(std::int64_t{0}, std::numeric_limits<std::int64_t>::max()))
        ->option_text("N");
    app->add_flag("--mark-read", filter.mark_read,
                  "With --for: mark the listed messages read for that user");
    commands.emplace_back(app, [options, &context] { return run_list(*options, context); });
}

}  // namespace chat::cli
