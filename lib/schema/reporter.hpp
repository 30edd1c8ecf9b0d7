#pragma once
// Adds the file name and counts errors, so that check functions only say where and what.

#include "schema/document.hpp"

#include <chat/diagnostics.hpp>

#include <cstdint>
#include <string>
#include <string_view>
#include <unordered_set>
#include <utility>
#include <vector>

namespace chat::schema {

inline SourceLoc loc_of(const Node& node) {
    return {node.position.line, node.position.column, node.position.offset};
}

class Reporter {
public:
    Reporter(std::string_view file, DiagnosticSink& sink) : m_file(file), m_sink(sink) {}

    void error(SourceLoc loc, std::string_view code, std::string message,
               std::vector<DiagnosticNote> notes = {}) {
        ++m_errors;
        m_error_locations.insert(key_of(loc));
        emit(loc, Severity::error, code, std::move(message), std::move(notes));
    }
    void warning(SourceLoc loc, std::string_view code, std::string message,
                 std::vector<DiagnosticNote> notes = {}) {
        emit(loc, Severity::warning, code, std::move(message), std::move(notes));
    }
    int error_count() const { return m_errors; }
    /// Whether an error was reported at `loc`: a later check on the same value stays quiet
    /// rather than restate the problem ("answers must be a list" then "has no answers").
    bool has_error_at(SourceLoc loc) const { return m_error_locations.contains(key_of(loc)); }

private:
    static std::uint64_t key_of(SourceLoc loc) {
        return (std::uint64_t{loc.line} << 32U) | std::uint64_t{loc.column};
    }

    void emit(SourceLoc loc, Severity severity, std::string_view code, std::string message,
              std::vector<DiagnosticNote> notes) {
        m_sink.report(Diagnostic{std::string(m_file), loc, severity, std::string(code),
                                 std::move(message), std::move(notes)});
    }

    std::string_view m_file;
    DiagnosticSink& m_sink;
    int m_errors = 0;
    std::unordered_set<std::uint64_t> m_error_locations;
};

}  // namespace chat::schema
