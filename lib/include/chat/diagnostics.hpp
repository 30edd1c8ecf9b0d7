#pragma once
/// Compiler-grade findings: the library appends them to a sink; the command line renders them.

#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace chat {

/// Where something is in a source file. line/column are 1-based, the column counting
/// characters; 0 means unknown. `offset` is the byte offset in the file when known: it lets
/// the printer and the checks find the place without walking long lines from their start.
struct SourceLoc {
    static constexpr std::size_t k_no_offset = static_cast<std::size_t>(-1);

    std::uint32_t line = 0;
    std::uint32_t column = 0;
    std::size_t offset = k_no_offset;

    bool is_known() const { return line != 0; }
    bool has_offset() const { return offset != k_no_offset; }
};

enum class Severity { error, warning, note };

/// "error", "warning" or "note".
std::string_view severity_name(Severity severity);

/// A `note:` attached to a diagnostic, with its own location when it has one.
struct DiagnosticNote {
    SourceLoc loc;
    std::string message;
};

/// One finding. `code` is a stable identifier from SPEC §4 (e.g. "unknown-next-qid").
struct Diagnostic {
    std::string file;
    SourceLoc loc;
    Severity severity = Severity::error;
    std::string code;
    std::string message;
    std::vector<DiagnosticNote> notes;
};

/// Receives diagnostics as they are found. Implementations decide whether to keep or print.
class DiagnosticSink {
public:
    virtual ~DiagnosticSink() = default;
    virtual void report(Diagnostic diagnostic) = 0;
};

/// Keeps every diagnostic in order; counts errors and warnings.
class CollectingSink final : public DiagnosticSink {
public:
    void report(Diagnostic diagnostic) override;
    const std::vector<Diagnostic>& diagnostics() const { return m_diagnostics; }
    std::vector<Diagnostic> take() { return std::move(m_diagnostics); }

private:
    std::vector<Diagnostic> m_diagnostics;
};

/// A diagnostic code of SPEC §4 with its default severity and a one-line summary.
struct DiagnosticCode {
    std::string_view code;
    Severity severity;
    std::string_view summary;
};

/// Every code `schema validate` can report, in the order of SPEC §4.
const std::vector<DiagnosticCode>& diagnostic_codes();

}  // namespace chat
