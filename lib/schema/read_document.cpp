#include "schema/read_document.hpp"

#include "schema/parse_json.hpp"
#include "schema/parse_yaml.hpp"
#include "schema/text_position.hpp"

#include <algorithm>

namespace chat::schema {

std::optional<Node> read_document(std::string_view text, FileFormat format, Reporter& reporter) {
    if (text.size() > k_max_file_bytes) {
        Diagnostic diagnostic = oversized_file("", text.size());
        reporter.error(diagnostic.loc, diagnostic.code, diagnostic.message);
        return std::nullopt;
    }
    if (auto invalid = find_invalid_utf8(text)) {
        reporter.error({invalid->position.line, invalid->position.column, invalid->position.offset},
                       "syntax", invalid->message);
        return std::nullopt;
    }
    auto parsed = format == FileFormat::json ? parse_json(text) : parse_yaml(text);
    if (auto* failure = std::get_if<ParseFailure>(&parsed)) {
        std::string_view kind = format == FileFormat::json ? "invalid JSON: " : "invalid YAML: ";
        reporter.error({failure->position.line, failure->position.column, failure->position.offset},
                       "syntax", std::string(kind) + failure->message);
        return std::nullopt;
    }
    return std::get<Node>(std::move(parsed));
}

void forward_in_file_order(std::vector<Diagnostic> diagnostics, DiagnosticSink& sink) {
    std::stable_sort(
        diagnostics.begin(), diagnostics.end(), [](const Diagnostic& a, const Diagnostic& b) {
            return std::pair(a.loc.line, a.loc.column) < std::pair(b.loc.line, b.loc.column);
        });
    for (auto& diagnostic : diagnostics) {
        sink.report(std::move(diagnostic));
    }
}

}  // namespace chat::schema
