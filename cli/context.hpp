#pragma once
// What every command needs, read once from the command line and the environment by main.

#include "exit_code.hpp"

#include <CLI/CLI.hpp>
#include <nlohmann/json.hpp>

#include <functional>
#include <iosfwd>
#include <string>
#include <vector>

namespace chat::cli {

enum class OutputFormat { text, json, sarif, github };

struct GlobalOptions {
    OutputFormat format = OutputFormat::text;
    bool is_quiet = false;
};

struct Context {
    std::ostream& out;
    std::ostream& err;
    bool use_color = false;  // stderr is a terminal and NO_COLOR is unset
    GlobalOptions options;
};

/// A subcommand and the function that runs it once its options are parsed.
struct Command {
    CLI::App* app = nullptr;
    std::function<ExitCode()> run;
};
using CommandTable = std::vector<Command>;

/// A JSON document as text for stdout. Bytes that are not UTF-8 (in a file name, say) are
/// replaced rather than aborting the output.
inline std::string json_text(const nlohmann::json& document) {
    return document.dump(2, ' ', false, nlohmann::json::error_handler_t::replace);
}

/// The one error printer: `chatctl: error: MESSAGE` on stderr, and with --format json also
/// `{"error": {"code", "message", "details"}}` on stdout. Returns `exit_code`.
ExitCode report_error(Context& context, ExitCode exit_code, const std::string& code,
                      const std::string& message);

}  // namespace chat::cli
