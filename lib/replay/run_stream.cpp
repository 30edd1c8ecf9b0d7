// Stream mode of replay (SPEC §11): JSON lines of script steps applied in batches, each step
// in a savepoint of its batch's transaction. Hot path (SPEC §14): benchmark changes with
// scripts/bench.

#include <chat/replay.hpp>

#include "replay/script_steps.hpp"
#include "schema/parse_json.hpp"
#include "schema/text_position.hpp"
#include "store/connection.hpp"
#include "store/stream_progress.hpp"
#include "survey/json_line_scanner.hpp"

#include <algorithm>
#include <chrono>
#include <optional>
#include <string>

namespace chat::replay {
namespace {

using schema::Node;
using schema::NodeKind;

static_assert(k_max_stream_line_bytes == k_max_response_line_bytes,
              "streams read their lines with the survey line reader and its limit");

bool is_blank_line(std::string_view line) {
    return line.find_first_not_of(" \t\r") == std::string_view::npos;
}

// Why a line is not one step, before any field is read.
struct LineProblem {
    std::int64_t column = 1;
    std::string code;
    std::string message;
};

// The step of a line: its kind and fields, or why the line is not a step.
struct ParsedLine {
    Node document;
    std::string kind;
    std::optional<LineProblem> problem;

    // The step's fields (a line without a problem has one entry, its kind).
    const Node& body() const { return document.entries.front().value; }
};

ParsedLine parse_line(std::string_view line) {
    ParsedLine parsed;
    auto fail = [&](std::int64_t column, std::string code, std::string message) {
        parsed.problem = LineProblem{column, std::move(code), std::move(message)};
        return std::move(parsed);
    };
    if (auto invalid = schema::find_invalid_utf8(line)) {
        // The reader's message speaks of schema files.
        std::string message = invalid->message.substr(0, invalid->message.find(';'));
        return fail(invalid->position.column, "MALFORMED_LINE", message + "; a stream is UTF-8");
    }
    auto result = schema::parse_json(line);
    if (auto* failure = std::get_if<schema::ParseFailure>(&result)) {
        return fail(failure->position.column, "MALFORMED_LINE",
                    "invalid JSON: " + failure->message);
    }
    parsed.document = std::get<Node>(std::move(result));
    const Node& step = parsed.document;
    std::int64_t column = step.position.column;
    if (step.kind != NodeKind::mapping) {
        return fail(
            column, "INVALID_STEP",
            "a step is a JSON object like {\"send\": {...}}, not " + schema::describe(step));
    }
    if (step.entries.empty()) {
        return fail(column, "INVALID_STEP", "a step needs a kind");
    }
    for (const auto& entry : step.entries) {
        if (entry.key.text == "error") {
            return fail(entry.key.position.column, "INVALID_STEP",
                        "error expectations are for scripts: a stream step applies or fails");
        }
    }
    if (step.entries.size() > 1) {
        return fail(step.entries[1].key.position.column, "INVALID_STEP",
                    "a step has one kind; '" + step.entries[1].key.text + "' is a second");
    }
    parsed.kind = step.entries.front().key.text;
    if (auto problem = ScriptRunner::kind_problem(parsed.kind)) {
        return fail(step.entries.front().key.position.column, "INVALID_STEP", *problem);
    }
    return parsed;
}

// The clock the steps see. Fixed: the start time plus one second per step line (as in a
// script), so that the times depend only on the input, and a resumed stream stores what an
// uninterrupted one would. Otherwise the computer's time, so that a long stream is not dated
// hours ahead. advance_clock moves both on.
class StreamClock {
public:
    explicit StreamClock(std::optional<TimePoint> start)
        : m_is_fixed(start.has_value()), m_clock(start ? *start : SystemClock().now()) {}

    FixedClock& clock() { return m_clock; }

    void before_step() {
        if (!m_is_fixed) {
            m_clock.advance(SystemClock().now() + m_offset - m_clock.now());
        }
        m_step_start = m_clock.now();
    }

    void after_step() {
        if (m_is_fixed) {
            m_clock.advance(std::chrono::seconds(1));
        } else {
            m_offset += m_clock.now() - m_step_start;
        }
    }

private:
    bool m_is_fixed;
    FixedClock m_clock;
    std::chrono::milliseconds m_offset{0};
    TimePoint m_step_start;
};

// What the committed steps created. Messages and outbox events are the rows above the largest
// ids seen when their batch began (the write lock is held all along); unread rows are counted
// after each step that created messages, before a later read can delete them.
class RowCounter {
public:
    explicit RowCounter(SQLite::Database& sql)
        : m_max_message(sql, "SELECT coalesce(max(id), 0) FROM messages"),
          m_max_event(sql, "SELECT coalesce(max(id), 0) FROM outbox"),
          m_messages(sql, "SELECT count(*) FROM messages WHERE id > ?1"),
          m_unread(sql, "SELECT count(*) FROM unread_messages WHERE message_id > ?1"),
          m_events(sql, "SELECT count(*) FROM outbox WHERE id > ?1") {}

    struct Counts {
        std::int64_t messages = 0;
        std::int64_t unread_rows = 0;
        std::int64_t outbox_events = 0;
    };

    void begin_batch() {
        m_batch_message_mark = single(m_max_message);
        m_step_message_mark = m_batch_message_mark;
        m_event_mark = single(m_max_event);
        m_batch_unread = 0;
    }

    // After a step that was applied.
    void count_step() {
        std::int64_t newest = single(m_max_message);
        if (newest > m_step_message_mark) {
            m_unread.bind(1, m_step_message_mark);
            m_batch_unread += single(m_unread);
            m_step_message_mark = newest;
        }
    }

    // Before the commit; added to the summary once it has committed.
    Counts count_batch() {
        Counts counts;
        m_messages.bind(1, m_batch_message_mark);
        counts.messages = single(m_messages);
        counts.unread_rows = m_batch_unread;
        m_events.bind(1, m_event_mark);
        counts.outbox_events = single(m_events);
        return counts;
    }

private:
    static std::int64_t single(SQLite::Statement& statement) {
        statement.executeStep();
        std::int64_t value = statement.getColumn(0).getInt64();
        statement.reset();
        return value;
    }

    SQLite::Statement m_max_message;
    SQLite::Statement m_max_event;
    SQLite::Statement m_messages;
    SQLite::Statement m_unread;
    SQLite::Statement m_events;
    std::int64_t m_batch_message_mark = 0;
    std::int64_t m_step_message_mark = 0;
    std::int64_t m_event_mark = 0;
    std::int64_t m_batch_unread = 0;
};

// The savepoint each step runs in, inside its batch's transaction: a failing step is rolled
// back alone. Prepared once: parsing SAVEPOINT and RELEASE for every step shows in profiles.
class StepSavepoint {
public:
    explicit StepSavepoint(store::Database& database)
        : m_connection(database.connection()),
          m_begin(m_connection.sql, "SAVEPOINT chatctl_stream_step"),
          m_release(m_connection.sql, "RELEASE chatctl_stream_step"),
          m_rollback(m_connection.sql, "ROLLBACK TO chatctl_stream_step") {}

    void begin() { run(m_begin); }
    void release() { run(m_release); }
    // ROLLBACK TO keeps the savepoint open: released after it.
    void roll_back() {
        ++m_connection.row_changes;  // the stores' cached rows may hold the step's writes
        run(m_rollback);
        run(m_release);
    }

private:
    static void run(SQLite::Statement& statement) {
        statement.exec();
        statement.reset();
    }

    store::Database::Connection& m_connection;
    SQLite::Statement m_begin;
    SQLite::Statement m_release;
    SQLite::Statement m_rollback;
};

class StreamRun {
public:
    StreamRun(store::Database& database, const Config& config, const StreamOptions& options,
              StreamObserver& observer, StreamSummary& summary)
        : m_database(database),
          m_options(options),
          m_observer(observer),
          m_summary(summary),
          m_clock(options.start),
          m_runner(database, config, m_clock.clock(), {}),
          m_counter(store::sql_of(database)),
          m_savepoint(database),
          m_progress(database, options.key),
          m_first_line(options.resume_from),
          m_committed_line(options.resume_from - 1) {}

    // Reads every line; returns after the last one, or at the failing line with stop.
    void read_all(std::istream& in) {
        if (m_options.resume) {
            resume_after_recorded_line();
        }
        survey::LineReader reader(in);
        std::string_view line;
        bool is_too_long = false;
        for (std::int64_t number = 1; reader.next(line, is_too_long); ++number) {
            m_bytes += line.size() + 1;
            m_summary.last_line = number;
            bool is_step = is_too_long || !is_blank_line(line);
            if (is_step && number < m_first_line) {
                move_clock_as(line, is_too_long);
            } else if (is_step && !apply_line(number, line, is_too_long) &&
                       m_options.on_error == OnError::stop) {
                commit_batch(number - 1);
                m_summary.stopped_at = number;
                m_summary.resume_from = number;
                return;
            }
            if (m_batch_applied >= m_options.batch_size) {
                commit_batch(number);
            }
            if (number % k_progress_lines == 0) {
                m_observer.progressed(progress(number));
            }
        }
        commit_batch(m_summary.last_line);
    }

    // After a database failure: the open batch is rolled back; the stream starts over after
    // the last line committed (and recorded).
    void abandon_batch() {
        m_transaction.reset();
        m_summary.stopped_at = m_summary.last_line;
        m_summary.resume_from = m_committed_line + 1;
    }

private:
    static constexpr std::int64_t k_progress_lines = 256;

    // --resume: the lines up to the recorded one are read and not applied, as with
    // --resume-from.
    void resume_after_recorded_line() {
        auto recorded = m_progress.committed_line();
        m_observer.resuming(recorded);
        m_committed_line = recorded.value_or(0);
        m_first_line = m_committed_line + 1;
        m_summary.first_line = m_first_line;
    }

    // Applies the step of one line in a savepoint; false after reporting why it failed.
    bool apply_line(std::int64_t number, std::string_view line, bool is_too_long) {
        m_clock.before_step();
        std::optional<StreamFailure> failure;
        if (is_too_long) {
            failure = StreamFailure{number, 1, "MALFORMED_LINE",
                                    "the line is longer than " +
                                        std::to_string(k_max_stream_line_bytes >> 20) + " MiB"};
        } else {
            failure = apply_step(number, line);
        }
        m_clock.after_step();
        if (!failure) {
            ++m_batch_applied;
            return true;
        }
        if (m_options.on_error == OnError::skip) {
            ++m_summary.skipped;
        }
        if (m_summary.failures.size() < k_max_listed_failures) {
            m_summary.failures.push_back(*failure);
        }
        m_observer.failed(*failure);
        return false;
    }

    std::optional<StreamFailure> apply_step(std::int64_t number, std::string_view line) {
        ParsedLine parsed = parse_line(line);
        if (parsed.problem) {
            return StreamFailure{number, parsed.problem->column, parsed.problem->code,
                                 parsed.problem->message};
        }
        begin_batch();
        std::int64_t column = parsed.document.position.column;
        m_savepoint.begin();
        try {
            m_runner.run_step(parsed.kind, parsed.body());
        } catch (const StepFailure& failure) {
            m_savepoint.roll_back();
            std::string code = parsed.kind == "expect" ? "EXPECTATION_FAILED" : "INVALID_STEP";
            return StreamFailure{number, column, code, failure.message};
        } catch (const Error& error) {
            if (error.kind() == ErrorKind::database) {
                throw;  // the batch is rolled back
            }
            m_savepoint.roll_back();
            return StreamFailure{number, column, error.code(), error.what()};
        }
        m_savepoint.release();
        m_counter.count_step();
        return std::nullopt;
    }

    // A line before --resume-from is not applied, but an advance_clock there still moves the
    // clock (it changes nothing else), so that the resumed steps run at the same times.
    void move_clock_as(std::string_view line, bool is_too_long) {
        constexpr std::string_view k_kind = "advance_clock";
        bool may_move = !is_too_long && std::search(line.begin(), line.end(), k_kind.begin(),
                                                    k_kind.end()) != line.end();
        m_clock.before_step();
        if (may_move) {
            ParsedLine parsed = parse_line(line);
            if (!parsed.problem && parsed.kind == k_kind) {
                try {
                    m_runner.run_step(parsed.kind, parsed.body());
                } catch (const StepFailure&) {  // NOLINT(bugprone-empty-catch)
                    // The line failed when it was applied, and did not move the clock then.
                }
            }
        }
        m_clock.after_step();
    }

    void begin_batch() {
        if (m_transaction) {
            return;
        }
        m_transaction.emplace(m_database);
        m_counter.begin_batch();
    }

    // Commits the open batch with the progress row saying that every line up to `last_line`
    // is covered (applied, or failed and skipped). Lines covered without a step applied (blank,
    // malformed or skipped ones) get a transaction of their own, so that --resume does not
    // apply or report them again.
    void commit_batch(std::int64_t last_line) {
        bool covers_new_lines = last_line > m_committed_line;
        if (!m_transaction && !covers_new_lines) {
            return;
        }
        begin_batch();
        if (covers_new_lines) {
            m_progress.record(last_line, format_time(m_clock.clock().now()));
        }
        auto counts = m_counter.count_batch();
        m_transaction->commit();
        m_transaction.reset();
        m_committed_line = std::max(m_committed_line, last_line);
        m_summary.messages += counts.messages;
        m_summary.unread_rows += counts.unread_rows;
        m_summary.outbox_events += counts.outbox_events;
        if (m_batch_applied == 0) {
            return;  // its only step failed
        }
        m_summary.applied += m_batch_applied;
        m_applied_before_batch = m_summary.applied;
        m_batch_applied = 0;
        ++m_summary.batches;
        m_observer.committed(progress(last_line));
    }

    StreamProgress progress(std::int64_t line) const {
        StreamProgress now;
        now.line = line;
        now.bytes = m_bytes;
        now.applied = m_applied_before_batch + m_batch_applied;
        now.skipped = m_summary.skipped;
        now.seconds =
            std::chrono::duration<double>(std::chrono::steady_clock::now() - m_started).count();
        return now;
    }

    store::Database& m_database;
    const StreamOptions& m_options;
    StreamObserver& m_observer;
    StreamSummary& m_summary;
    StreamClock m_clock;
    ScriptRunner m_runner;
    RowCounter m_counter;
    StepSavepoint m_savepoint;
    store::StreamProgressRow m_progress;
    std::optional<store::WriteTransaction> m_transaction;
    std::int64_t m_first_line;      // the first line to apply
    std::int64_t m_committed_line;  // the last line committed, or the one before m_first_line
    std::int64_t m_batch_applied = 0;
    std::int64_t m_applied_before_batch = 0;
    std::uint64_t m_bytes = 0;
    std::chrono::steady_clock::time_point m_started = std::chrono::steady_clock::now();
};

}  // namespace

StreamSummary run_stream(store::Database& database, const Config& config, std::istream& in,
                         const std::string& name, const StreamOptions& options,
                         StreamObserver& observer) {
    auto started = std::chrono::steady_clock::now();
    StreamSummary summary;
    summary.file = name;
    summary.first_line = options.resume_from;
    try {
        store::translating_sqlite_errors(database, [&] {
            StreamRun run(database, config, options, observer, summary);
            try {
                run.read_all(in);
            } catch (...) {
                run.abandon_batch();
                throw;
            }
        });
    } catch (const Error& error) {
        if (error.kind() != ErrorKind::database) {
            throw;
        }
        summary.database_error = error;
    }
    summary.seconds =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
    return summary;
}

}  // namespace chat::replay
