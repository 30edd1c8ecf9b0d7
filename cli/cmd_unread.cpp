// chatctl unread --user USER

#include "commands.hpp"
#include "conversation_output.hpp"
#include "text_table.hpp"

#include <memory>

namespace chat::cli {
namespace {

void print_text(Context& context, const std::vector<store::UnreadCount>& counts) {
    TextTable table({"THREAD", "KEY", "UNREAD"});
    std::int64_t total = 0;
    for (const auto& count : counts) {
        table.add({std::to_string(count.thread_id), count.key.value_or("-"),
                   std::to_string(count.unread)});
        total += count.unread;
    }
    if (!counts.empty()) {
        table.print(context.out);
    }
    if (!context.options.is_quiet) {
        context.err << plural(total, "unread message") << " in "
                    << plural(static_cast<std::int64_t>(counts.size()), "thread") << '\n';
    }
}

ExitCode run_unread(std::int64_t user_id, Context& context) {
    auto counts = conversation_store(context, store::Access::read).unread(user_id);
    if (context.wants_json()) {
        nlohmann::ordered_json document;
        document["unread"] = nlohmann::ordered_json::array();
        for (const auto& count : counts) {
            nlohmann::ordered_json row;
            row["thread"] = count.thread_id;
            row["key"] = count.key ? nlohmann::ordered_json(*count.key) : nullptr;
            row["unread"] = count.unread;
            document["unread"].push_back(std::move(row));
        }
        context.out << json_text(document) << '\n';
    } else {
        print_text(context, counts);
    }
    return ExitCode::success;
}

}  // namespace

void register_unread(CLI::App& app, CommandTable& commands, Context& context) {
    auto user = std::make_shared<std::int64_t>(0);
    auto* unread = app.add_subcommand(
        "unread", "Count a user's unread messages per thread (see man chatctl-conversation)");
    unread->footer("See man chatctl-conversation.");
    add_user_option(*unread, "--user", *user, "The reader");
    commands.emplace_back(unread, [user, &context] { return run_unread(*user, context); });
}

}  // namespace chat::cli
