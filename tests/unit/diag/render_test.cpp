#include <chat/diagnostic_render.hpp>

#include <doctest/doctest.h>

#include <sstream>

namespace {

std::vector<chat::FileDiagnostics> sample() {
    chat::Diagnostic error{"f.yaml",
                           {2, 7},
                           chat::Severity::error,
                           "unknown-next-qid",
                           "next_qid of question 1 (text) is 9, which names no question",
                           {}};
    chat::Diagnostic warning{"f.yaml",
                             {3, 1},
                             chat::Severity::warning,
                             "unproven-auto-loop",
                             "a, b: 100%",
                             {{{1, 1}, "first note"}, {{}, "second note"}}};
    return {{"f.yaml", {error, warning}}};
}

const chat::SourceText k_source("name: t\nnext: 9\n\tx\n");

chat::SourceLookup lookup() {
    return [](const std::string&) { return &k_source; };
}

}  // namespace

TEST_CASE("render_text: location, severity, code, source line and caret, notes") {
    std::ostringstream out;
    chat::render_text(out, sample(), lookup(), false);
    CHECK(out.str() ==
          "f.yaml:2:7: error: next_qid of question 1 (text) is 9, which names no question "
          "[unknown-next-qid]\n"
          "    next: 9\n"
          "          ^\n"
          "f.yaml:3:1: warning: a, b: 100% [unproven-auto-loop]\n"
          "    \tx\n"
          "    ^\n"
          "f.yaml:1:1: note: first note\n"
          "f.yaml: note: second note\n");
}

TEST_CASE("render_text: colours only when asked") {
    std::ostringstream out;
    chat::render_text(out, sample(), lookup(), true);
    CHECK(out.str().find("\033[1;31merror:\033[0m") != std::string::npos);
}

TEST_CASE("render_text: no caret when the column is past the line") {
    std::vector<chat::FileDiagnostics> files = {
        {"f.yaml", {{"f.yaml", {1, 40}, chat::Severity::error, "syntax", "m", {}}}}};
    std::ostringstream out;
    chat::render_text(out, files, lookup(), false);
    CHECK(out.str() == "f.yaml:1:40: error: m [syntax]\n");
}

TEST_CASE("render_json: the documented keys") {
    auto json = chat::render_json(sample());
    CHECK(json.dump() ==
          R"({"errors":1,"files":[{"diagnostics":[{"code":"unknown-next-qid","column":7,"line":2,)"
          R"("message":"next_qid of question 1 (text) is 9, which names no question","notes":[],)"
          R"("severity":"error"},{"code":"unproven-auto-loop","column":1,"line":3,"message":)"
          R"("a, b: 100%","notes":[{"column":1,"line":1,"message":"first note"},{"message":)"
          R"("second note"}],"severity":"warning"}],"file":"f.yaml"}],"warnings":1})");
}

TEST_CASE("render_sarif: one run, every code a rule, results with locations") {
    auto sarif = chat::render_sarif(sample(), "9.9");
    CHECK(sarif["version"] == "2.1.0");
    const auto& run = sarif["runs"][0];
    CHECK(run["tool"]["driver"]["name"] == "chatctl");
    CHECK(run["tool"]["driver"]["rules"].size() == chat::diagnostic_codes().size());
    const auto& result = run["results"][0];
    CHECK(result["ruleId"] == "unknown-next-qid");
    CHECK(run["tool"]["driver"]["rules"][result["ruleIndex"].get<std::size_t>()]["id"] ==
          "unknown-next-qid");
    CHECK(result["level"] == "error");
    CHECK(result["locations"][0]["physicalLocation"]["region"]["startLine"] == 2);
    CHECK(result["locations"][0]["physicalLocation"]["region"]["startColumn"] == 7);
    CHECK(run["results"][1]["relatedLocations"].size() == 2);
}

TEST_CASE("render_github: workflow commands with escaping") {
    std::ostringstream out;
    chat::render_github(out, sample());
    CHECK(out.str() ==
          "::error file=f.yaml,line=2,col=7,title=unknown-next-qid::next_qid of question 1 "
          "(text) is 9, which names no question\n"
          "::warning file=f.yaml,line=3,col=1,title=unproven-auto-loop::a, b: 100%25%0Anote: "
          "first note%0Anote: second note\n");
}

TEST_CASE("promote_warnings: --strict turns warnings into errors") {
    auto files = sample();
    chat::promote_warnings(files);
    auto counts = chat::count_diagnostics(files);
    CHECK(counts.errors == 2);
    CHECK(counts.warnings == 0);
}

TEST_CASE("render_sarif: file names become URI references") {
    auto files = sample();
    auto uri_of = [&](const std::string& name) {
        files[0].file = name;
        for (auto& diagnostic : files[0].diagnostics) {
            diagnostic.file = name;
        }
        auto sarif = chat::render_sarif(files, "9.9");
        return sarif["runs"][0]["results"][0]["locations"][0]["physicalLocation"]
                    ["artifactLocation"]["uri"]
                        .get<std::string>();
    };
    CHECK(uri_of("flows/a-b_c.yaml") == "flows/a-b_c.yaml");
    CHECK(uri_of("my flow.yaml") == "my%20flow.yaml");
    CHECK(uri_of("<stdin>") == "%3Cstdin%3E");
    CHECK(uri_of("/srv/\xC5\xBC.json") == "file:///srv/%C5%BC.json");
}
