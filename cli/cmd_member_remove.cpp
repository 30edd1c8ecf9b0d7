// chatctl member remove THREAD --user USER [--as USER]

#include "commands.hpp"
#include "conversation_output.hpp"

#include <memory>

namespace chat::cli {
namespace {

struct RemoveOptions {
    std::string thread;
    std::int64_t user_id = 0;
    store::Actor as;
};

ExitCode run_remove(const RemoveOptions& options, Context& context) {
    auto reference = store::ThreadReference::parse(options.thread);
    conversation_store(context, store::Access::write)
        .remove_member(options.as, reference, options.user_id);
    if (context.wants_json()) {
        nlohmann::ordered_json removed;
        removed["thread"] = reference.id ? nlohmann::ordered_json(*reference.id)
                                         : nlohmann::ordered_json(reference.key);
        removed["user"] = options.user_id;
        context.out << json_text(nlohmann::ordered_json{{"removed", removed}}) << '\n';
    } else {
        context.out << "removed user " << options.user_id << " from thread " << reference.text()
                    << '\n';
    }
    return ExitCode::success;
}

}  // namespace

void register_member_remove(CLI::App& member, CommandTable& commands, Context& context) {
    auto options = std::make_shared<RemoveOptions>();
    auto* app = member.add_subcommand("remove", "Remove a member from a thread (or leave it)");
    add_thread_argument(*app, options->thread);
    add_user_option(*app, "--user", options->user_id, "The member who goes");
    add_actor_option(*app, options->as);
    commands.emplace_back(app, [options, &context] { return run_remove(*options, context); });
}

}  // namespace chat::cli
