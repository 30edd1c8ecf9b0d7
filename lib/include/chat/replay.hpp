#pragma once
/// Conversation scripts (SPEC §11): YAML files of steps with expectations, run against the
/// database, each script in its own transaction, so that authors test schemas end to end.

#include <chat/clock.hpp>
#include <chat/config.hpp>
#include <chat/diagnostics.hpp>
#include <chat/store.hpp>

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace chat::replay {

/// Why a script failed: the step, where it is, and what was expected and found.
struct ScriptFailure {
    std::int64_t line = 0;  // of the step (or of the problem, for a malformed script)
    std::int64_t step = 0;  // 1-based; 0 for a problem before the steps
    std::string kind;       // the step kind ("send"), empty before the steps
    std::string message;    // "expected ..., got ..."
};

struct ScriptResult {
    std::string file;
    std::string name;        // the script's `name`, else the file name
    std::int64_t steps = 0;  // steps run
    bool passed = false;
    std::vector<ScriptFailure> failures;  // one; more for a malformed script
    double seconds = 0;

    /// `FILE:LINE: step N (kind): MESSAGE` for each failure.
    std::vector<std::string> report_lines() const;
};

struct ReplayOptions {
    bool dry_run = false;            // roll every script back
    std::optional<TimePoint> start;  // the clock of a script without `now` (default: now)
};

/// Runs the script file against `database` in one transaction, committed when every step
/// passed (and not `dry_run`), rolled back otherwise. A script that cannot be read or parsed
/// is a failed result, never an exception; database failures (locked, corrupt) throw
/// chat::Error.
ScriptResult run_script(store::Database& database, const Config& config, const std::string& path,
                        const ReplayOptions& options);

}  // namespace chat::replay
