// chatctl thread typing THREAD --as USER [--length MS]

#include "commands.hpp"
#include "conversation_output.hpp"

#include <limits>
#include <memory>

namespace chat::cli {
namespace {

// The replay step `typing` takes the same default.
constexpr std::int64_t k_default_length_ms = 1000;

struct TypingOptions {
    std::string thread;
    std::int64_t as = 0;
    std::int64_t length_ms = k_default_length_ms;
};

ExitCode run_typing(const TypingOptions& options, Context& context) {
    auto reference = store::ThreadReference::parse(options.thread);
    conversation_store(context, store::Access::write)
        .typing(options.as, reference, options.length_ms);
    if (context.wants_json()) {
        nlohmann::ordered_json typing;
        typing["thread"] = thread_reference_json(reference);
        typing["user"] = options.as;
        typing["length"] = options.length_ms;
        context.out << json_text(nlohmann::ordered_json{{"typing", typing}}) << '\n';
    } else {
        context.out << "user " << options.as << " is writing in thread " << reference.text() << " ("
                    << options.length_ms << " ms)\n";
    }
    return ExitCode::success;
}

}  // namespace

void register_thread_typing(CLI::App& thread, CommandTable& commands, Context& context) {
    auto options = std::make_shared<TypingOptions>();
    auto* app = thread.add_subcommand("typing", "Tell the other members that a member is writing");
    add_thread_argument(*app, options->thread);
    add_user_option(*app, "--as", options->as, "The member who writes");
    app->add_option("--length", options->length_ms,
                    "How long the member is expected to write, in ms (default 1000)")
        ->check(CLI::Range(std::int64_t{0}, std::numeric_limits<std::int64_t>::max()))
        ->option_text("MS");
    commands.emplace_back(app, [options, &context] { return run_typing(*options, context); });
}

}  // namespace chat::cli
