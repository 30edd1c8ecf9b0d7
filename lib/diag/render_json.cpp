#include <chat/diagnostic_render.hpp>

namespace chat {
namespace {

nlohmann::json note_json(const DiagnosticNote& note) {
    nlohmann::json json = nlohmann::json::object();
    if (note.loc.is_known()) {
        json["line"] = note.loc.line;
        json["column"] = note.loc.column;
    }
    json["message"] = note.message;
    return json;
}

nlohmann::json diagnostic_json(const Diagnostic& diagnostic) {
    auto notes = nlohmann::json::array();
    for (const auto& note : diagnostic.notes) {
        notes.push_back(note_json(note));
    }
    return {{"line", diagnostic.loc.line},
            {"column", diagnostic.loc.column},
            {"severity", severity_name(diagnostic.severity)},
            {"code", diagnostic.code},
            {"message", diagnostic.message},
            {"notes", std::move(notes)}};
}

}  // namespace

nlohmann::json render_json(const std::vector<FileDiagnostics>& files) {
    auto file_list = nlohmann::json::array();
    for (const auto& file : files) {
        auto diagnostics = nlohmann::json::array();
        for (const auto& diagnostic : file.diagnostics) {
            diagnostics.push_back(diagnostic_json(diagnostic));
        }
        file_list.push_back({{"file", file.file}, {"diagnostics", std::move(diagnostics)}});
    }
    auto counts = count_diagnostics(files);
    return {
        {"files", std::move(file_list)}, {"errors", counts.errors}, {"warnings", counts.warnings}};
}

}  // namespace chat
