#include <chat/diagnostic_render.hpp>

namespace chat {
namespace {

constexpr std::string_view k_bold = "\033[1m";
constexpr std::string_view k_red = "\033[1;31m";
constexpr std::string_view k_magenta = "\033[1;35m";
constexpr std::string_view k_cyan = "\033[1;36m";
constexpr std::string_view k_green = "\033[1;32m";
constexpr std::string_view k_reset = "\033[0m";

class TextRenderer {
public:
    TextRenderer(std::ostream& out, const SourceLookup& sources, bool use_color)
        : m_out(out), m_sources(sources), m_use_color(use_color) {}

    void diagnostic(const Diagnostic& diagnostic) {
        header(diagnostic.file, diagnostic.loc, diagnostic.severity);
        m_out << diagnostic.message << " [" << diagnostic.code << "]\n";
        quote(diagnostic.file, diagnostic.loc);
        for (const auto& note : diagnostic.notes) {
            header(diagnostic.file, note.loc, Severity::note);
            m_out << note.message << '\n';
        }
    }

private:
    void paint(std::string_view colour) {
        if (m_use_color) {
            m_out << colour;
        }
    }

    void header(const std::string& file, SourceLoc loc, Severity severity) {
        paint(k_bold);
        m_out << file << ':';
        if (loc.is_known()) {
            m_out << loc.line << ':' << loc.column << ':';
        }
        paint(k_reset);
        m_out << ' ';
        paint(severity == Severity::error     ? k_red
              : severity == Severity::warning ? k_magenta
                                              : k_cyan);
        m_out << severity_name(severity) << ':';
        paint(k_reset);
        m_out << ' ';
    }

    // The line, then a caret under the column; tabs before the column are kept so the caret
    // lines up. Nothing is printed when the line is not at hand or the column is past its end.
    void quote(const std::string& file, SourceLoc loc) {
        const SourceText* source = loc.is_known() ? m_sources(file) : nullptr;
        if (!source) {
            return;
        }
        std::string_view line = source->line(loc.line);
        if (loc.column == 0 || loc.column > line.size() + 1) {
            return;
        }
        m_out << "    " << line << "\n    ";
        for (std::size_t i = 0; i + 1 < loc.column; ++i) {
            m_out << (line[i] == '\t' ? '\t' : ' ');
        }
        paint(k_green);
        m_out << '^';
        paint(k_reset);
        m_out << '\n';
    }

    std::ostream& m_out;
    const SourceLookup& m_sources;
    bool m_use_color;
};

}  // namespace

void promote_warnings(std::vector<FileDiagnostics>& files) {
    for (auto& file : files) {
        for (auto& diagnostic : file.diagnostics) {
            if (diagnostic.severity == Severity::warning) {
                diagnostic.severity = Severity::error;
            }
        }
    }
}

DiagnosticCounts count_diagnostics(const std::vector<FileDiagnostics>& files) {
    DiagnosticCounts counts;
    for (const auto& file : files) {
        for (const auto& diagnostic : file.diagnostics) {
            counts.errors += diagnostic.severity == Severity::error ? 1 : 0;
            counts.warnings += diagnostic.severity == Severity::warning ? 1 : 0;
        }
    }
    return counts;
}

void render_text(std::ostream& out, const std::vector<FileDiagnostics>& files,
                 const SourceLookup& sources, bool use_color) {
    TextRenderer renderer(out, sources, use_color);
    for (const auto& file : files) {
        for (const auto& diagnostic : file.diagnostics) {
            renderer.diagnostic(diagnostic);
        }
    }
}

}  // namespace chat
