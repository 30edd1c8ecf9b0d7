// chatctl: builds the command line from the command table, runs the chosen command and maps
// every failure to an exit code of SPEC §13.

#include "commands.hpp"
#include "context.hpp"

#include <chat/clock.hpp>
#include <chat/diagnostics.hpp>
#include <chat/error.hpp>
#include <chat/spelling.hpp>

#include <CLI/CLI.hpp>
#include <nlohmann/json.hpp>

#include <unistd.h>
#include <cstdlib>
#include <iostream>
#include <optional>
#include <string_view>
#include <vector>

namespace chat::cli {
namespace {

constexpr const char* k_footer =
    "Exit codes: 0 success, 1 input rejected, 2 usage, 3 not found, 4 database, 70 internal.\n"
    "Full documentation: man chatctl, man chatctl-schema, man chatctl-user, man chatctl-survey,\n"
    "man chatctl-conversation, man chatctl-replay, man chatctl-db, man 5 chatctl-db.";

bool wants_color() {
    const char* no_color = std::getenv("NO_COLOR");
    const char* term = std::getenv("TERM");
    bool is_dumb = term && std::string_view(term) == "dumb";
    return isatty(STDERR_FILENO) && !(no_color && *no_color) && !is_dumb;
}

constexpr std::pair<std::string_view, OutputFormat> k_formats[] = {
    {"text", OutputFormat::text},
    {"json", OutputFormat::json},
    {"sarif", OutputFormat::sarif},
    {"github", OutputFormat::github}};

std::optional<OutputFormat> format_named(std::string_view name) {
    for (const auto& [format_name, format] : k_formats) {
        if (format_name == name) {
            return format;
        }
    }
    return std::nullopt;
}

std::string check_format_name(const std::string& name) {
    return format_named(name) ? ""
                              : "'" + name +
                                    "' is not an output format; use text, json, sarif "
                                    "or github";
}

std::string check_time(const std::string& text) {
    return parse_time(text)
               ? ""
               : "'" + text + "' is not a time; write YYYY-MM-DDTHH:MM[:SS[.fff]][Z|+HH:MM]";
}

void add_global_options(CLI::App& app, Context& context) {
    GlobalOptions& options = context.options;
    app.add_option_function<std::string>(
           "--format",
           [&options](const std::string& name) { options.format = *format_named(name); },
           "Output: text, json (one JSON document on stdout); schema validate also takes sarif "
           "and github")
        ->check(check_format_name)
        ->option_text("FORMAT");
    app.add_option("--db", options.database_path,
                   "SQLite database file (default $CHATCTL_DB, else ./chat.db)")
        ->check([](const std::string& path) {
            return path.empty() ? "the database path is empty" : "";
        })
        ->option_text("PATH");
    app.add_option_function<std::string>(
           "--config", [&options](const std::string& path) { options.config_path = path; },
           "Configuration file (default $CHATCTL_CONFIG, else ./chatctl.yaml if present)")
        ->check([](const std::string& path) {
            return path.empty() ? "the configuration path is empty" : "";
        })
        ->option_text("FILE");
    app.add_option_function<std::string>(
           "--now", [&options](const std::string& text) { options.now = parse_time(text); },
           "Fix the clock (default $CHATCTL_NOW, else the system clock)")
        ->check(check_time)
        ->option_text("TIME");
    app.add_option_function<std::int64_t>(
           "--busy-timeout",
           [&options](std::int64_t ms) { options.busy_timeout = std::chrono::milliseconds(ms); },
           "How long to wait for another writer, in ms (default 5000)")
        ->check(CLI::Range(std::int64_t{0}, std::int64_t{3'600'000}))
        ->option_text("MS");
    app.add_flag("-q,--quiet", options.is_quiet, "Print only results, diagnostics and errors");
    app.add_flag("-v,--verbose", options.is_verbose,
                 "Also say which database and configuration are used");
    app.set_version_flag("--version", std::string("chatctl ") + CHAT_VERSION);
}

// The value of an environment variable that stands in for an option the command line did not
// give (an empty value counts as unset).
const char* default_from_environment(const CLI::App& app, const char* option, const char* name) {
    const char* value = std::getenv(name);
    bool is_given = app.get_option(option)->count() > 0;
    return (value && *value && !is_given) ? value : nullptr;
}

// After parsing, so that --help and --version work whatever the environment holds and a bad
// value is reported in the --format asked for.
ExitCode read_environment(Context& context, const CLI::App& app) {
    if (const char* path = default_from_environment(app, "--db", "CHATCTL_DB")) {
        context.options.database_path = path;
    }
    if (const char* path = default_from_environment(app, "--config", "CHATCTL_CONFIG")) {
        context.options.config_path = path;
    }
    if (const char* now = default_from_environment(app, "--now", "CHATCTL_NOW")) {
        context.options.now = parse_time(now);
        if (!context.options.now) {
            context.command_path = "chatctl";
            return report_error(context, ExitCode::usage, "USAGE",
                                "CHATCTL_NOW: " + check_time(now));
        }
    }
    return ExitCode::success;
}

bool takes_value(const CLI::App& app, const std::string& token) {
    std::string name = token.substr(0, token.find('='));
    for (const CLI::App* scope = &app; scope != nullptr; scope = scope->get_parent()) {
        if (const CLI::Option* option = scope->get_option_no_throw(name)) {
            return token.find('=') == std::string::npos && option->get_items_expected_min() > 0;
        }
    }
    return false;
}

const CLI::App* subcommand_named(const CLI::App& app, const std::string& name) {
    for (const CLI::App* sub : app.get_subcommands([](const CLI::App*) { return true; })) {
        if (sub->get_name() == name) {
            return sub;
        }
    }
    return nullptr;
}

std::string names_of(const std::vector<const CLI::App*>& apps) {
    std::string names;
    for (const CLI::App* app : apps) {
        names += (names.empty() ? "" : ", ") + app->get_name();
    }
    return names;
}

// What CLI11 reports about command words ("a subcommand is required") names neither the word
// nor the choices. This walks the words as CLI11 would and says which one is wrong or missing.
struct CommandWords {
    std::string path = "chatctl";  // the commands recognised, for "Run 'PATH --help'"
    std::optional<std::string> problem;
};

CommandWords read_command_words(const CLI::App& app, const std::vector<std::string>& args) {
    CommandWords words;
    const CLI::App* current = &app;
    for (std::size_t i = 0; i < args.size() && args[i] != "--"; ++i) {
        const std::string& token = args[i];
        if (token.size() > 1 && token[0] == '-') {
            i += takes_value(*current, token) ? 1 : 0;
            continue;
        }
        auto subcommands = current->get_subcommands([](const CLI::App*) { return true; });
        if (subcommands.empty()) {
            return words;  // a positional argument of the command
        }
        if (const CLI::App* sub = subcommand_named(*current, token)) {
            words.path += " " + sub->get_name();
            current = sub;
            continue;
        }
        std::vector<std::string_view> names;
        for (const CLI::App* sub : subcommands) {
            names.push_back(sub->get_name());
        }
        std::string message = "unknown command '" + token + "' for '" + words.path + "'";
        if (auto suggestion = nearest_word(token, names)) {
            message += "; did you mean '" + words.path + " " + std::string(*suggestion) + "'?";
        } else {
            message += "; the commands are " + names_of(subcommands);
        }
        words.problem = std::move(message);
        return words;
    }
    auto subcommands = current->get_subcommands([](const CLI::App*) { return true; });
    if (!subcommands.empty()) {
        words.problem = "'" + words.path + "' needs a command: " + names_of(subcommands);
    }
    return words;
}

void build_schema_group(CLI::App& app, CommandTable& commands, Context& context) {
    auto* schema =
        app.add_subcommand("schema", "Check, store and publish schemas (see man chatctl-schema)");
    schema->require_subcommand(1);
    schema->footer("See man chatctl-schema.");
    register_schema_validate(*schema, commands, context);
    register_schema_import(*schema, commands, context);
    register_schema_export(*schema, commands, context);
    register_schema_publish(*schema, commands, context);
    register_schema_copy(*schema, commands, context);
    register_schema_list(*schema, commands, context);
    register_schema_show(*schema, commands, context);
    register_schema_delete(*schema, commands, context);
}

void build_user_group(CLI::App& app, CommandTable& commands, Context& context) {
    auto* user = app.add_subcommand("user", "Add and show users (see man chatctl-user)");
    user->require_subcommand(1);
    user->footer("See man chatctl-user.");
    register_user_add(*user, commands, context);
    register_user_show(*user, commands, context);
    register_user_list(*user, commands, context);
}

void build_survey_group(CLI::App& app, CommandTable& commands, Context& context) {
    auto* survey = app.add_subcommand(
        "survey", "Answer surveys and compute their state (see man chatctl-survey)");
    survey->require_subcommand(1);
    survey->footer("See man chatctl-survey.");
    register_survey_create(*survey, commands, context);
    register_survey_answer(*survey, commands, context);
    register_survey_delete_answer(*survey, commands, context);
    register_survey_state(*survey, commands, context);
    register_survey_list(*survey, commands, context);
}

void build_thread_group(CLI::App& app, CommandTable& commands, Context& context) {
    auto* thread = app.add_subcommand(
        "thread", "Create, show and list threads (see man chatctl-conversation)");
    thread->require_subcommand(1);
    thread->footer("See man chatctl-conversation.");
    register_thread_create(*thread, commands, context);
    register_thread_show(*thread, commands, context);
    register_thread_list(*thread, commands, context);
    register_thread_members(*thread, commands, context);
    register_thread_typing(*thread, commands, context);
    register_thread_subscribe(*thread, commands, context);
}

void build_member_group(CLI::App& app, CommandTable& commands, Context& context) {
    auto* member = app.add_subcommand(
        "member", "Add, change and remove thread members (see man chatctl-conversation)");
    member->require_subcommand(1);
    member->footer("See man chatctl-conversation.");
    register_member_add(*member, commands, context);
    register_member_set(*member, commands, context);
    register_member_remove(*member, commands, context);
    register_member_rollback(*member, commands, context);
    register_member_assist(*member, commands, context);
}

void build_message_group(CLI::App& app, CommandTable& commands, Context& context) {
    auto* message = app.add_subcommand(
        "message", "Send, edit, delete and list messages (see man chatctl-conversation)");
    message->require_subcommand(1);
    message->footer("See man chatctl-conversation.");
    register_message_send(*message, commands, context);
    register_message_edit(*message, commands, context);
    register_message_delete(*message, commands, context);
    register_message_list(*message, commands, context);
}

void build_outbox_group(CLI::App& app, CommandTable& commands, Context& context) {
    auto* outbox = app.add_subcommand(
        "outbox", "List and acknowledge notification events (see man chatctl-conversation)");
    outbox->require_subcommand(1);
    outbox->footer("See man chatctl-conversation.");
    register_outbox_list(*outbox, commands, context);
    register_outbox_ack(*outbox, commands, context);
}

void build_db_group(CLI::App& app, CommandTable& commands, Context& context) {
    auto* db = app.add_subcommand("db", "Inspect the database (see man chatctl-db)");
    db->require_subcommand(1);
    db->footer("See man chatctl-db and man 5 chatctl-db.");
    register_db_info(*db, commands, context);
    register_db_check(*db, commands, context);
}

ExitCode run_command(Context& context, const Command& command) {
    bool is_validate = command.app->get_name() == "validate";
    if (!is_validate && (context.options.format == OutputFormat::sarif ||
                         context.options.format == OutputFormat::github)) {
        context.options.format = OutputFormat::text;
        context.command_path = "chatctl";
        return report_error(context, ExitCode::usage, "USAGE",
                            "--format sarif and github are for 'schema validate' only");
    }
    try {
        context.config();  // a named or broken configuration file is an error for every command
        return command.run();
    } catch (const Error& error) {
        return report_error(context, exit_code_of(error), error.code(), error.what(),
                            error.details());
    } catch (const ReportedFailure& failure) {
        return failure.exit_code;
    }
}

bool is_about_global_option(const std::string& message) {
    for (const char* option : {"--format", "--db", "--config", "--now", "--busy-timeout"}) {
        if (message.starts_with(std::string(option) + ":") ||
            message.starts_with(std::string(option) + " ")) {
            return true;
        }
    }
    return false;
}

ExitCode report_usage(Context& context, const CLI::App& app, const CLI::ParseError& error,
                      const std::vector<std::string>& args) {
    CommandWords words = read_command_words(app, args);
    std::string message = error.what();
    bool is_about_command_words = dynamic_cast<const CLI::ExtrasError*>(&error) != nullptr ||
                                  message.find("subcommand") != std::string::npos;
    if (words.problem && is_about_command_words) {
        message = *words.problem;
    }
    // CLI11's own wording for a missing or repeated value ("1 required TEXT missing").
    if (message.starts_with("--format:") && message.find("missing") != std::string::npos) {
        message = "--format needs a value: text, json, sarif or github";
    } else if (message.starts_with("--format:") && message.find("At Most") != std::string::npos) {
        message = "--format can be given only once";
    }
    if (!message.empty() && message.back() == '\n') {
        message.pop_back();
    }
    // CLI11 capitalises its messages; ours start lower-case (but "FILE" stays as it is).
    if (message.size() > 1 && std::islower(static_cast<unsigned char>(message[1]))) {
        message[0] = static_cast<char>(std::tolower(static_cast<unsigned char>(message[0])));
    }
    // A mistake in a global option is explained by 'chatctl --help', not by the command's.
    context.command_path = is_about_global_option(message) ? "chatctl" : words.path;
    return report_error(context, ExitCode::usage, "USAGE", message);
}

ExitCode run(int argc, char** argv, Context& context) {
    CLI::App app("chatctl: schema-driven automated chats and surveys", "chatctl");
    app.footer(k_footer);
    app.require_subcommand(1);
    app.fallthrough();
    add_global_options(app, context);
    CommandTable commands;
    build_schema_group(app, commands, context);
    build_user_group(app, commands, context);
    build_survey_group(app, commands, context);
    build_thread_group(app, commands, context);
    build_member_group(app, commands, context);
    build_message_group(app, commands, context);
    register_read(app, commands, context);
    register_unread(app, commands, context);
    build_outbox_group(app, commands, context);
    register_replay(app, commands, context);
    build_db_group(app, commands, context);
    std::vector<std::string> original_args(argv + 1, argv + argc);
    // CLI11 takes the arguments last first and consumes the vector it is given.
    std::vector<std::string> args(original_args.rbegin(), original_args.rend());
    try {
        app.parse(args);
    } catch (const CLI::CallForHelp& help) {
        return static_cast<ExitCode>(app.exit(help, context.out, context.err));
    } catch (const CLI::CallForVersion& version) {
        return static_cast<ExitCode>(app.exit(version, context.out, context.err));
    } catch (const CLI::ParseError& error) {
        return report_usage(context, app, error, original_args);
    }
    context.command_path = read_command_words(app, original_args).path;
    if (auto failure = read_environment(context, app); failure != ExitCode::success) {
        return failure;
    }
    for (const auto& command : commands) {
        if (command.app->parsed()) {
            return run_command(context, command);
        }
    }
    return ExitCode::usage;
}

}  // namespace

ExitCode report_error(Context& context, ExitCode exit_code, const std::string& code,
                      const std::string& message, const nlohmann::json& details) {
    context.err << "chatctl: error: " << message << '\n';
    if (exit_code == ExitCode::usage) {
        context.err << "Run '" << (context.command_path.empty() ? "chatctl" : context.command_path)
                    << " --help' for usage.\n";
    }
    if (context.options.format == OutputFormat::json) {
        nlohmann::json error = {{"code", code}, {"message", message}, {"details", details}};
        context.out << json_text(nlohmann::json{{"error", error}}) << '\n';
    }
    return exit_code;
}

}  // namespace chat::cli

int main(int argc, char** argv) {
    using namespace chat::cli;
    Context context(std::cout, std::cerr, wants_color());
    context.shows_progress = isatty(STDERR_FILENO) != 0;
    try {
        return static_cast<int>(run(argc, argv, context));
    } catch (const std::bad_alloc&) {
        return static_cast<int>(
            report_error(context, ExitCode::internal, "INTERNAL", "out of memory"));
    } catch (const std::exception& error) {
        return static_cast<int>(
            report_error(context, ExitCode::internal, "INTERNAL",
                         std::string("internal error (please report): ") + error.what()));
    }
}
