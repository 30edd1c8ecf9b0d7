#pragma once
/// Conversation scripts (SPEC §11): YAML files of steps with expectations, run against the
/// database, each script in its own transaction, so that authors test schemas end to end.
/// Stream mode: JSON lines of the same steps, applied in batches (bulk loads, migrations).

#include <chat/clock.hpp>
#include <chat/config.hpp>
#include <chat/diagnostics.hpp>
#include <chat/store.hpp>

#include <cstdint>
#include <istream>
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

enum class OnError {
    stop,  // commit the lines before the failing one and stop
    skip,  // roll the failing line back alone and go on
};

struct StreamOptions {
    std::int64_t batch_size = 10'000;  // steps applied per transaction (at least 1)
    OnError on_error = OnError::stop;
    std::int64_t resume_from = 1;  // the first line to apply (1-based)
    /// Start after the line recorded as committed for `key` (line 1 when none is recorded)
    /// instead of at resume_from.
    bool resume = false;
    /// The stream's name in the stream_progress table, under which each batch records the
    /// last line it covers, in its own transaction: the file's canonical absolute path, "-"
    /// for standard input.
    std::string key = "-";
    /// Fixed clock: the step on a line runs at this time plus one second per step line
    /// before it (plus advance_clock). None: each step runs at the computer's time (plus
    /// advance_clock).
    std::optional<TimePoint> start;
};

/// A line that could not be applied. `code` is MALFORMED_LINE (not JSON, not UTF-8, longer
/// than k_max_stream_line_bytes), INVALID_STEP (not one step of a known kind with the
/// fields it takes), EXPECTATION_FAILED (an expect step that does not hold), or the code of
/// the refused action (NO_PERMISSIONS, INVALID_ANSWER, ...).
struct StreamFailure {
    std::int64_t line = 0;    // 1-based
    std::int64_t column = 0;  // 1-based, in characters: where reading failed, else the step's
    std::string code;
    std::string message;
};

/// How far a stream has come, for a progress bar.
struct StreamProgress {
    std::int64_t line = 0;     // the last line read
    std::uint64_t bytes = 0;   // bytes read so far
    std::int64_t applied = 0;  // steps applied so far, committed or not
    std::int64_t skipped = 0;
    double seconds = 0;
};

/// Told what happens while a stream runs; the library itself prints nothing.
class StreamObserver {
public:
    virtual ~StreamObserver() = default;
    /// Every failing line, in order, as soon as it fails.
    virtual void failed(const StreamFailure& /*failure*/) {}
    /// Now and then (every few hundred lines) and at each commit.
    virtual void progressed(const StreamProgress& /*progress*/) {}
    /// After each batch commits: every line up to `progress.line` is in the database.
    virtual void committed(const StreamProgress& /*progress*/) {}
    /// With StreamOptions::resume, before the first line: the last line recorded as committed
    /// for the stream, after which it starts; none when nothing is recorded (it starts at 1).
    virtual void resuming(std::optional<std::int64_t> /*committed_line*/) {}
};

/// Longest line a stream may have; a longer one is a MALFORMED_LINE failure, never held whole
/// in memory.
inline constexpr std::size_t k_max_stream_line_bytes = std::size_t{16} << 20;
/// How many failures a StreamSummary lists (it counts them all).
inline constexpr std::size_t k_max_listed_failures = 1000;

struct StreamSummary {
    std::string file;
    std::int64_t first_line = 1;     // --resume-from, or the line after the recorded one
    std::int64_t last_line = 0;      // the last line read (0: none)
    std::int64_t applied = 0;        // steps applied and committed
    std::int64_t skipped = 0;        // failing lines skipped (--on-error skip)
    std::int64_t messages = 0;       // messages created by the committed steps
    std::int64_t unread_rows = 0;    // unread rows created with those messages
    std::int64_t outbox_events = 0;  // outbox events created by the committed steps
    std::int64_t batches = 0;        // transactions committed
    double seconds = 0;
    /// The line the stream stopped at: the failing line (stop), or where the database failed.
    std::optional<std::int64_t> stopped_at;
    /// When the stream stopped: the first line not committed, where --resume starts (and the
    /// line to pass to --resume-from).
    std::optional<std::int64_t> resume_from;
    /// The failing lines (with stop, the one it stopped at), the first k_max_listed_failures.
    std::vector<StreamFailure> failures;
    /// The database problem that stopped the stream (locked, full, corrupt): the open batch
    /// was rolled back, the committed ones stay.
    std::optional<Error> database_error;
};

/// Applies the steps of `in`, one JSON object per line (`{"send": {"as": 3, ...}}`, the kinds
/// and fields of script steps), to `database` through the same stores as the commands: every
/// step is checked and stored as a command would (unread rows, outbox events). Blank lines are
/// skipped. Steps are committed `batch_size` at a time, each in a savepoint, so that a failing
/// step changes nothing; each commit also records the last line its batch covers (applied or
/// failed and skipped) under `options.key`, in the same transaction. Memory is bounded by the
/// longest line, whatever the input size.
/// `name` is the input's name for the summary. Never throws for the input or a database
/// problem (see StreamSummary::database_error); throws only what a bug would.
StreamSummary run_stream(store::Database& database, const Config& config, std::istream& in,
                         const std::string& name, const StreamOptions& options,
                         StreamObserver& observer);

}  // namespace chat::replay
