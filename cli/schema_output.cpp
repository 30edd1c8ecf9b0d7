#include "schema_output.hpp"

namespace chat::cli {

store::SchemaReference read_reference(Context& context, const std::string& text,
                                      bool needs_version) {
    auto reference = store::SchemaReference::parse(text);
    if (!reference) {
        throw ReportedFailure{report_error(
            context, ExitCode::usage, "USAGE",
            "'" + text + "' is not a schema reference; write NAME, NAME@latest or NAME@N")};
    }
    if (needs_version && reference->kind == store::SchemaReference::Kind::published) {
        throw ReportedFailure{
            report_error(context, ExitCode::usage, "USAGE",
                         "name the version: '" + text + "@N' or '" + text + "@latest'")};
    }
    return *reference;
}

nlohmann::ordered_json version_json(const store::SchemaVersion& version) {
    nlohmann::ordered_json object;
    object["name"] = version.name;
    object["version"] = version.version;
    object["type"] = version.type;
    object["status"] = store::status_name(version.status);
    object["languages"] = version.languages;
    object["questions"] = version.question_count;
    object["created"] = version.created;
    object["updated"] = version.updated;
    object["published"] = version.published ? nlohmann::ordered_json(*version.published) : nullptr;
    return object;
}

store::SchemaStore schema_store(Context& context, store::Access access) {
    return store::SchemaStore(context.database(access), context.clock());
}

}  // namespace chat::cli
