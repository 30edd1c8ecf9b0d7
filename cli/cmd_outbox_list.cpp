// chatctl outbox list [--channel ws|push|email|sms] [--after ID] [--limit N]

#include "commands.hpp"
#include "conversation_output.hpp"
#include "text_table.hpp"

#include <algorithm>
#include <array>
#include <limits>
#include <memory>
#include <string_view>

namespace chat::cli {
namespace {

constexpr std::array<std::string_view, 4> k_channels = {"ws", "push", "email", "sms"};

std::string check_channel(const std::string& name) {
    return std::find(k_channels.begin(), k_channels.end(), name) != k_channels.end()
               ? ""
               : "'" + name + "' is not a channel; use ws, push, email or sms";
}

nlohmann::ordered_json event_json(const store::OutboxEvent& event) {
    nlohmann::ordered_json object;
    object["id"] = event.id;
    object["created"] = event.created;
    object["channel"] = event.channel;
    object["event"] = event.event;
    object["user_id"] = event.user_id ? nlohmann::ordered_json(*event.user_id) : nullptr;
    object["thread_id"] = event.thread_id ? nlohmann::ordered_json(*event.thread_id) : nullptr;
    object["payload"] = event.payload;
    return object;
}

// JSON lines whatever --format says (SPEC §9): a deliverer reads them as a stream.
ExitCode run_list(const store::OutboxFilter& filter, Context& context) {
    auto events = conversation_store(context, store::Access::read).outbox(filter);
    for (const auto& event : events) {
        context.out << json_line(event_json(event)) << '\n';
    }
    if (!context.wants_json() && !context.options.is_quiet) {
        context.err << plural(static_cast<std::int64_t>(events.size()), "event") << '\n';
    }
    return ExitCode::success;
}

}  // namespace

void register_outbox_list(CLI::App& outbox, CommandTable& commands, Context& context) {
    auto filter = std::make_shared<store::OutboxFilter>();
    auto* app = outbox.add_subcommand("list", "Print waiting events as JSON lines, by id");
    app->add_option("--channel", filter->channel, "Only this channel: ws, push, email or sms")
        ->check(check_channel)
        ->option_text("CHANNEL");
    app->add_option("--after", filter->after, "Only events with an id above ID (default 0)")
        ->check(CLI::Range(std::int64_t{0}, std::numeric_limits<std::int64_t>::max()))
        ->option_text("ID");
    app->add_option("--limit", filter->limit, "At most N events")
        ->check(CLI::Range(std::int64_t{0}, std::numeric_limits<std::int64_t>::max()))
        ->option_text("N");
    commands.emplace_back(app, [filter, &context] { return run_list(*filter, context); });
}

}  // namespace chat::cli
