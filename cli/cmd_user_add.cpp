// chatctl user add [--id N] [--email E] [--first-name F] ... [--update]

#include "commands.hpp"
#include "user_output.hpp"

#include <limits>
#include <memory>

namespace chat::cli {
namespace {

struct AddOptions {
    store::UserFields fields;
    std::optional<std::string> profile_text;
    std::vector<std::string> roles;
    bool has_roles = false;
    bool update = false;
};

ExitCode run_add(AddOptions& options, Context& context) {
    if (options.profile_text) {
        auto profile = nlohmann::json::parse(*options.profile_text, nullptr, false);
        if (profile.is_discarded()) {
            return report_error(context, ExitCode::usage, "USAGE",
                                "--profile: '" + *options.profile_text + "' is not JSON");
        }
        options.fields.profile = std::move(profile);
    }
    if (options.has_roles) {
        options.fields.roles = options.roles;
    }
    auto result = user_store(context, store::Access::create).save(options.fields, options.update);
    if (context.wants_json()) {
        nlohmann::ordered_json document;
        document["outcome"] = result.is_new ? "created" : "updated";
        document["user"] = store::user_json(result.user);
        context.out << json_text(document) << '\n';
    } else if (!context.options.is_quiet) {
        context.out << (result.is_new ? "created" : "updated") << " user " << result.user.id << " ("
                    << display_name(result.user) << ")\n";
    }
    return ExitCode::success;
}

}  // namespace

void register_user_add(CLI::App& user, CommandTable& commands, Context& context) {
    auto options = std::make_shared<AddOptions>();
    auto* app = user.add_subcommand("add", "Create a user (with --update: create or change one)");
    app->add_option("--id", options->fields.id, "The user's id (default: the next free one)")
        ->check(CLI::Range(std::int64_t{1}, std::numeric_limits<std::int64_t>::max()))
        ->option_text("N");
    app->add_option("--email", options->fields.email, "E-mail address");
    app->add_option("--first-name", options->fields.first_name, "First name");
    app->add_option("--last-name", options->fields.last_name, "Last name");
    app->add_option("--avatar", options->fields.avatar, "Avatar URL");
    app->add_option("--language", options->fields.language,
                    "Language of the texts the user is shown (en, pl, ...)");
    app->add_option("--role", options->roles, "A role (repeat for several)")
        ->each([options](const std::string&) { options->has_roles = true; });
    app->add_option("--profile", options->profile_text, "Free profile, a JSON object")
        ->option_text("JSON");
    app->add_flag("--update", options->update,
                  "Change the user if the id exists (only the fields given)");
    commands.emplace_back(app, [options, &context] { return run_add(*options, context); });
}

}  // namespace chat::cli
