// chatctl thread list [--user USER]

#include "commands.hpp"
#include "conversation_output.hpp"
#include "text_table.hpp"

#include <limits>
#include <memory>

namespace chat::cli {
namespace {

void print_text(Context& context, const std::vector<store::Thread>& threads) {
    TextTable table({"ID", "KEY", "TYPE", "TITLE", "UPDATED"});
    for (const auto& thread : threads) {
        table.add({std::to_string(thread.id), thread.key.value_or("-"), thread.type,
                   thread.title.empty() ? "-" : thread.title, thread.updated});
    }
    if (!threads.empty()) {
        table.print(context.out);
    }
    if (!context.options.is_quiet) {
        context.err << plural(static_cast<std::int64_t>(threads.size()), "thread") << '\n';
    }
}

ExitCode run_list(const std::optional<std::int64_t>& user, Context& context) {
    auto threads = conversation_store(context, store::Access::read).list_threads(user);
    if (context.wants_json()) {
        nlohmann::ordered_json document;
        document["threads"] = nlohmann::ordered_json::array();
        for (const auto& thread : threads) {
            document["threads"].push_back(store::thread_json(thread));
        }
        context.out << json_text(document) << '\n';
    } else {
        print_text(context, threads);
    }
    return ExitCode::success;
}

}  // namespace

void register_thread_list(CLI::App& thread, CommandTable& commands, Context& context) {
    auto user = std::make_shared<std::optional<std::int64_t>>();
    auto* app = thread.add_subcommand("list", "List threads by id");
    app->add_option("--user", *user, "Only the threads this user is a member of")
        ->check(CLI::Range(std::int64_t{1}, std::numeric_limits<std::int64_t>::max()))
        ->option_text("USER");
    commands.emplace_back(app, [user, &context] { return run_list(*user, context); });
}

}  // namespace chat::cli
