#include <chat/conversation_store.hpp>
#include <chat/replay.hpp>
#include <chat/schema.hpp>
#include <chat/schema_store.hpp>
#include <chat/survey_store.hpp>
#include <chat/user_store.hpp>

#include "replay/script_steps.hpp"
#include "schema/node_reader.hpp"
#include "schema/read_document.hpp"
#include "store/connection.hpp"

#include <chrono>
#include <filesystem>
#include <fstream>
#include <sstream>

namespace chat::replay {
namespace {

using schema::Node;
using schema::NodeKind;

constexpr std::string_view k_script_keys[] = {"name", "now", "schemas", "users", "steps"};

std::optional<std::string> read_text(const std::string& path, std::string& problem) {
    std::error_code error;
    if (!std::filesystem::is_regular_file(path, error)) {
        problem = "cannot read script '" + path + "'";
        return std::nullopt;
    }
    auto size = std::filesystem::file_size(path, error);
    if (error || size > schema::k_max_file_bytes) {
        problem = "script '" + path + "' is larger than 64 MiB";
        return std::nullopt;
    }
    std::ifstream file(path, std::ios::binary);
    std::stringstream text;
    text << file.rdbuf();
    if (!file && !file.eof()) {
        problem = "cannot read script '" + path + "'";
        return std::nullopt;
    }
    return text.str();
}

// Diagnostics of the YAML reader become script failures.
class FailureSink final : public DiagnosticSink {
public:
    explicit FailureSink(ScriptResult& result) : m_result(result) {}
    void report(Diagnostic diagnostic) override {
        if (diagnostic.severity == Severity::error) {
            m_result.failures.push_back(
                {diagnostic.loc.line, 0, "", diagnostic.message + " [" + diagnostic.code + "]"});
        }
    }

private:
    ScriptResult& m_result;
};

}  // namespace

std::vector<std::string> ScriptResult::report_lines() const {
    std::vector<std::string> lines;
    for (const auto& failure : failures) {
        std::string line = file + ":" + std::to_string(failure.line) + ": ";
        if (failure.step > 0) {
            line += "step " + std::to_string(failure.step) + " (" + failure.kind + "): ";
        }
        lines.push_back(line + failure.message);
    }
    return lines;
}

ScriptResult run_script(store::Database& database, const Config& config, const std::string& path,
                        const ReplayOptions& options) {
    auto started = std::chrono::steady_clock::now();
    ScriptResult result;
    result.file = path;
    result.name = std::filesystem::path(path).filename().string();
    auto finish = [&]() -> ScriptResult {
        result.passed = result.failures.empty();
        result.seconds =
            std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
        return result;
    };
    std::string problem;
    auto text = read_text(path, problem);
    if (!text) {
        result.failures.push_back({0, 0, "", problem});
        return finish();
    }
    FailureSink sink(result);
    schema::Reporter reporter(path, sink);
    auto document = schema::read_document(*text, schema::detect_format(path, *text), reporter);
    if (!document) {
        return finish();
    }
    if (!schema::expect_mapping(*document, "script", reporter)) {
        return finish();
    }
    schema::MappingReader script(*document, "script", k_script_keys, reporter);
    if (!result.failures.empty()) {
        return finish();
    }
    if (auto name = script.text("name")) {
        result.name = *name;
    }
    TimePoint start = options.start ? *options.start : SystemClock().now();
    if (auto now = script.text("now")) {
        auto parsed = parse_time(*now);
        if (!parsed) {
            result.failures.push_back({script.find("now")->position.line, 0, "",
                                       "now: '" + *now + "' is not a time (YYYY-MM-DDTHH:MM:SSZ)"});
            return finish();
        }
        start = *parsed;
    }
    FixedClock clock(start);
    // A lock held past the busy timeout, a full disk: database errors (exit 4), not failures.
    store::translating_sqlite_errors(database, [&] {
        store::WriteTransaction transaction(database);
        ScriptRunner runner(database, config, clock, std::filesystem::path(path).parent_path());
        runner.run(script, reporter, result);
        if (result.failures.empty() && !options.dry_run) {
            transaction.commit();
        }
    });
    return finish();
}

}  // namespace chat::replay
