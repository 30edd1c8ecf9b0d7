// chatctl outbox ack --up-to ID

#include "commands.hpp"
#include "conversation_output.hpp"
#include "text_table.hpp"

#include <limits>
#include <memory>

namespace chat::cli {
namespace {

ExitCode run_ack(std::int64_t up_to, Context& context) {
    auto count = conversation_store(context, store::Access::write).acknowledge(up_to);
    if (context.wants_json()) {
        context.out << json_text(nlohmann::ordered_json{{"acknowledged", count}}) << '\n';
    } else {
        context.out << "acknowledged " << plural(count, "event") << " up to id " << up_to << '\n';
    }
    return ExitCode::success;
}

}  // namespace

void register_outbox_ack(CLI::App& outbox, CommandTable& commands, Context& context) {
    auto up_to = std::make_shared<std::int64_t>(0);
    auto* app = outbox.add_subcommand("ack", "Delete delivered events");
    app->add_option("--up-to", *up_to, "Every event with an id up to ID (included)")
        ->required()
        ->check(CLI::Range(std::int64_t{0}, std::numeric_limits<std::int64_t>::max()))
        ->option_text("ID");
    commands.emplace_back(app, [up_to, &context] { return run_ack(*up_to, context); });
}

}  // namespace chat::cli
