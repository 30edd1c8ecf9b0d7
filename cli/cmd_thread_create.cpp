// chatctl thread create [--as USER] [--key KEY] [--type TYPE] [--title TITLE]

#include "commands.hpp"
#include "conversation_output.hpp"

#include <limits>
#include <memory>

namespace chat::cli {
namespace {

struct CreateOptions {
    store::Actor as;
    store::NewThread thread;
};

ExitCode run_create(const CreateOptions& options, Context& context) {
    auto thread =
        conversation_store(context, store::Access::write).create_thread(options.as, options.thread);
    if (context.wants_json()) {
        print_thread(context, thread);
        return ExitCode::success;
    }
    context.out << "created thread " << thread.id;
    if (thread.key) {
        context.out << " (" << *thread.key << ")";
    }
    context.out << ", type " << thread.type;
    if (options.as) {
        context.out << ", with user " << *options.as << " as its creator";
    }
    context.out << '\n';
    return ExitCode::success;
}

}  // namespace

void register_thread_create(CLI::App& thread, CommandTable& commands, Context& context) {
    auto options = std::make_shared<CreateOptions>();
    auto* app = thread.add_subcommand("create", "Create a thread");
    app->add_option("--as", options->as,
                    "The creator: it becomes a member with the creator's permissions")
        ->check(CLI::Range(std::int64_t{1}, std::numeric_limits<std::int64_t>::max()))
        ->option_text("USER");
    app->add_option("--key", options->thread.key, "A unique name for the thread, for scripts")
        ->option_text("KEY");
    app->add_option("--type", options->thread.type,
                    "One of the configured thread_types (default: default_thread_type)")
        ->option_text("TYPE");
    app->add_option("--title", options->thread.title, "The thread's title (default: none)")
        ->option_text("TITLE");
    commands.emplace_back(app, [options, &context] { return run_create(*options, context); });
}

}  // namespace chat::cli
