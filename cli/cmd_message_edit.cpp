// chatctl message edit MESSAGE_ID --text T [--as USER]

#include "commands.hpp"
#include "conversation_output.hpp"

#include <limits>
#include <memory>

namespace chat::cli {
namespace {

struct EditOptions {
    std::int64_t message_id = 0;
    std::string text;
    store::Actor as;
};

ExitCode run_edit(const EditOptions& options, Context& context) {
    auto message = conversation_store(context, store::Access::write)
                       .edit(options.as, options.message_id, options.text);
    if (context.wants_json()) {
        nlohmann::ordered_json document;
        document["message"] = store::message_json(message);
        context.out << json_text(document) << '\n';
    } else {
        context.out << "edited message " << message.id << " in thread " << message.thread_id
                    << '\n';
    }
    return ExitCode::success;
}

}  // namespace

void register_message_edit(CLI::App& message, CommandTable& commands, Context& context) {
    auto options = std::make_shared<EditOptions>();
    auto* app = message.add_subcommand("edit", "Change the text of a message");
    app->add_option("MESSAGE_ID", options->message_id, "The message's id")
        ->required()
        ->check(CLI::Range(std::int64_t{1}, std::numeric_limits<std::int64_t>::max()));
    app->add_option("--text", options->text, "The new text")->required()->option_text("T");
    add_actor_option(*app, options->as);
    commands.emplace_back(app, [options, &context] { return run_edit(*options, context); });
}

}  // namespace chat::cli
