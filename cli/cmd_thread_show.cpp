// chatctl thread show THREAD

#include "commands.hpp"
#include "conversation_output.hpp"

#include <memory>

namespace chat::cli {
namespace {

ExitCode run_show(const std::string& thread, Context& context) {
    print_thread(context, conversation_store(context, store::Access::read)
                              .get_thread(store::ThreadReference::parse(thread)));
    return ExitCode::success;
}

}  // namespace

void register_thread_show(CLI::App& thread, CommandTable& commands, Context& context) {
    auto reference = std::make_shared<std::string>();
    auto* app = thread.add_subcommand("show", "Show a thread");
    add_thread_argument(*app, *reference);
    commands.emplace_back(app, [reference, &context] { return run_show(*reference, context); });
}

}  // namespace chat::cli
