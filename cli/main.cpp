// chatctl: builds the command line from the command table, runs the chosen command and maps
// every failure to an exit code of SPEC §13.

#include "commands.hpp"
#include "context.hpp"

#include <chat/diagnostics.hpp>

#include <CLI/CLI.hpp>
#include <nlohmann/json.hpp>

#include <cstdlib>
#include <iostream>
#include <map>
#include <unistd.h>

namespace chat::cli {
namespace {

constexpr const char* k_footer =
    "Exit codes: 0 success, 1 input rejected, 2 usage, 3 not found, 4 database, 70 internal.\n"
    "Full documentation: man chatctl, man chatctl-schema.";

bool wants_color() {
    const char* no_color = std::getenv("NO_COLOR");
    const char* term = std::getenv("TERM");
    bool is_dumb = term && std::string_view(term) == "dumb";
    return isatty(STDERR_FILENO) && !(no_color && *no_color) && !is_dumb;
}

void add_global_options(CLI::App& app, Context& context) {
    static const std::map<std::string, OutputFormat> k_formats = {
        {"text", OutputFormat::text},
        {"json", OutputFormat::json},
        {"sarif", OutputFormat::sarif},
        {"github", OutputFormat::github}};
    app.add_option("--format", context.options.format,
                   "Output: text, json (one JSON document on stdout); schema validate also "
                   "takes sarif and github")
        ->transform(CLI::CheckedTransformer(k_formats, CLI::ignore_case).description(""))
        ->option_text("FORMAT");
    app.add_flag("-q,--quiet", context.options.is_quiet, "Print only diagnostics and errors");
    app.set_version_flag("--version", std::string("chatctl ") + CHAT_VERSION);
}

CLI::App* build_schema_group(CLI::App& app, CommandTable& commands, Context& context) {
    auto* schema = app.add_subcommand("schema", "Check schema files (see man chatctl-schema)");
    schema->require_subcommand(1);
    schema->footer("See man chatctl-schema.");
    register_schema_validate(*schema, commands, context);
    return schema;
}

ExitCode report_usage(Context& context, const CLI::App& app, const CLI::ParseError& error) {
    std::string message = error.what();
    if (!message.empty() && message.back() == '\n') {
        message.pop_back();
    }
    if (!message.empty()) {
        message[0] = static_cast<char>(std::tolower(static_cast<unsigned char>(message[0])));
    }
    report_error(context, ExitCode::usage, "USAGE", message);
    context.err << "Run '" << app.get_name() << " --help' for usage.\n";
    return ExitCode::usage;
}

ExitCode run(int argc, char** argv, Context& context) {
    CLI::App app("chatctl: schema-driven automated chats and surveys", "chatctl");
    app.footer(k_footer);
    app.require_subcommand(1);
    app.fallthrough();
    add_global_options(app, context);
    CommandTable commands;
    build_schema_group(app, commands, context);
    try {
        app.parse(argc, argv);
    } catch (const CLI::CallForHelp& help) {
        return static_cast<ExitCode>(app.exit(help, context.out, context.err));
    } catch (const CLI::CallForVersion& version) {
        return static_cast<ExitCode>(app.exit(version, context.out, context.err));
    } catch (const CLI::ParseError& error) {
        return report_usage(context, app, error);
    }
    for (const auto& command : commands) {
        if (command.app->parsed()) {
            return command.run();
        }
    }
    return ExitCode::usage;
}

}  // namespace

ExitCode report_error(Context& context, ExitCode exit_code, const std::string& code,
                      const std::string& message) {
    context.err << "chatctl: error: " << message << '\n';
    if (context.options.format == OutputFormat::json) {
        nlohmann::json error = {{"code", code}, {"message", message}, {"details", nullptr}};
        context.out << nlohmann::json{{"error", error}}.dump(2) << '\n';
    }
    return exit_code;
}

}  // namespace chat::cli

int main(int argc, char** argv) {
    using namespace chat::cli;
    Context context{std::cout, std::cerr, wants_color(), {}};
    try {
        return static_cast<int>(run(argc, argv, context));
    } catch (const std::bad_alloc&) {
        return static_cast<int>(
            report_error(context, ExitCode::internal, "INTERNAL", "out of memory"));
    } catch (const std::exception& error) {
        return static_cast<int>(report_error(context, ExitCode::internal, "INTERNAL",
                                             std::string("internal error (please report): ") +
                                                 error.what()));
    }
}
