// chatctl replay FILE... [--dry-run] [--junit FILE]

#include "commands.hpp"
#include "output_file.hpp"
#include "text_table.hpp"

#include <chat/replay.hpp>

#include <filesystem>
#include <memory>
#include <sstream>

namespace chat::cli {
namespace {

struct ReplayCommandOptions {
    std::vector<std::string> files;
    bool dry_run = false;
    std::optional<std::string> junit;
};

std::string xml_escaped(const std::string& text) {
    std::string escaped;
    for (char c : text) {
        switch (c) {
            case '&':
                escaped += "&amp;";
                break;
            case '<':
                escaped += "&lt;";
                break;
            case '>':
                escaped += "&gt;";
                break;
            case '"':
                escaped += "&quot;";
                break;
            default:
                escaped += c;
        }
    }
    return escaped;
}

// JUnit XML: one test case per script, its failure lines as the failure message.
std::string junit_report(const std::vector<replay::ScriptResult>& results) {
    std::int64_t failures = 0;
    double seconds = 0;
    for (const auto& result : results) {
        failures += result.passed ? 0 : 1;
        seconds += result.seconds;
    }
    std::ostringstream xml;
    xml << "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
        << "<testsuite name=\"chatctl replay\" tests=\"" << results.size() << "\" failures=\""
        << failures << "\" errors=\"0\" time=\"" << seconds << "\">\n";
    for (const auto& result : results) {
        xml << "  <testcase classname=\"" << xml_escaped(result.file) << "\" name=\""
            << xml_escaped(result.name) << "\" time=\"" << result.seconds << "\"";
        if (result.passed) {
            xml << "/>\n";
            continue;
        }
        auto lines = result.report_lines();
        xml << ">\n    <failure message=\"" << xml_escaped(lines.front()) << "\">";
        for (const auto& line : lines) {
            xml << xml_escaped(line) << '\n';
        }
        xml << "</failure>\n  </testcase>\n";
    }
    xml << "</testsuite>\n";
    return xml.str();
}

nlohmann::ordered_json result_json(const replay::ScriptResult& result) {
    nlohmann::ordered_json json;
    json["file"] = result.file;
    json["name"] = result.name;
    json["passed"] = result.passed;
    json["steps"] = result.steps;
    json["failures"] = nlohmann::ordered_json::array();
    for (const auto& failure : result.failures) {
        json["failures"].push_back({{"line", failure.line},
                                    {"step", failure.step},
                                    {"kind", failure.kind},
                                    {"message", failure.message}});
    }
    return json;
}

ExitCode run_replay(const ReplayCommandOptions& options, Context& context) {
    for (const auto& file : options.files) {
        std::error_code error;
        if (!std::filesystem::is_regular_file(file, error)) {
            return report_error(context, ExitCode::not_found, "FILE_NOT_FOUND",
                                "cannot read script '" + file + "'");
        }
    }
    // The report file is checked first: the scripts would otherwise commit and then fail.
    if (options.junit) {
        if (is_database_file(*options.junit, context.options.database_path)) {
            return report_error(context, ExitCode::usage, "USAGE",
                                "--junit '" + *options.junit + "' is the database");
        }
        if (auto problem = probe_writable(*options.junit)) {
            return report_error(context, ExitCode::not_found, "FILE_NOT_WRITTEN",
                                "cannot write '" + *options.junit + "': " + *problem);
        }
    }
    auto& database = context.database(store::Access::create);
    replay::ReplayOptions replay_options;
    replay_options.dry_run = options.dry_run;
    replay_options.start = context.options.now;
    std::vector<replay::ScriptResult> results;
    for (const auto& file : options.files) {
        results.push_back(replay::run_script(database, context.config(), file, replay_options));
    }
    std::int64_t failed = 0;
    for (const auto& result : results) {
        failed += result.passed ? 0 : 1;
    }
    auto passed = static_cast<std::int64_t>(results.size()) - failed;
    if (options.junit) {
        if (auto problem = write_file_atomically(*options.junit, junit_report(results))) {
            return report_error(context, ExitCode::not_found, "FILE_NOT_WRITTEN",
                                "cannot write '" + *options.junit + "': " + *problem);
        }
    }
    if (context.wants_json()) {
        nlohmann::ordered_json document;
        document["scripts"] = nlohmann::ordered_json::array();
        for (const auto& result : results) {
            document["scripts"].push_back(result_json(result));
        }
        document["passed"] = passed;
        document["failed"] = failed;
        document["dry_run"] = options.dry_run;
        context.out << json_text(document) << '\n';
    } else {
        for (const auto& result : results) {
            context.out << (result.passed ? "ok    " : "FAIL  ") << result.file << "  "
                        << result.name << " (" << plural(result.steps, "step") << ")\n";
            for (const auto& line : result.report_lines()) {
                context.err << line << '\n';
            }
        }
    }
    if (!context.options.is_quiet) {
        context.err << plural(static_cast<std::int64_t>(results.size()), "script") << ": " << passed
                    << " passed, " << failed << " failed"
                    << (options.dry_run ? " (dry run: nothing kept)" : "") << '\n';
    }
    return failed > 0 ? ExitCode::rejected : ExitCode::success;
}

}  // namespace

void register_replay(CLI::App& app, CommandTable& commands, Context& context) {
    auto options = std::make_shared<ReplayCommandOptions>();
    auto* replay = app.add_subcommand(
        "replay", "Run conversation scripts with expectations (see man chatctl-replay)");
    replay->add_option("FILE", options->files, "Script files (YAML)")->required();
    replay->add_flag("--dry-run", options->dry_run, "Roll every script back");
    replay->add_option("--junit", options->junit, "Also write a JUnit XML report")
        ->option_text("FILE");
    commands.emplace_back(replay, [options, &context] { return run_replay(*options, context); });
}

}  // namespace chat::cli
