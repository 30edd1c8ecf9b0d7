// chatctl schema validate FILE... : the content author's compiler.

#include "commands.hpp"
#include "schema_files.hpp"

#include <chat/diagnostic_render.hpp>

#include <memory>

namespace chat::cli {
namespace {

struct ValidateOptions {
    std::vector<std::string> inputs;
    bool is_strict = false;
};

void render(Context& context, const CheckedFiles& files) {
    switch (context.options.format) {
        case OutputFormat::text:
            print_diagnostics(context, files);
            break;
        case OutputFormat::json:
            context.out << json_text(render_json(files.reports)) << '\n';
            break;
        case OutputFormat::sarif:
            context.out << json_text(render_sarif(files.reports, CHAT_VERSION)) << '\n';
            break;
        case OutputFormat::github:
            render_github(context.out, files.reports);
            break;
    }
}

ExitCode run_validate(const ValidateOptions& options, Context& context) {
    CheckedFiles files = check_schema_files(context, options.inputs, options.is_strict);
    render(context, files);
    return files.has_errors() ? ExitCode::rejected : ExitCode::success;
}

}  // namespace

void register_schema_validate(CLI::App& schema, CommandTable& commands, Context& context) {
    auto options = std::make_shared<ValidateOptions>();
    auto* app = schema.add_subcommand(
        "validate", "Check schema files like a compiler (see man chatctl-schema)");
    app->add_option("FILE", options->inputs, "Schema files (.yaml, .yml, .json), folders, or -")
        ->required();
    app->add_flag("--strict", options->is_strict, "Treat warnings as errors");
    commands.emplace_back(app, [options, &context] { return run_validate(*options, context); });
}

}  // namespace chat::cli
