// chatctl member assist THREAD --as USER --question QID [--user USER]

#include "commands.hpp"
#include "conversation_output.hpp"

#include <limits>
#include <memory>

namespace chat::cli {
namespace {

struct AssistOptions {
    std::string thread;
    std::int64_t as = 0;
    std::int64_t question = 0;
    std::optional<std::int64_t> scripted_user;
};

void print_text(Context& context, const AssistOptions& options, const store::SendResult& result,
                const std::optional<store::MemberView>& scripted,
                const store::ThreadReference& reference) {
    auto& out = context.out;
    std::string thread = thread_label(result.sender.thread_id, reference);
    if (scripted) {
        out << "put user " << scripted->user_id << " into scripted state at question "
            << options.question << " in " << thread << '\n';
    } else if (!result.messages.empty()) {
        out << "sent question " << options.question << " as message " << result.messages[0].id
            << " to " << thread << '\n';
    }
    for (const auto& message : result.messages) {
        if (message.addressee) {
            out << "  " << message.id << "  " << message_line(message) << '\n';
        }
    }
    if (scripted) {
        out << member_state_line(*scripted) << '\n';
    }
    out << member_state_line(result.sender) << '\n';
}

ExitCode run_assist(const AssistOptions& options, Context& context) {
    auto reference = store::ThreadReference::parse(options.thread);
    auto conversations = conversation_store(context, store::Access::write);
    auto result =
        conversations.assist(options.as, reference, options.question, options.scripted_user);
    std::optional<store::MemberView> scripted;
    if (options.scripted_user) {
        scripted = conversations.member(reference, *options.scripted_user);
    }
    if (context.wants_json()) {
        nlohmann::ordered_json document;
        document["messages"] = messages_json(result.messages);
        document["member"] = store::member_json(result.sender);
        document["scripted_member"] =
            scripted ? store::member_json(*scripted) : nlohmann::ordered_json(nullptr);
        context.out << json_text(document) << '\n';
    } else {
        print_text(context, options, result, scripted, reference);
    }
    return ExitCode::success;
}

}  // namespace

void register_member_assist(CLI::App& member, CommandTable& commands, Context& context) {
    auto options = std::make_shared<AssistOptions>();
    auto* app = member.add_subcommand(
        "assist", "Send a question of an assisted member's schema, or script a member with it");
    add_thread_argument(*app, options->thread);
    add_user_option(*app, "--as", options->as, "The assisted member who sends the question");
    app->add_option("--question", options->question, "The question of its schema to send")
        ->required()
        ->check(CLI::Range(std::int64_t{0}, std::numeric_limits<std::int64_t>::max()))
        ->option_text("QID");
    app->add_option("--user", options->scripted_user,
                    "Put this member into state scripted at the question instead (needs "
                    "thread_control_others)")
        ->check(CLI::Range(std::int64_t{1}, std::numeric_limits<std::int64_t>::max()))
        ->option_text("USER");
    commands.emplace_back(app, [options, &context] { return run_assist(*options, context); });
}

}  // namespace chat::cli
