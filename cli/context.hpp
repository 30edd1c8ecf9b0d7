#pragma once
// What every command needs, read once from the command line and the environment by main.

#include "exit_code.hpp"

#include <chat/clock.hpp>
#include <chat/config.hpp>
#include <chat/store.hpp>

#include <CLI/CLI.hpp>
#include <nlohmann/json.hpp>

#include <chrono>
#include <functional>
#include <iosfwd>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace chat::cli {

enum class OutputFormat { text, json, sarif, github };

struct GlobalOptions {
    OutputFormat format = OutputFormat::text;
    bool is_quiet = false;
    bool is_verbose = false;
    std::string database_path = "chat.db";         // --db, $CHATCTL_DB
    std::optional<std::string> config_path;        // --config, $CHATCTL_CONFIG
    std::optional<TimePoint> now;                  // --now, $CHATCTL_NOW
    std::chrono::milliseconds busy_timeout{5000};  // --busy-timeout
};

/// A failure already reported to the user; main only turns it into the exit code.
struct ReportedFailure {
    ExitCode exit_code;
};

class Context {
public:
    Context(std::ostream& out_stream, std::ostream& err_stream, bool color)
        : out(out_stream), err(err_stream), use_color(color) {}

    std::ostream& out;
    std::ostream& err;
    bool use_color = false;       // stderr is a terminal and NO_COLOR is unset
    bool shows_progress = false;  // stderr is a terminal: long batches draw a progress line
    GlobalOptions options;
    /// The command words once parsed ("chatctl schema show"), for the help hint of usage errors.
    std::string command_path;

    /// The configuration (SPEC §12), read on first use. A missing or invalid file is reported
    /// here and thrown as ReportedFailure.
    const Config& config();
    /// The clock: fixed by --now, else the computer's.
    Clock& clock();
    /// The database, opened on first use (chat::Error when it cannot be).
    store::Database& database(store::Access access);

    bool wants_json() const { return options.format == OutputFormat::json; }

private:
    std::string describe_config_source() const;

    std::optional<Config> m_config;
    std::unique_ptr<Clock> m_clock;
    std::optional<store::Database> m_database;
};

/// A subcommand and the function that runs it once its options are parsed.
struct Command {
    Command(CLI::App* command_app, std::function<ExitCode()> command_run)
        : app(command_app), run(std::move(command_run)) {}
    CLI::App* app = nullptr;
    std::function<ExitCode()> run;
};
using CommandTable = std::vector<Command>;

/// A JSON document as text for stdout. Bytes that are not UTF-8 (in a file name, say) are
/// replaced rather than aborting the output.
inline std::string json_text(const nlohmann::json& document) {
    return document.dump(2, ' ', false, nlohmann::json::error_handler_t::replace);
}
inline std::string json_text(const nlohmann::ordered_json& document) {
    return document.dump(2, ' ', false, nlohmann::ordered_json::error_handler_t::replace);
}

/// The one error printer: `chatctl: error: MESSAGE` on stderr (for a usage error followed by
/// `Run 'COMMAND --help' for usage.`), and with --format json also
/// `{"error": {"code", "message", "details"}}` on stdout. Returns `exit_code`.
ExitCode report_error(Context& context, ExitCode exit_code, const std::string& code,
                      const std::string& message, const nlohmann::json& details = nullptr);

/// The exit code of SPEC §13 for a library error.
ExitCode exit_code_of(const Error& error);

}  // namespace chat::cli
