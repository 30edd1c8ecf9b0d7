// chatctl replay FILE... [--dry-run] [--junit FILE]
// chatctl replay --stream FILE|- [--batch-size N] [--on-error stop|skip]
//                [--resume | --resume-from LINE]

#include "commands.hpp"
#include "output_file.hpp"
#include "text_table.hpp"

#include <chat/diagnostic_render.hpp>
#include <chat/replay.hpp>

#include <sys/stat.h>

#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <limits>
#include <memory>
#include <sstream>

namespace chat::cli {
namespace {

struct ReplayCommandOptions {
    std::vector<std::string> files;
    bool dry_run = false;
    std::optional<std::string> junit;
    std::optional<std::string> stream;
    std::optional<std::int64_t> batch_size;
    std::optional<std::string> on_error;
    std::optional<std::int64_t> resume_from;
    bool resume = false;
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

ExitCode run_scripts(const ReplayCommandOptions& options, Context& context) {
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

// Failures as diagnostics on stderr, as they happen, and a progress line on a terminal.
class StreamReport final : public replay::StreamObserver {
public:
    StreamReport(Context& context, std::string file, std::string key,
                 std::optional<std::uint64_t> total_bytes, replay::OnError on_error)
        : m_context(context),
          m_file(std::move(file)),
          m_key(std::move(key)),
          m_total_bytes(total_bytes),
          m_on_error(on_error),
          m_draws_progress(context.shows_progress && !context.options.is_quiet) {}

    void failed(const replay::StreamFailure& failure) override {
        if (m_context.wants_json()) {
            return;
        }
        Diagnostic diagnostic;
        diagnostic.file = m_file;
        diagnostic.loc = {static_cast<std::uint32_t>(failure.line),
                          static_cast<std::uint32_t>(failure.column)};
        diagnostic.code = failure.code;
        diagnostic.message = failure.message;
        if (m_on_error == replay::OnError::stop) {
            auto line = std::to_string(failure.line);
            diagnostic.notes.push_back(
                {diagnostic.loc, "the stream stops here (--on-error stop): the lines before " +
                                     line +
                                     " are committed, nothing from it on; continue with "
                                     "--resume (or --resume-from " +
                                     line + ")"});
        }
        print(std::move(diagnostic));
    }

    void progressed(const replay::StreamProgress& progress) override { draw(progress); }

    // Where --resume starts, before the first line: also with --format json under -v.
    void resuming(std::optional<std::int64_t> committed_line) override {
        bool is_shown =
            m_context.wants_json() ? m_context.options.is_verbose : !m_context.options.is_quiet;
        if (!is_shown) {
            return;
        }
        if (committed_line) {
            note("resuming at line " + std::to_string(*committed_line + 1) + " (line " +
                 std::to_string(*committed_line) +
                 " is the last line committed by an earlier run)");
        } else {
            note("nothing is recorded as committed for this stream ('" + m_key +
                 "'); starting at line 1");
        }
    }

    void committed(const replay::StreamProgress& progress) override {
        if (m_context.options.is_verbose) {
            clear_progress();
            m_context.err << m_file << ": committed up to line " << progress.line << " ("
                          << plural(progress.applied, "step") << " applied)\n";
        }
        draw(progress);
    }

    // A note without a line or a code: `FILE: note: MESSAGE`.
    void note(const std::string& message) {
        clear_progress();
        m_context.err << m_file << ": note: " << message << '\n';
    }

    void clear_progress() {
        if (m_drawn > 0) {
            m_context.err << '\r' << std::string(m_drawn, ' ') << '\r' << std::flush;
            m_drawn = 0;
        }
    }

private:
    void print(Diagnostic diagnostic) {
        clear_progress();
        std::string file = diagnostic.file;
        SourceLookup no_source = [](const std::string&) -> const SourceText* { return nullptr; };
        render_text(m_context.err, {{file, {std::move(diagnostic)}}}, no_source,
                    m_context.use_color);
    }

    // At most ten times a second: `FILE: line N, R steps/s, P%, ETA M:SS`.
    void draw(const replay::StreamProgress& progress) {
        auto now = std::chrono::steady_clock::now();
        if (!m_draws_progress || now - m_last_draw < std::chrono::milliseconds(100)) {
            return;
        }
        m_last_draw = now;
        std::ostringstream line;
        line << m_file << ": line " << progress.line;
        if (progress.seconds > 0) {
            line << ", "
                 << static_cast<std::int64_t>(static_cast<double>(progress.applied) /
                                              progress.seconds)
                 << " steps/s";
        }
        if (m_total_bytes && *m_total_bytes > 0 && progress.bytes > 0) {
            double done = std::min(
                1.0, static_cast<double>(progress.bytes) / static_cast<double>(*m_total_bytes));
            auto left = static_cast<std::int64_t>(progress.seconds * (1 - done) / done);
            char eta[32];
            std::snprintf(eta, sizeof eta, "%lld:%02lld", static_cast<long long>(left / 60),
                          static_cast<long long>(left % 60));
            line << ", " << static_cast<int>(done * 100) << "%, ETA " << eta;
        }
        std::string text = line.str();
        m_context.err << '\r' << text;
        if (text.size() < m_drawn) {
            m_context.err << std::string(m_drawn - text.size(), ' ');
        }
        m_context.err << std::flush;
        m_drawn = text.size();
    }

    Context& m_context;
    std::string m_file;
    std::string m_key;  // in stream_progress
    std::optional<std::uint64_t> m_total_bytes;
    replay::OnError m_on_error;
    bool m_draws_progress;
    std::size_t m_drawn = 0;  // characters of the progress line on the screen
    std::chrono::steady_clock::time_point m_last_draw;
};

nlohmann::ordered_json stream_json(const replay::StreamSummary& summary) {
    auto optional_line = [](const std::optional<std::int64_t>& line) {
        return line ? nlohmann::ordered_json(*line) : nlohmann::ordered_json();
    };
    nlohmann::ordered_json json;
    json["file"] = summary.file;
    json["first_line"] = summary.first_line;
    json["last_line"] = summary.last_line;
    json["applied"] = summary.applied;
    json["skipped"] = summary.skipped;
    json["messages"] = summary.messages;
    json["unread_rows"] = summary.unread_rows;
    json["outbox_events"] = summary.outbox_events;
    json["batches"] = summary.batches;
    json["seconds"] = summary.seconds;
    json["stopped_at"] = optional_line(summary.stopped_at);
    json["resume_from"] = optional_line(summary.resume_from);
    json["failures"] = nlohmann::ordered_json::array();
    for (const auto& failure : summary.failures) {
        json["failures"].push_back({{"line", failure.line},
                                    {"column", failure.column},
                                    {"code", failure.code},
                                    {"message", failure.message}});
    }
    return json;
}

void print_stream_summary(Context& context, const replay::StreamSummary& summary) {
    auto& out = context.out;
    out << summary.file << ": " << plural(summary.applied, "step") << " applied, "
        << summary.skipped << " skipped";
    if (summary.last_line == summary.first_line) {
        out << " (line " << summary.first_line << ')';
    } else if (summary.last_line > summary.first_line) {
        out << " (lines " << summary.first_line << '-' << summary.last_line << ')';
    } else {
        out << " (no lines from line " << summary.first_line << " on)";
    }
    char seconds[32];
    std::snprintf(seconds, sizeof seconds, "%.3f", summary.seconds);
    out << " in " << seconds << " s\n"
        << plural(summary.messages, "message") << ", " << plural(summary.unread_rows, "unread row")
        << ", " << plural(summary.outbox_events, "outbox event") << '\n';
}

// The input's size when it is a file (for the progress line's ETA).
std::optional<std::uint64_t> input_size(int descriptor) {
    struct stat status {};
    if (fstat(descriptor, &status) != 0 || !S_ISREG(status.st_mode)) {
        return std::nullopt;
    }
    return static_cast<std::uint64_t>(status.st_size);
}

// The stream's key in stream_progress: "-" for standard input, else the file's absolute path
// with its links resolved, so that --resume finds the stream from another folder or through a
// link.
std::string stream_key(const std::string& path) {
    if (path == "-") {
        return path;
    }
    std::error_code error;
    auto absolute = std::filesystem::absolute(path, error);
    if (error) {
        return path;
    }
    auto canonical = std::filesystem::weakly_canonical(absolute, error);
    return error ? absolute.string() : canonical.string();
}

replay::StreamOptions stream_options(const ReplayCommandOptions& options, Context& context) {
    replay::StreamOptions stream;
    stream.batch_size = options.batch_size.value_or(stream.batch_size);
    stream.on_error =
        options.on_error.value_or("stop") == "skip" ? replay::OnError::skip : replay::OnError::stop;
    stream.resume_from = options.resume_from.value_or(1);
    stream.resume = options.resume;
    stream.key = stream_key(*options.stream);
    stream.start = context.options.now;
    return stream;
}

ExitCode run_stream(const ReplayCommandOptions& options, Context& context) {
    const std::string& path = *options.stream;
    bool is_stdin = path == "-";
    std::ifstream file;
    std::optional<std::uint64_t> size;
    if (is_stdin) {
        size = input_size(0);
    } else {
        std::error_code error;
        file.open(path, std::ios::binary);
        if (!file || std::filesystem::is_directory(path, error)) {
            return report_error(context, ExitCode::not_found, "FILE_NOT_FOUND",
                                "cannot read stream '" + path + "'");
        }
        if (std::filesystem::is_regular_file(path, error)) {
            size = std::filesystem::file_size(path, error);
        }
    }
    std::string name = is_stdin ? "<stdin>" : path;
    auto& database = context.database(store::Access::create);
    auto stream = stream_options(options, context);
    StreamReport report(context, name, stream.key, size, stream.on_error);
    auto summary = replay::run_stream(database, context.config(), is_stdin ? std::cin : file, name,
                                      stream, report);
    report.clear_progress();
    if (summary.database_error) {
        const Error& error = *summary.database_error;
        if (!context.wants_json()) {
            print_stream_summary(context, summary);
        }
        report_error(context, ExitCode::database, error.code(), error.what(), stream_json(summary));
        if (!context.wants_json()) {
            auto line = std::to_string(*summary.resume_from);
            report.note("nothing from line " + line +
                        " on is committed (its batch was rolled back); continue with --resume "
                        "(or --resume-from " +
                        line + ")");
        }
        return ExitCode::database;
    }
    if (context.wants_json()) {
        context.out << json_text(stream_json(summary)) << '\n';
    } else {
        print_stream_summary(context, summary);
    }
    return summary.stopped_at || summary.skipped > 0 ? ExitCode::rejected : ExitCode::success;
}

ExitCode run_replay(const ReplayCommandOptions& options, Context& context) {
    auto usage = [&](const std::string& message) {
        return report_error(context, ExitCode::usage, "USAGE", message);
    };
    bool has_stream_options =
        options.batch_size || options.on_error || options.resume_from || options.resume;
    if (!options.stream) {
        if (has_stream_options) {
            return usage("--batch-size, --on-error, --resume and --resume-from go with --stream");
        }
        if (options.files.empty()) {
            return usage("name the script files to run, or --stream FILE");
        }
        return run_scripts(options, context);
    }
    if (!options.files.empty()) {
        return usage("--stream reads one stream of steps; script files cannot go with it");
    }
    if (options.dry_run || options.junit) {
        return usage("--dry-run and --junit are for scripts, not for --stream");
    }
    if (options.resume && options.resume_from) {
        return usage(
            "--resume starts after the line the database records as committed; it cannot go "
            "with --resume-from");
    }
    return run_stream(options, context);
}

}  // namespace

void register_replay(CLI::App& app, CommandTable& commands, Context& context) {
    auto options = std::make_shared<ReplayCommandOptions>();
    auto* replay = app.add_subcommand(
        "replay", "Run conversation scripts with expectations (see man chatctl-replay)");
    replay->add_option("FILE", options->files, "Script files (YAML)");
    replay->add_flag("--dry-run", options->dry_run, "Roll every script back");
    replay->add_option("--junit", options->junit, "Also write a JUnit XML report")
        ->option_text("FILE");
    replay
        ->add_option("--stream", options->stream,
                     "Apply JSON lines of steps in batches ('-': standard input)")
        ->option_text("FILE");
    replay
        ->add_option("--batch-size", options->batch_size,
                     "With --stream: steps per transaction (default 10000)")
        ->check(CLI::Range(std::int64_t{1}, std::numeric_limits<std::int64_t>::max()))
        ->option_text("N");
    replay
        ->add_option("--on-error", options->on_error,
                     "With --stream: stop at a failing line (default) or skip it")
        ->check(CLI::IsMember({"stop", "skip"}))
        ->option_text("stop|skip");
    replay
        ->add_option("--resume-from", options->resume_from,
                     "With --stream: the first line to apply")
        ->check(CLI::Range(std::int64_t{1}, std::numeric_limits<std::int64_t>::max()))
        ->option_text("LINE");
    replay->add_flag("--resume", options->resume,
                     "With --stream: start after the last line committed by an earlier run");
    commands.emplace_back(replay, [options, &context] { return run_replay(*options, context); });
}

}  // namespace chat::cli
