// chatctl member set THREAD --user USER [--as USER] [--state S] [--schema NAME[@N]]
//     [--question QID] [--initial-question QID] [--on-finish open|close|repeat]
//     [--automated-sender USER] [--permissions P] [--notifications N]

#include "commands.hpp"
#include "conversation_output.hpp"
#include "schema_output.hpp"

#include <limits>
#include <memory>

namespace chat::cli {
namespace {

struct SetOptions {
    std::string thread;
    std::int64_t user_id = 0;
    store::Actor as;
    std::optional<std::string> schema;
    store::MemberSettings settings;
};

bool changes_nothing(const SetOptions& options) {
    const auto& settings = options.settings;
    return !settings.state && !options.schema && !settings.question && !settings.initial_question &&
           !settings.on_finish && !settings.automated_sender && !settings.permissions &&
           !settings.notifications;
}

ExitCode run_set(SetOptions& options, Context& context) {
    if (changes_nothing(options)) {
        return report_error(context, ExitCode::usage, "USAGE",
                            "nothing to change: give at least one of --state, --schema, "
                            "--question, --initial-question, --on-finish, --automated-sender, "
                            "--permissions, --notifications");
    }
    if (options.schema) {
        options.settings.schema = read_reference(context, *options.schema);
    }
    auto member = conversation_store(context, store::Access::write)
                      .set_member(options.as, store::ThreadReference::parse(options.thread),
                                  options.user_id, options.settings);
    print_member(context, member);
    return ExitCode::success;
}

std::string check_state(const std::string& name) {
    return engine::state_from_name(name)
               ? ""
               : "'" + name +
                     "' is not a state; use open, closed, scripted, scripted_fe_controlled or "
                     "assisted";
}

std::string check_on_finish(const std::string& name) {
    return engine::on_finish_from_name(name)
               ? ""
               : "'" + name + "' is not an on-finish action; use open, close or repeat";
}

void add_state_options(CLI::App& app, SetOptions& options) {
    auto& settings = options.settings;
    app.add_option_function<std::string>(
           "--state",
           [&settings](const std::string& name) { settings.state = engine::state_from_name(name); },
           "open, closed, scripted, scripted_fe_controlled or assisted")
        ->check(check_state)
        ->option_text("S");
    app.add_option("--schema", options.schema,
                   "The schema it runs on: NAME (its published version), NAME@latest or NAME@N")
        ->option_text("NAME[@N]");
    auto qid_range = CLI::Range(std::int64_t{0}, std::numeric_limits<std::int64_t>::max());
    app.add_option("--question", settings.question,
                   "Make this question current (posted when the state is scripted)")
        ->check(qid_range)
        ->option_text("QID");
    app.add_option("--initial-question", settings.initial_question,
                   "Where the script starts and repeats (default: the entry question)")
        ->check(qid_range)
        ->option_text("QID");
    app.add_option_function<std::string>(
           "--on-finish",
           [&settings](const std::string& name) {
               settings.on_finish = engine::on_finish_from_name(name);
           },
           "When the script ends: open, close or repeat")
        ->check(check_on_finish)
        ->option_text("ACTION");
    app.add_option("--automated-sender", settings.automated_sender,
                   "The user who sends the script's questions")
        ->check(CLI::Range(std::int64_t{1}, std::numeric_limits<std::int64_t>::max()))
        ->option_text("USER");
}

}  // namespace

void register_member_set(CLI::App& member, CommandTable& commands, Context& context) {
    auto options = std::make_shared<SetOptions>();
    auto* app = member.add_subcommand("set", "Change a member's state, script or settings");
    add_thread_argument(*app, options->thread);
    add_user_option(*app, "--user", options->user_id, "The member to change");
    add_actor_option(*app, options->as);
    add_state_options(*app, *options);
    add_permissions_option(*app, options->settings.permissions,
                           "Its permissions: a number or names");
    add_notifications_option(*app, options->settings.notifications,
                             "Its notifications: a number or names");
    commands.emplace_back(app, [options, &context] { return run_set(*options, context); });
}

}  // namespace chat::cli
