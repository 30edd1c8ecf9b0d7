// chatctl user show ID

#include "commands.hpp"
#include "user_output.hpp"

#include <limits>
#include <memory>

namespace chat::cli {
namespace {

ExitCode run_show(std::int64_t id, Context& context) {
    auto user = user_store(context, store::Access::read).get(id);
    if (context.wants_json()) {
        nlohmann::ordered_json document;
        document["user"] = store::user_json(user);
        context.out << json_text(document) << '\n';
    } else {
        print_user_text(context, user);
    }
    return ExitCode::success;
}

}  // namespace

void register_user_show(CLI::App& user, CommandTable& commands, Context& context) {
    auto id = std::make_shared<std::int64_t>(0);
    auto* app = user.add_subcommand("show", "Show a user");
    app->add_option("ID", *id, "The user's id")
        ->required()
        ->check(CLI::Range(std::int64_t{1}, std::numeric_limits<std::int64_t>::max()));
    commands.emplace_back(app, [id, &context] { return run_show(*id, context); });
}

}  // namespace chat::cli
