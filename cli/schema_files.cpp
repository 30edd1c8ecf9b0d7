#include "schema_files.hpp"

#include "input_files.hpp"
#include "text_table.hpp"

#include <chat/schema.hpp>

#include <algorithm>

namespace chat::cli {
namespace {

void check_one(InputText input, const Config& config, CheckedFiles& files) {
    if (input.is_too_large) {
        auto size = input.is_size_known ? std::optional(input.size) : std::nullopt;
        files.reports.push_back({input.name, {schema::oversized_file(input.name, size)}});
        files.schemas.emplace_back();
        return;
    }
    auto format = schema::detect_format(input.name, input.text);
    auto& source = files.sources[input.name] = SourceText(std::move(input.text));
    CollectingSink sink;
    files.schemas.push_back(schema::validate_schema(source, input.name, format, config, sink));
    files.reports.push_back({input.name, sink.take()});
}

// After --strict promoted warnings, a file with a promoted warning is not a usable schema.
void drop_rejected_schemas(CheckedFiles& files) {
    for (std::size_t i = 0; i < files.reports.size(); ++i) {
        if (count_diagnostics({files.reports[i]}).errors > 0) {
            files.schemas[i].reset();
        }
    }
}

}  // namespace

CheckedFiles check_schema_files(Context& context, const std::vector<std::string>& inputs,
                                bool is_strict) {
    if (std::count(inputs.begin(), inputs.end(), "-") > 1) {
        throw ReportedFailure{report_error(context, ExitCode::usage, "USAGE",
                                           "standard input ('-') can be read only once")};
    }
    auto expanded = expand_inputs(inputs);
    if (auto* missing = std::get_if<std::string>(&expanded)) {
        throw ReportedFailure{
            report_error(context, ExitCode::not_found, "FILE_NOT_FOUND", *missing)};
    }
    const Config& config = context.config();
    CheckedFiles files;
    for (const auto& path : std::get<std::vector<std::string>>(expanded)) {
        auto input = read_input(path, schema::k_max_file_bytes);
        if (auto* failure = std::get_if<std::string>(&input)) {
            throw ReportedFailure{
                report_error(context, ExitCode::not_found, "FILE_NOT_FOUND", *failure)};
        }
        check_one(std::get<InputText>(std::move(input)), config, files);
    }
    if (is_strict) {
        promote_warnings(files.reports);
        drop_rejected_schemas(files);
    }
    return files;
}

void print_diagnostics(Context& context, const CheckedFiles& files) {
    SourceLookup lookup = [&files](const std::string& file) -> const SourceText* {
        auto it = files.sources.find(file);
        return it == files.sources.end() ? nullptr : &it->second;
    };
    render_text(context.err, files.reports, lookup, context.use_color);
    if (!context.options.is_quiet) {
        auto counts = count_diagnostics(files.reports);
        context.err << plural(counts.errors, "error") << " and "
                    << plural(counts.warnings, "warning") << " in "
                    << plural(static_cast<int>(files.reports.size()), "file") << '\n';
    }
}

}  // namespace chat::cli
