// chatctl member rollback THREAD --user USER [--to QID] [--as USER]

#include "commands.hpp"
#include "conversation_output.hpp"

#include <limits>
#include <memory>

namespace chat::cli {
namespace {

struct RollbackOptions {
    std::string thread;
    std::int64_t user_id = 0;
    std::optional<std::int64_t> question;
    store::Actor as;
};

ExitCode run_rollback(const RollbackOptions& options, Context& context) {
    auto reference = store::ThreadReference::parse(options.thread);
    auto member = conversation_store(context, store::Access::write)
                      .rollback(options.as, reference, options.user_id, options.question);
    if (!context.wants_json()) {
        context.out << "rolled user " << member.user_id << " back to question "
                    << member.question.value_or(0) << " in "
                    << thread_label(member.thread_id, reference) << '\n';
    }
    print_member(context, member);
    return ExitCode::success;
}

}  // namespace

void register_member_rollback(CLI::App& member, CommandTable& commands, Context& context) {
    auto options = std::make_shared<RollbackOptions>();
    auto* app = member.add_subcommand(
        "rollback", "Take a scripted member back to an earlier question of its script");
    add_thread_argument(*app, options->thread);
    add_user_option(*app, "--user", options->user_id, "The scripted member to roll back");
    app->add_option("--to", options->question,
                    "The question to go back to, one it was asked (default: the previous one)")
        ->check(CLI::Range(std::int64_t{0}, std::numeric_limits<std::int64_t>::max()))
        ->option_text("QID");
    add_actor_option(*app, options->as);
    commands.emplace_back(app, [options, &context] { return run_rollback(*options, context); });
}

}  // namespace chat::cli
