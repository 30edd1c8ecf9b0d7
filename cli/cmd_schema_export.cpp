// chatctl schema export NAME[@VERSION] [-o FILE] [--as yaml|json]

#include "commands.hpp"
#include "output_file.hpp"
#include "schema_output.hpp"

#include <chat/schema_export.hpp>

#include <filesystem>
#include <memory>

namespace chat::cli {
namespace {

struct ExportOptions {
    std::string reference;
    std::optional<std::string> output;
    std::optional<std::string> as;
};

schema::ExportFormat format_for(const ExportOptions& options, const Context& context) {
    if (options.as) {
        return *options.as == "json" ? schema::ExportFormat::json : schema::ExportFormat::yaml;
    }
    if (options.output) {
        return std::filesystem::path(*options.output).extension() == ".json"
                   ? schema::ExportFormat::json
                   : schema::ExportFormat::yaml;
    }
    return context.wants_json() ? schema::ExportFormat::json : schema::ExportFormat::yaml;
}

ExitCode run_export(const ExportOptions& options, Context& context) {
    auto reference = read_reference(context, options.reference);
    auto format = format_for(options, context);
    if (context.wants_json() && !options.output && format == schema::ExportFormat::yaml) {
        return report_error(context, ExitCode::usage, "USAGE",
                            "--format json prints JSON: use --as json, or -o FILE for YAML");
    }
    if (options.output && is_database_file(*options.output, context.options.database_path)) {
        return report_error(context, ExitCode::usage, "USAGE",
                            "-o '" + *options.output + "' would overwrite the database");
    }
    auto stored = schema_store(context, store::Access::read).load(reference);
    std::string text = schema::write_schema(stored.schema, format);
    if (!options.output) {
        context.out << text;
        return ExitCode::success;
    }
    if (auto failure = write_file_atomically(*options.output, text)) {
        return report_error(context, ExitCode::not_found, "FILE_NOT_WRITTEN",
                            "cannot write '" + *options.output + "': " + *failure);
    }
    if (context.wants_json()) {
        nlohmann::ordered_json document;
        document["schema"] = version_json(stored.version);
        document["file"] = *options.output;
        document["as"] = format == schema::ExportFormat::json ? "json" : "yaml";
        context.out << json_text(document) << '\n';
    } else if (!context.options.is_quiet) {
        context.err << "exported " << stored.version.label() << " to " << *options.output << '\n';
    }
    return ExitCode::success;
}

}  // namespace

void register_schema_export(CLI::App& schema, CommandTable& commands, Context& context) {
    auto options = std::make_shared<ExportOptions>();
    auto* app = schema.add_subcommand(
        "export", "Write a stored version as a schema file that imports back unchanged");
    app->add_option("NAME[@VERSION]", options->reference,
                    "The version (default: the published one)")
        ->required();
    app->add_option("-o,--output", options->output, "Write to FILE instead of standard output")
        ->option_text("FILE");
    app->add_option("--as", options->as,
                    "yaml or json (default: from the -o extension, else yaml; json with "
                    "--format json)")
        ->check(CLI::IsMember({"yaml", "json"}));
    commands.emplace_back(app, [options, &context] { return run_export(*options, context); });
}

}  // namespace chat::cli
