// chatctl thread members THREAD

#include "commands.hpp"
#include "conversation_output.hpp"
#include "text_table.hpp"

#include <memory>

namespace chat::cli {
namespace {

std::string optional_text(const std::optional<std::int64_t>& value) {
    return value ? std::to_string(*value) : "-";
}

void print_text(Context& context, const std::vector<store::MemberView>& members) {
    TextTable table(
        {"USER", "STATE", "SCHEMA", "QUESTION", "UNREAD", "LAST", "PERMISSIONS", "NOTIFICATIONS"});
    for (const auto& member : members) {
        table.add({std::to_string(member.user_id), std::string(engine::state_name(member.state)),
                   member.schema ? member.schema->label() : "-", optional_text(member.question),
                   std::to_string(member.unread),
                   member.last_message ? std::to_string(member.last_message->id) : "-",
                   std::to_string(member.permissions), std::to_string(member.notifications)});
    }
    if (!members.empty()) {
        table.print(context.out);
    }
    if (!context.options.is_quiet) {
        context.err << plural(static_cast<std::int64_t>(members.size()), "member") << '\n';
    }
}

ExitCode run_members(const std::string& thread, Context& context) {
    auto members = conversation_store(context, store::Access::read)
                       .members(store::ThreadReference::parse(thread));
    if (context.wants_json()) {
        nlohmann::ordered_json document;
        document["members"] = nlohmann::ordered_json::array();
        for (const auto& member : members) {
            document["members"].push_back(store::member_json(member));
        }
        context.out << json_text(document) << '\n';
    } else {
        print_text(context, members);
    }
    return ExitCode::success;
}

}  // namespace

void register_thread_members(CLI::App& thread, CommandTable& commands, Context& context) {
    auto reference = std::make_shared<std::string>();
    auto* app = thread.add_subcommand("members", "List a thread's members and their state");
    add_thread_argument(*app, *reference);
    commands.emplace_back(app, [reference, &context] { return run_members(*reference, context); });
}

}  // namespace chat::cli
