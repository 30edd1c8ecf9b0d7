// chatctl survey create --user U --schema NAME[@VERSION] [--key K]

#include "commands.hpp"
#include "schema_output.hpp"
#include "survey_output.hpp"

#include <limits>
#include <memory>

namespace chat::cli {
namespace {

struct CreateOptions {
    std::int64_t user_id = 0;
    std::string schema;
    std::optional<std::string> key;
};

ExitCode run_create(const CreateOptions& options, Context& context) {
    store::NewSurvey request{options.user_id, read_reference(context, options.schema), options.key};
    print_survey(context, survey_store(context, store::Access::write).create(request));
    return ExitCode::success;
}

}  // namespace

void register_survey_create(CLI::App& survey, CommandTable& commands, Context& context) {
    auto options = std::make_shared<CreateOptions>();
    auto* app = survey.add_subcommand("create", "Start a survey of a user on a published schema");
    app->add_option("--user", options->user_id, "The user who answers")
        ->required()
        ->check(CLI::Range(std::int64_t{1}, std::numeric_limits<std::int64_t>::max()))
        ->option_text("ID");
    app->add_option("--schema", options->schema,
                    "NAME (its published version) or NAME@N (must be the published one)")
        ->required()
        ->option_text("NAME[@N]");
    app->add_option("--key", options->key, "A unique name for the survey, for scripts")
        ->option_text("KEY");
    commands.emplace_back(app, [options, &context] { return run_create(*options, context); });
}

}  // namespace chat::cli
