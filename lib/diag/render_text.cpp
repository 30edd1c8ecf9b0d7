#include <chat/diagnostic_render.hpp>
#include <chat/utf8.hpp>

#include <algorithm>
#include <optional>
#include <utility>

namespace chat {
namespace {

constexpr std::string_view k_bold = "\033[1m";
constexpr std::string_view k_red = "\033[1;31m";
constexpr std::string_view k_magenta = "\033[1;35m";
constexpr std::string_view k_cyan = "\033[1;36m";
constexpr std::string_view k_green = "\033[1;32m";
constexpr std::string_view k_reset = "\033[0m";

// Lines longer than this (minified JSON, generated files) are cut to a window around the caret.
constexpr std::size_t k_max_quoted_bytes = 120;

bool is_continuation(char byte) {
    return (static_cast<unsigned char>(byte) & 0xC0U) == 0x80U;
}

struct QuotedLine {
    std::string text;          // printable: bad bytes and control characters shown as '?'
    std::string caret_indent;  // spaces (and the line's tabs) up to the caret
};

// The part of `line` to print around byte `caret`, on character boundaries.
std::pair<std::size_t, std::size_t> window_around(std::string_view line, std::size_t caret) {
    if (line.size() <= k_max_quoted_bytes) {
        return {0, line.size()};
    }
    std::size_t start = caret > k_max_quoted_bytes / 2 ? caret - k_max_quoted_bytes / 2 : 0;
    std::size_t end = std::min(line.size(), start + k_max_quoted_bytes);
    while (start > 0 && is_continuation(line[start])) {
        --start;
    }
    while (end < line.size() && is_continuation(line[end])) {
        ++end;
    }
    return {start, end};
}

// One column per character, so the caret lines up under multi-byte text too.
QuotedLine quote_line(std::string_view line, std::size_t caret) {
    auto [start, end] = window_around(line, caret);
    QuotedLine quoted;
    if (start > 0) {
        quoted.text = "...";
        quoted.caret_indent = "   ";
    }
    for (std::size_t offset = start; offset < end;) {
        std::size_t length = utf8_sequence_length(line, offset);
        char first = line[offset];
        bool is_control = static_cast<unsigned char>(first) < 0x20U && first != '\t';
        if (length == 0 || is_control || first == '\x7F') {
            quoted.text += '?';
            length = 1;
        } else {
            quoted.text.append(line.substr(offset, length));
        }
        if (offset < caret) {
            quoted.caret_indent += first == '\t' ? '\t' : ' ';
        }
        offset += length;
    }
    if (end < line.size()) {
        quoted.text += "...";
    }
    return quoted;
}

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

    // The line, then a caret under the column. Nothing is printed when the line is not at
    // hand or the column is past its end.
    void quote(const std::string& file, SourceLoc loc) {
        const SourceText* source = loc.is_known() ? m_sources(file) : nullptr;
        if (!source) {
            return;
        }
        std::string_view line = source->line(loc.line);
        auto caret = caret_byte(*source, line, loc);
        if (!caret) {
            return;
        }
        QuotedLine quoted = quote_line(line, *caret);
        m_out << "    " << quoted.text << "\n    " << quoted.caret_indent;
        paint(k_green);
        m_out << '^';
        paint(k_reset);
        m_out << '\n';
    }

    // The byte of `line` under the caret: from the offset when known (long minified lines are
    // not walked), else by counting characters; nothing when past the end of the line.
    static std::optional<std::size_t> caret_byte(const SourceText& source, std::string_view line,
                                                 SourceLoc loc) {
        if (loc.column == 0 || line.data() == nullptr) {
            return std::nullopt;
        }
        auto line_start = static_cast<std::size_t>(line.data() - source.text().data());
        if (loc.has_offset()) {
            bool is_on_line = loc.offset >= line_start && loc.offset <= line_start + line.size();
            return is_on_line ? std::optional(loc.offset - line_start) : std::nullopt;
        }
        std::size_t byte = utf8_byte_offset(line, loc.column - 1);
        bool is_past_end = byte == line.size() && utf8_length(line) + 1 < loc.column;
        return is_past_end ? std::nullopt : std::optional(byte);
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
