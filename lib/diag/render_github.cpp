#include <chat/diagnostic_render.hpp>

namespace chat {
namespace {

// Workflow command values escape %, CR and LF; properties also escape : and ,.
std::string escape(std::string_view text, bool is_property) {
    std::string result;
    for (char c : text) {
        switch (c) {
            case '%':
                result += "%25";
                break;
            case '\r':
                result += "%0D";
                break;
            case '\n':
                result += "%0A";
                break;
            case ':':
                result += is_property ? "%3A" : ":";
                break;
            case ',':
                result += is_property ? "%2C" : ",";
                break;
            default:
                result += c;
        }
    }
    return result;
}

std::string_view command(Severity severity) {
    return severity == Severity::error     ? "error"
           : severity == Severity::warning ? "warning"
                                           : "notice";
}

}  // namespace

void render_github(std::ostream& out, const std::vector<FileDiagnostics>& files) {
    for (const auto& file : files) {
        for (const auto& diagnostic : file.diagnostics) {
            out << "::" << command(diagnostic.severity) << " file=" << escape(file.file, true);
            if (diagnostic.loc.is_known()) {
                out << ",line=" << diagnostic.loc.line << ",col=" << diagnostic.loc.column;
            }
            out << ",title=" << escape(diagnostic.code, true) << "::";
            std::string message = diagnostic.message;
            for (const auto& note : diagnostic.notes) {
                message += "\nnote: " + note.message;
            }
            out << escape(message, false) << '\n';
        }
    }
}

}  // namespace chat
