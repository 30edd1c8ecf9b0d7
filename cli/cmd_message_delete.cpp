// chatctl message delete MESSAGE_ID [--as USER]

#include "commands.hpp"
#include "conversation_output.hpp"

#include <limits>
#include <memory>

namespace chat::cli {
namespace {

struct DeleteOptions {
    std::int64_t message_id = 0;
    store::Actor as;
};

ExitCode run_delete(const DeleteOptions& options, Context& context) {
    auto message = conversation_store(context, store::Access::write)
                       .remove_message(options.as, options.message_id);
    if (context.wants_json()) {
        nlohmann::ordered_json document;
        document["message"] = store::message_json(message);
        context.out << json_text(document) << '\n';
    } else {
        context.out << "deleted message " << message.id << " in thread " << message.thread_id
                    << '\n';
    }
    return ExitCode::success;
}

}  // namespace

void register_message_delete(CLI::App& message, CommandTable& commands, Context& context) {
    auto options = std::make_shared<DeleteOptions>();
    auto* app = message.add_subcommand("delete", "Delete a message (it is kept, marked deleted)");
    app->add_option("MESSAGE_ID", options->message_id, "The message's id")
        ->required()
        ->check(CLI::Range(std::int64_t{1}, std::numeric_limits<std::int64_t>::max()));
    add_actor_option(*app, options->as);
    commands.emplace_back(app, [options, &context] { return run_delete(*options, context); });
}

}  // namespace chat::cli
