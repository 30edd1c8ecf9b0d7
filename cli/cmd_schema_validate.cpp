// chatctl schema validate FILE... : the content author's compiler.

#include "commands.hpp"
#include "input_files.hpp"

#include <chat/diagnostic_render.hpp>
#include <chat/schema.hpp>

#include <algorithm>
#include <map>
#include <memory>

namespace chat::cli {
namespace {

struct ValidateOptions {
    std::vector<std::string> inputs;
    bool is_strict = false;
};

struct ValidatedFiles {
    std::vector<FileDiagnostics> reports;
    std::map<std::string, SourceText> sources;
};

FileDiagnostics validate_one(InputText input, ValidatedFiles& files) {
    if (input.is_too_large) {
        auto size = input.is_size_known ? std::optional(input.size) : std::nullopt;
        return {input.name, {schema::oversized_file(input.name, size)}};
    }
    auto format = schema::detect_format(input.name, input.text);
    auto& source = files.sources[input.name] = SourceText(std::move(input.text));
    CollectingSink sink;
    schema::validate_schema(source, input.name, format, Config{}, sink);
    return {input.name, sink.take()};
}

void print_summary(Context& context, const DiagnosticCounts& counts, std::size_t file_count) {
    auto plural = [](int n, const char* word) {
        return std::to_string(n) + " " + word + (n == 1 ? "" : "s");
    };
    context.err << plural(counts.errors, "error") << " and " << plural(counts.warnings, "warning")
                << " in " << plural(static_cast<int>(file_count), "file") << '\n';
}

void render(Context& context, const ValidatedFiles& files) {
    switch (context.options.format) {
        case OutputFormat::text: {
            SourceLookup lookup = [&files](const std::string& file) -> const SourceText* {
                auto it = files.sources.find(file);
                return it == files.sources.end() ? nullptr : &it->second;
            };
            render_text(context.err, files.reports, lookup, context.use_color);
            if (!context.options.is_quiet) {
                print_summary(context, count_diagnostics(files.reports), files.reports.size());
            }
            break;
        }
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
    if (std::count(options.inputs.begin(), options.inputs.end(), "-") > 1) {
        return report_error(context, ExitCode::usage, "USAGE",
                            "standard input ('-') can be read only once");
    }
    auto expanded = expand_inputs(options.inputs);
    if (auto* missing = std::get_if<std::string>(&expanded)) {
        return report_error(context, ExitCode::not_found, "FILE_NOT_FOUND", *missing);
    }
    ValidatedFiles files;
    for (const auto& path : std::get<std::vector<std::string>>(expanded)) {
        auto input = read_input(path, schema::k_max_file_bytes);
        if (auto* failure = std::get_if<std::string>(&input)) {
            return report_error(context, ExitCode::not_found, "FILE_NOT_FOUND", *failure);
        }
        files.reports.push_back(validate_one(std::get<InputText>(std::move(input)), files));
    }
    if (options.is_strict) {
        promote_warnings(files.reports);
    }
    render(context, files);
    return count_diagnostics(files.reports).errors > 0 ? ExitCode::rejected : ExitCode::success;
}

}  // namespace

void register_schema_validate(CLI::App& schema, CommandTable& commands, Context& context) {
    auto options = std::make_shared<ValidateOptions>();
    auto* app = schema.add_subcommand(
        "validate", "Check schema files like a compiler (see man chatctl-schema)");
    app->add_option("FILE", options->inputs, "Schema files (.yaml, .yml, .json), folders, or -")
        ->required();
    app->add_flag("--strict", options->is_strict, "Treat warnings as errors");
    commands.push_back({app, [options, &context] { return run_validate(*options, context); }});
}

}  // namespace chat::cli
