// chatctl outbox ack --up-to ID [--channel ws|push|email|sms]

#include "commands.hpp"
#include "conversation_output.hpp"
#include "text_table.hpp"

#include <limits>
#include <memory>

namespace chat::cli {
namespace {

struct AckOptions {
    std::int64_t up_to = 0;
    std::optional<std::string> channel;
};

ExitCode run_ack(const AckOptions& options, Context& context) {
    auto count = conversation_store(context, store::Access::write)
                     .acknowledge(options.up_to, options.channel);
    if (context.wants_json()) {
        context.out << json_text(nlohmann::ordered_json{{"acknowledged", count}}) << '\n';
    } else {
        context.out << "acknowledged " << plural(count, "event");
        if (options.channel) {
            context.out << " of channel " << *options.channel;
        }
        context.out << " up to id " << options.up_to << '\n';
    }
    return ExitCode::success;
}

}  // namespace

void register_outbox_ack(CLI::App& outbox, CommandTable& commands, Context& context) {
    auto options = std::make_shared<AckOptions>();
    auto* app = outbox.add_subcommand("ack", "Delete delivered events");
    app->add_option("--up-to", options->up_to, "Every event with an id up to ID (included)")
        ->required()
        ->check(CLI::Range(std::int64_t{0}, std::numeric_limits<std::int64_t>::max()))
        ->option_text("ID");
    add_channel_option(*app, options->channel,
                       "Only the events of this channel: ws, push, email or sms (default: all)");
    commands.emplace_back(app, [options, &context] { return run_ack(*options, context); });
}

}  // namespace chat::cli
