// chatctl db check : PRAGMA integrity_check and the invariants the project promises.

#include "commands.hpp"

namespace chat::cli {
namespace {

void print_text(Context& context, const std::vector<store::InvariantResult>& results) {
    std::size_t failed = 0;
    for (const auto& result : results) {
        if (result.passed()) {
            if (!context.options.is_quiet) {
                context.out << "ok    " << result.name << '\n';
            }
            continue;
        }
        ++failed;
        context.out << "FAIL  " << result.name << ": " << result.violations
                    << (result.violations == 1 ? " violation" : " violations") << " ("
                    << result.description << ")\n";
        for (const auto& example : result.examples) {
            context.out << "      " << example << '\n';
        }
    }
    if (failed > 0) {
        report_error(
            context, ExitCode::rejected, "CHECK_FAILED",
            std::to_string(failed) + " of " + std::to_string(results.size()) + " checks failed");
    } else if (!context.options.is_quiet) {
        context.err << "all " << results.size() << " checks passed\n";
    }
}

ExitCode run_check(Context& context) {
    auto results = store::check_database(context.database(store::Access::read), context.config());
    bool has_failures = false;
    for (const auto& result : results) {
        has_failures = has_failures || !result.passed();
    }
    if (context.wants_json()) {
        nlohmann::ordered_json document;
        document["ok"] = !has_failures;
        document["checks"] = nlohmann::ordered_json::array();
        for (const auto& result : results) {
            document["checks"].push_back({{"name", result.name},
                                          {"description", result.description},
                                          {"passed", result.passed()},
                                          {"violations", result.violations},
                                          {"examples", result.examples}});
        }
        context.out << json_text(document) << '\n';
    } else {
        print_text(context, results);
    }
    return has_failures ? ExitCode::rejected : ExitCode::success;
}

}  // namespace

void register_db_check(CLI::App& db, CommandTable& commands, Context& context) {
    auto* app = db.add_subcommand(
        "check", "Check the file's integrity and the project's invariants (exit 1 if broken)");
    commands.emplace_back(app, [&context] { return run_check(context); });
}

}  // namespace chat::cli
