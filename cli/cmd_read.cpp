// chatctl read THREAD --user USER [--message ID | --up-to ID]

#include "commands.hpp"
#include "conversation_output.hpp"
#include "text_table.hpp"

#include <limits>
#include <memory>

namespace chat::cli {
namespace {

struct ReadOptions {
    std::string thread;
    std::int64_t user_id = 0;
    std::optional<std::int64_t> message_id;
    std::optional<std::int64_t> up_to;
};

ExitCode run_read(const ReadOptions& options, Context& context) {
    store::ReadRequest request;
    request.user_id = options.user_id;
    request.thread = store::ThreadReference::parse(options.thread);
    if (options.message_id) {
        request.scope = store::ReadScope::message;
        request.message_id = *options.message_id;
    } else if (options.up_to) {
        request.scope = store::ReadScope::up_to;
        request.message_id = *options.up_to;
    }
    auto count = conversation_store(context, store::Access::write).read(request);
    if (context.wants_json()) {
        context.out << json_text(nlohmann::ordered_json{{"read", count}}) << '\n';
    } else {
        context.out << "marked " << plural(count, "message") << " read for user " << options.user_id
                    << " in thread " << request.thread.text() << '\n';
    }
    return ExitCode::success;
}

}  // namespace

void register_read(CLI::App& app, CommandTable& commands, Context& context) {
    auto options = std::make_shared<ReadOptions>();
    auto* read = app.add_subcommand(
        "read", "Mark a thread's messages read for a user (see man chatctl-conversation)");
    read->footer("See man chatctl-conversation.");
    add_thread_argument(*read, options->thread);
    add_user_option(*read, "--user", options->user_id, "The reader");
    auto id_range = CLI::Range(std::int64_t{1}, std::numeric_limits<std::int64_t>::max());
    auto* message = read->add_option("--message", options->message_id, "Only this message")
                        ->check(id_range)
                        ->option_text("ID");
    read->add_option("--up-to", options->up_to, "Every message up to this id (included)")
        ->check(id_range)
        ->option_text("ID")
        ->excludes(message);
    commands.emplace_back(read, [options, &context] { return run_read(*options, context); });
}

}  // namespace chat::cli
