// chatctl survey state SURVEY
// chatctl survey state --all [--batch-size N] [--dry-run]
// chatctl survey state --schema FILE|NAME[@VERSION] --responses FILE|-

#include "commands.hpp"
#include "schema_files.hpp"
#include "schema_output.hpp"
#include "survey_output.hpp"
#include "text_table.hpp"

#include <chat/survey_responses.hpp>

#include <filesystem>
#include <fstream>
#include <iostream>
#include <limits>
#include <memory>

namespace chat::cli {
namespace {

struct StateOptions {
    std::optional<std::string> survey;
    bool all = false;
    std::optional<std::int64_t> batch_size;  // default 10,000
    bool dry_run = false;
    std::optional<std::string> schema;
    std::optional<std::string> responses;
};

// Malformed response lines as diagnostics on stderr: FILE:LINE:COLUMN: error: MESSAGE.
class MalformedLinePrinter final : public MalformedLineSink {
public:
    MalformedLinePrinter(std::ostream& err, std::string file)
        : m_err(err), m_file(std::move(file)) {}
    void malformed(const MalformedLine& line) override {
        m_err << m_file << ':' << line.line << ':' << line.column << ": error: " << line.message
              << '\n';
    }

private:
    std::ostream& m_err;
    std::string m_file;
};

// The schema of stateless mode: a schema file when the text names one (it exists, has a '/',
// ends in .yaml, .yml or .json, or is '-'), else a stored version (NAME, NAME@latest, NAME@N).
bool names_schema_file(const std::string& text) {
    std::error_code error;
    return text == "-" || std::filesystem::exists(text, error) ||
           text.find('/') != std::string::npos || text.ends_with(".yaml") ||
           text.ends_with(".yml") || text.ends_with(".json");
}

RuntimeSchema stateless_schema(Context& context, const std::string& text) {
    if (names_schema_file(text)) {
        CheckedFiles files = check_schema_files(context, {text}, false);
        if (files.has_errors()) {
            print_diagnostics(context, files);
            if (context.wants_json()) {
                report_error(context, ExitCode::rejected, "INVALID_SCHEMA",
                             "schema file '" + text + "' has errors");
            }
            throw ReportedFailure{ExitCode::rejected};
        }
        return RuntimeSchema(std::move(*files.schemas.front()));
    }
    auto reference = read_reference(context, text);
    return RuntimeSchema(schema_store(context, store::Access::read).load(reference).schema);
}

ExitCode run_stateless(const StateOptions& options, Context& context) {
    if (*options.schema == "-" && *options.responses == "-") {
        return report_error(context, ExitCode::usage, "USAGE",
                            "--schema and --responses cannot both read standard input");
    }
    RuntimeSchema schema = stateless_schema(context, *options.schema);
    std::ifstream file;
    std::string name = *options.responses == "-" ? "<stdin>" : *options.responses;
    if (*options.responses != "-") {
        file.open(*options.responses, std::ios::binary);
        if (!file || std::filesystem::is_directory(*options.responses)) {
            return report_error(context, ExitCode::not_found, "FILE_NOT_FOUND",
                                "cannot read responses file '" + *options.responses + "'");
        }
    }
    std::istream& in = *options.responses == "-" ? std::cin : file;
    MalformedLinePrinter printer(context.err, name);
    ResponseSummary summary = check_responses(schema, in, context.out, printer);
    context.out.flush();
    if (!context.options.is_quiet) {
        context.err << plural(summary.responses, "response") << ": " << summary.complete
                    << " complete, " << summary.invalid << " with errors";
        if (summary.malformed > 0) {
            context.err << "; " << plural(summary.malformed, "malformed line");
        }
        context.err << '\n';
    }
    return summary.malformed > 0 ? ExitCode::rejected : ExitCode::success;
}

void print_recompute(Context& context, const store::RecomputeReport& report, bool dry_run) {
    if (context.wants_json()) {
        nlohmann::ordered_json document;
        document["checked"] = report.checked;
        document["mismatched"] = report.mismatched;
        document["mismatched_ids"] = report.mismatched_ids;
        document["failing"] = report.failing;
        document["failing_ids"] = report.failing_ids;
        document["fixed"] = report.fixed;
        context.out << json_text(document) << '\n';
        return;
    }
    context.out << "checked " << plural(report.checked, "survey") << ": " << report.mismatched
                << " mismatched";
    if (report.mismatched > 0) {
        context.out << (dry_run ? " (not fixed: --dry-run)" : ", fixed");
    }
    context.out << '\n';
    auto list = [&](const char* title, const std::vector<std::int64_t>& ids, std::int64_t count) {
        if (ids.empty()) {
            return;
        }
        context.out << title;
        for (auto id : ids) {
            context.out << ' ' << id;
        }
        context.out << (count > static_cast<std::int64_t>(ids.size()) ? " ...\n" : "\n");
    };
    list("mismatched:", report.mismatched_ids, report.mismatched);
    list("with failing expressions:", report.failing_ids, report.failing);
}

ExitCode run_all(const StateOptions& options, Context& context) {
    bool draws_progress = context.shows_progress && !context.options.is_quiet;
    auto progress = [&](std::int64_t done, std::int64_t total) {
        if (draws_progress) {
            context.err << "\rrecomputing surveys: " << done << '/' << total << " ("
                        << (total > 0 ? done * 100 / total : 100) << "%)" << std::flush;
        }
    };
    auto access = options.dry_run ? store::Access::read : store::Access::write;
    auto report =
        survey_store(context, access)
            .recompute_all(options.batch_size.value_or(10'000), !options.dry_run, progress);
    if (draws_progress) {
        context.err << '\n';
    }
    print_recompute(context, report, options.dry_run);
    return options.dry_run && report.mismatched > 0 ? ExitCode::rejected : ExitCode::success;
}

ExitCode run_state(const StateOptions& options, Context& context) {
    int modes = (options.survey ? 1 : 0) + (options.all ? 1 : 0) +
                (options.schema || options.responses ? 1 : 0);
    if (modes != 1) {
        return report_error(context, ExitCode::usage, "USAGE",
                            "name one survey, or --all, or --schema with --responses");
    }
    if ((options.batch_size || options.dry_run) && !options.all) {
        return report_error(context, ExitCode::usage, "USAGE",
                            "--batch-size and --dry-run go with --all");
    }
    if (options.schema || options.responses) {
        if (!options.schema || !options.responses) {
            return report_error(context, ExitCode::usage, "USAGE",
                                "stateless mode needs both --schema and --responses");
        }
        return run_stateless(options, context);
    }
    if (options.all) {
        return run_all(options, context);
    }
    auto survey = survey_store(context, store::Access::read)
                      .get(store::SurveyReference::parse(*options.survey));
    print_survey(context, survey);
    return ExitCode::success;
}

}  // namespace

void register_survey_state(CLI::App& survey, CommandTable& commands, Context& context) {
    auto options = std::make_shared<StateOptions>();
    auto* app = survey.add_subcommand(
        "state", "Print a survey's state, recompute every stored one, or check responses");
    app->add_option("SURVEY", options->survey, "The survey's id, or the key it was created with");
    app->add_flag("--all", options->all, "Recompute and check every stored survey");
    app->add_option("--batch-size", options->batch_size, "Surveys per transaction with --all")
        ->check(CLI::Range(std::int64_t{1}, std::numeric_limits<std::int64_t>::max()))
        ->option_text("N");
    app->add_flag("--dry-run", options->dry_run,
                  "With --all: report mismatches without fixing them (exit 1 if any)");
    app->add_option("--schema", options->schema,
                    "Stateless mode: a schema file, or a stored NAME[@N]")
        ->option_text("FILE|NAME[@N]");
    app->add_option("--responses", options->responses,
                    "Stateless mode: JSON lines of responses ('-': standard input)")
        ->option_text("FILE");
    commands.emplace_back(app, [options, &context] { return run_state(*options, context); });
}

}  // namespace chat::cli
