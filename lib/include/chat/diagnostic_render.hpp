#pragma once
/// The output formats of diagnostics (SPEC §4): text, json, sarif, github.

#include <chat/diagnostics.hpp>
#include <chat/source_text.hpp>

#include <functional>
#include <nlohmann/json.hpp>
#include <ostream>
#include <string>
#include <vector>

namespace chat {

/// The diagnostics of one input file, in the order they were found.
struct FileDiagnostics {
    std::string file;
    std::vector<Diagnostic> diagnostics;
};

/// Looks up the text of a file to quote its lines (nullptr when unavailable).
using SourceLookup = std::function<const SourceText*(const std::string& file)>;

/// `--strict`: every warning becomes an error (the code stays).
void promote_warnings(std::vector<FileDiagnostics>& files);

/// Counts of errors and warnings over all files.
struct DiagnosticCounts {
    int errors = 0;
    int warnings = 0;
};
DiagnosticCounts count_diagnostics(const std::vector<FileDiagnostics>& files);

/// `FILE:LINE:COL: SEVERITY: MESSAGE [CODE]`, the source line with a caret, then notes.
/// `use_color` adds ANSI colours (for terminals).
void render_text(std::ostream& out, const std::vector<FileDiagnostics>& files,
                 const SourceLookup& sources, bool use_color);

/// `{"files":[{"file","diagnostics":[...]}],"errors":N,"warnings":N}`.
nlohmann::json render_json(const std::vector<FileDiagnostics>& files);

/// A SARIF 2.1.0 log with one run whose rules are every diagnostic code.
nlohmann::json render_sarif(const std::vector<FileDiagnostics>& files, const std::string& version);

/// GitHub Actions workflow commands: `::error file=F,line=L,col=C,title=CODE::MESSAGE`.
void render_github(std::ostream& out, const std::vector<FileDiagnostics>& files);

}  // namespace chat
