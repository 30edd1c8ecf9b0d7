// chatctl thread subscribe --user USER

#include "commands.hpp"
#include "conversation_output.hpp"

#include <memory>

namespace chat::cli {
namespace {

ExitCode run_subscribe(std::int64_t user_id, Context& context) {
    conversation_store(context, store::Access::write).subscribe(user_id);
    if (context.wants_json()) {
        context.out << json_text(nlohmann::ordered_json{
                           {"subscribed", nlohmann::ordered_json{{"user", user_id}}}})
                    << '\n';
    } else {
        context.out << "user " << user_id
                    << " is subscribed to the ws events of the threads it is not a member of\n";
    }
    return ExitCode::success;
}

}  // namespace

void register_thread_subscribe(CLI::App& thread, CommandTable& commands, Context& context) {
    auto user_id = std::make_shared<std::int64_t>(0);
    auto* app = thread.add_subcommand(
        "subscribe", "Send a user the ws events of every thread, without being a member");
    add_user_option(*app, "--user", *user_id, "The subscriber, with a role of ws_subscribe_roles");
    commands.emplace_back(app, [user_id, &context] { return run_subscribe(*user_id, context); });
}

}  // namespace chat::cli
