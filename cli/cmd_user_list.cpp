// chatctl user list [--limit N] [--offset M]

#include "commands.hpp"
#include "text_table.hpp"
#include "user_output.hpp"

#include <limits>
#include <memory>

namespace chat::cli {
namespace {

struct ListOptions {
    std::optional<std::int64_t> limit;
    std::int64_t offset = 0;
};

void print_text(Context& context, const store::UserList& list) {
    TextTable table({"ID", "NAME", "EMAIL", "LANGUAGE", "ROLES"});
    for (const auto& user : list.users) {
        std::string roles;
        for (const auto& role : user.roles) {
            roles += (roles.empty() ? "" : ",") + role;
        }
        table.add({std::to_string(user.id), display_name(user), user.email.value_or("-"),
                   user.language.value_or("-"), roles.empty() ? "-" : roles});
    }
    if (!list.users.empty()) {
        table.print(context.out);
    }
    if (!context.options.is_quiet) {
        context.err << plural(static_cast<std::int64_t>(list.users.size()), "user") << " of "
                    << list.total << '\n';
    }
}

ExitCode run_list(const ListOptions& options, Context& context) {
    auto list = user_store(context, store::Access::read).list(options.limit, options.offset);
    if (context.wants_json()) {
        nlohmann::ordered_json document;
        document["users"] = nlohmann::ordered_json::array();
        for (const auto& user : list.users) {
            document["users"].push_back(store::user_json(user));
        }
        document["total"] = list.total;
        document["offset"] = options.offset;
        document["limit"] = options.limit ? nlohmann::ordered_json(*options.limit) : nullptr;
        context.out << json_text(document) << '\n';
    } else {
        print_text(context, list);
    }
    return ExitCode::success;
}

}  // namespace

void register_user_list(CLI::App& user, CommandTable& commands, Context& context) {
    auto options = std::make_shared<ListOptions>();
    auto* app = user.add_subcommand("list", "List users by id");
    app->add_option("--limit", options->limit, "At most N users")
        ->check(CLI::Range(std::int64_t{0}, std::numeric_limits<std::int64_t>::max()))
        ->option_text("N");
    app->add_option("--offset", options->offset, "Skip the first M users")
        ->check(CLI::Range(std::int64_t{0}, std::numeric_limits<std::int64_t>::max()))
        ->option_text("M");
    commands.emplace_back(app, [options, &context] { return run_list(*options, context); });
}

}  // namespace chat::cli
