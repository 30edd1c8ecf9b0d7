#pragma once
// Adds the file name and counts errors, so that check functions only say where and what.

#include "schema/document.hpp"

#include <chat/diagnostics.hpp>

#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace chat::schema {

inline SourceLoc loc_of(const Node& node) { return {node.position.line, node.position.column}; }

class Reporter {
public:
    Reporter(std::string_view file, DiagnosticSink& sink) : m_file(file), m_sink(sink) {}

    void error(SourceLoc loc, std::string_view code, std::string message,
               std::vector<DiagnosticNote> notes = {}) {
        ++m_errors;
        emit(loc, Severity::error, code, std::move(message), std::move(notes));
    }
    void warning(SourceLoc loc, std::string_view code, std::string message,
                 std::vector<DiagnosticNote> notes = {}) {
        emit(loc, Severity::warning, code, std::move(message), std::move(notes));
    }
    int error_count() const { return m_errors; }

private:
    void emit(SourceLoc loc, Severity severity, std::string_view code, std::string message,
              std::vector<DiagnosticNote> notes) {
        m_sink.report(Diagnostic{std::string(m_file), loc, severity, std::string(code),
                                 std::move(message), std::move(notes)});
    }

    std::string_view m_file;
    DiagnosticSink& m_sink;
    int m_errors = 0;
};

}  // namespace chat::schema
