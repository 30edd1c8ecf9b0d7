// chatctl schema import FILE... : validate, then store every file as a version, atomically.

#include "commands.hpp"
#include "schema_files.hpp"
#include "schema_output.hpp"

#include <memory>

namespace chat::cli {
namespace {

struct ImportCommandOptions {
    std::vector<std::string> inputs;
    bool is_strict = false;
    store::ImportOptions import;
};

std::string describe(const store::ImportResult& result) {
    std::string line =
        result.version.label() + ": " + std::string(store::outcome_name(result.outcome));
    if (result.is_newly_published) {
        line += ", published";
    } else {
        line += " (" + std::string(store::status_name(result.version.status)) + ")";
    }
    for (auto deprecated : result.deprecated_versions) {
        line += ", deprecated " + result.version.name + "@" + std::to_string(deprecated);
    }
    return line + " from " + result.source;
}

nlohmann::ordered_json result_json(const store::ImportResult& result) {
    nlohmann::ordered_json object;
    object["file"] = result.source;
    object["outcome"] = store::outcome_name(result.outcome);
    object["newly_published"] = result.is_newly_published;
    object["deprecated_versions"] = result.deprecated_versions;
    object["schema"] = version_json(result.version);
    return object;
}

void print(Context& context, const CheckedFiles& files,
           const std::vector<store::ImportResult>& results) {
    if (context.wants_json()) {
        nlohmann::ordered_json document = render_json(files.reports);
        document["imported"] = nlohmann::ordered_json::array();
        for (const auto& result : results) {
            document["imported"].push_back(result_json(result));
        }
        context.out << json_text(document) << '\n';
        return;
    }
    auto counts = count_diagnostics(files.reports);
    if (counts.errors + counts.warnings > 0) {
        print_diagnostics(context, files);
    }
    if (!context.options.is_quiet) {
        for (const auto& result : results) {
            context.out << describe(result) << '\n';
        }
    }
}

ExitCode run_import(const ImportCommandOptions& options, Context& context) {
    CheckedFiles files = check_schema_files(context, options.inputs, options.is_strict);
    if (files.has_errors()) {
        print(context, files, {});
        return ExitCode::rejected;
    }
    std::vector<store::ImportRequest> requests;
    for (std::size_t i = 0; i < files.reports.size(); ++i) {
        requests.push_back({files.reports[i].file, std::move(*files.schemas[i])});
    }
    store::ImportOptions import = options.import;
    import.allow_edit_published = context.config().allow_edit_published_schemas;
    auto results = schema_store(context, store::Access::create).import_schemas(requests, import);
    print(context, files, results);
    return ExitCode::success;
}

}  // namespace

void register_schema_import(CLI::App& schema, CommandTable& commands, Context& context) {
    auto options = std::make_shared<ImportCommandOptions>();
    auto* app = schema.add_subcommand(
        "import", "Validate schema files and store each as a new draft version");
    app->add_option("FILE", options->inputs, "Schema files (.yaml, .yml, .json), folders, or -")
        ->required();
    app->add_flag("--publish", options->import.publish, "Publish what was imported");
    auto* keep =
        app->add_flag("--keep-version", options->import.keep_version,
                      "Store under the file's 'version' (fails if taken by other content)");
    app->add_flag("--replace-draft", options->import.replace_draft,
                  "Overwrite the newest version if it is a draft nobody uses")
        ->excludes(keep);
    app->add_flag("--strict", options->is_strict, "Treat warnings as errors");
    commands.emplace_back(app, [options, &context] { return run_import(*options, context); });
}

}  // namespace chat::cli
