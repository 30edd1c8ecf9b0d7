// chatctl member add THREAD --user USER [--as USER] [--permissions P] [--notifications N]

#include "commands.hpp"
#include "conversation_output.hpp"

#include <memory>

namespace chat::cli {
namespace {

struct AddOptions {
    std::string thread;
    store::Actor as;
    store::NewMember member;
};

ExitCode run_add(const AddOptions& options, Context& context) {
    auto reference = store::ThreadReference::parse(options.thread);
    auto member = conversation_store(context, store::Access::write)
                      .add_member(options.as, reference, options.member);
    if (!context.wants_json()) {
        context.out << "added user " << member.user_id << " to "
                    << thread_label(member.thread_id, reference) << '\n';
    }
    print_member(context, member);
    return ExitCode::success;
}

}  // namespace

void register_member_add(CLI::App& member, CommandTable& commands, Context& context) {
    auto options = std::make_shared<AddOptions>();
    auto* app = member.add_subcommand("add", "Add a user to a thread");
    add_thread_argument(*app, options->thread);
    add_user_option(*app, "--user", options->member.user_id, "The user who joins");
    add_actor_option(*app, options->as);
    add_permissions_option(*app, options->member.permissions,
                           "Its permissions: a number or names (default: member_default)");
    add_notifications_option(*app, options->member.notifications,
                             "Its notifications: a number or names (default: "
                             "notifications_default)");
    commands.emplace_back(app, [options, &context] { return run_add(*options, context); });
}

}  // namespace chat::cli
