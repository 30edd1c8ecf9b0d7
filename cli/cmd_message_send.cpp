// chatctl message send THREAD --as USER [--text T] [--type TYPE] [--meta JSON] [--answer A]...
//     [--question QID] [--attachment JSON]... [--break-state]
// chatctl message send THREAD --as USER --confirm

#include "commands.hpp"
#include "conversation_output.hpp"

#include <algorithm>
#include <limits>
#include <memory>

namespace chat::cli {
namespace {

struct SendOptions {
    std::string thread;
    std::int64_t as = 0;
    std::optional<std::string> meta;
    std::vector<std::string> attachments;
    store::NewMessage message;
    bool confirm = false;
};

bool has_content(const SendOptions& options) {
    const auto& message = options.message;
    return message.text || message.type || options.meta || !message.answers.empty() ||
           message.question || !options.attachments.empty() || message.break_state;
}

// A JSON option's value, or a usage error (thrown as ReportedFailure).
nlohmann::json read_json(Context& context, const std::string& option, const std::string& text,
                         bool needs_object) {
    auto value = nlohmann::json::parse(text, nullptr, false);
    if (value.is_discarded() || (needs_object && !value.is_object())) {
        throw ReportedFailure{report_error(
            context, ExitCode::usage, "USAGE",
            option + ": '" + text + "' is not " + (needs_object ? "a JSON object" : "JSON"))};
    }
    return value;
}

void print_text(Context& context, const store::SendResult& result,
                const store::ThreadReference& reference) {
    auto& out = context.out;
    std::string thread = thread_label(result.sender.thread_id, reference);
    auto sent =
        std::find_if(result.messages.begin(), result.messages.end(),
                     [](const store::StoredMessage& message) { return !message.addressee; });
    if (sent != result.messages.end()) {
        out << "sent message " << sent->id << " to " << thread << '\n';
    } else {
        out << "confirmed the question in " << thread << ": no message stored\n";
    }
    for (const auto& message : result.messages) {
        if (message.addressee) {
            out << "  " << message.id << "  " << message_line(message) << '\n';
        }
    }
    const auto& member = result.sender;
    out << "user " << member.user_id << " is now " << engine::state_name(member.state);
    if (member.question) {
        out << " at question " << *member.question;
    }
    if (member.schema) {
        out << (member.question ? " of " : " on ") << member.schema->label();
    }
    out << '\n';
}

ExitCode run_send(SendOptions& options, Context& context) {
    if (options.confirm && has_content(options)) {
        return report_error(context, ExitCode::usage, "USAGE",
                            "--confirm sends nothing: it takes no --text, --type, --meta, "
                            "--answer, --question, --attachment or --break-state");
    }
    if (options.meta) {
        options.message.meta = read_json(context, "--meta", *options.meta, false);
    }
    for (const auto& attachment : options.attachments) {
        options.message.attachments.push_back(read_json(context, "--attachment", attachment, true));
    }
    auto reference = store::ThreadReference::parse(options.thread);
    auto conversations = conversation_store(context, store::Access::write);
    auto result = options.confirm ? conversations.confirm(options.as, reference)
                                  : conversations.send(options.as, reference, options.message);
    if (context.wants_json()) {
        nlohmann::ordered_json document;
        document["messages"] = messages_json(result.messages);
        document["member"] = store::member_json(result.sender);
        context.out << json_text(document) << '\n';
    } else {
        print_text(context, result, reference);
    }
    return ExitCode::success;
}

void add_content_options(CLI::App& app, SendOptions& options) {
    auto& message = options.message;
    app.add_option("--text", message.text, "The message's text (choice: the free text)")
        ->option_text("T");
    app.add_option("--type", message.type, "The message's type (default: message)")
        ->option_text("TYPE");
    app.add_option("--meta", options.meta, "Free data for clients, as JSON")->option_text("JSON");
    app.add_option("--answer", message.answers,
                   "A chosen answer: its text in any language, or its position (repeat for "
                   "multichoice)")
        ->option_text("A")
        ->allow_extra_args(false);
    app.add_option("--question", message.question, "The question answered (scripted_fe_controlled)")
        ->check(CLI::Range(std::int64_t{0}, std::numeric_limits<std::int64_t>::max()))
        ->option_text("QID");
    app.add_option("--attachment", options.attachments,
                   "An attachment, as a JSON object (repeat for several)")
        ->option_text("JSON")
        ->allow_extra_args(false);
    app.add_flag("--break-state", message.break_state,
                 "Put every scripted member of the thread into state open first");
    app.add_flag("--confirm", options.confirm,
                 "Confirm the current control question instead of sending a message");
}

}  // namespace

void register_message_send(CLI::App& message, CommandTable& commands, Context& context) {
    auto options = std::make_shared<SendOptions>();
    auto* app = message.add_subcommand("send", "Send a message, or answer the current question");
    add_thread_argument(*app, options->thread);
    add_user_option(*app, "--as", options->as, "The sender, a member of the thread");
    add_content_options(*app, *options);
    commands.emplace_back(app, [options, &context] { return run_send(*options, context); });
}

}  // namespace chat::cli
