#include <chat/schema.hpp>

#include "schema/build_schema.hpp"
#include "schema/check_expressions.hpp"
#include "schema/check_flow.hpp"
#include "schema/checks.hpp"
#include "schema/read_document.hpp"

#include <algorithm>

namespace chat::schema {
namespace {

std::optional<Schema> check_source(const SourceText& source, FileFormat format,
                                   const Config& config, Reporter& reporter) {
    auto document = read_document(source.text(), format, reporter);
    if (!document) {
        return std::nullopt;
    }
    BuiltSchema built = build_schema(*document, config, reporter);
    Schema& schema = built.schema;
    document.reset();  // the tree can be large; the model is all that is needed from here
    CheckContext context{schema, config, source, reporter};
    check_question_fields(context);
    check_texts(context);
    check_attachments(context);
    auto flow = check_expressions(context);
    // Reported in the same run as other errors, unless a dropped question or group would
    // make references to it look unknown.
    if (built.has_every_target) {
        check_references(context);
    }
    // The flow checks need every reference to resolve; they run once the rest is clean.
    if (flow && reporter.error_count() == 0) {
        check_flow(context, *flow);
    }
    if (reporter.error_count() > 0) {
        return std::nullopt;
    }
    return std::move(built.schema);
}

}  // namespace

Diagnostic oversized_file(std::string_view file_name, std::optional<std::size_t> size) {
    std::string limit = std::to_string(k_max_file_bytes);
    std::string message =
        size ? "the file has " + std::to_string(*size) + " bytes; at most " + limit + " are allowed"
             : "the input has more than " + limit + " bytes, the limit";
    return Diagnostic{
        std::string(file_name), SourceLoc{1, 1}, Severity::error, "syntax", std::move(message), {}};
}

FileFormat detect_format(std::string_view file_name, std::string_view text) {
    if (file_name.ends_with(".json")) {
        return FileFormat::json;
    }
    if (file_name.ends_with(".yaml") || file_name.ends_with(".yml")) {
        return FileFormat::yaml;
    }
    auto first = text.find_first_not_of(" \t\r\n");
    return first != std::string_view::npos && text[first] == '{' ? FileFormat::json
                                                                 : FileFormat::yaml;
}

std::optional<Schema> validate_schema(const SourceText& source, std::string_view file_name,
                                      FileFormat format, const Config& config,
                                      DiagnosticSink& sink) {
    CollectingSink collected;
    Reporter reporter(file_name, collected);
    auto schema = check_source(source, format, config, reporter);
    forward_in_file_order(collected.take(), sink);
    return schema;
}

}  // namespace chat::schema
