#include <chat/diagnostic_render.hpp>

#include <algorithm>
#include <cctype>

namespace chat {
namespace {

std::string_view sarif_level(Severity severity) {
    return severity == Severity::error     ? "error"
           : severity == Severity::warning ? "warning"
                                           : "note";
}

nlohmann::json region(SourceLoc loc) {
    return {{"startLine", loc.line}, {"startColumn", loc.column}};
}

// SARIF wants a URI reference: the path with every byte outside the unreserved characters
// and '/' percent-encoded (spaces, '<stdin>', non-ASCII names). Absolute paths get file://.
std::string uri_of(const std::string& path) {
    constexpr std::string_view k_hex = "0123456789ABCDEF";
    std::string uri = !path.empty() && path.front() == '/' ? "file://" : "";
    for (char c : path) {
        auto byte = static_cast<unsigned char>(c);
        bool is_unreserved =
            std::isalnum(byte) || c == '-' || c == '.' || c == '_' || c == '~' || c == '/';
        if (is_unreserved && byte < 0x80U) {
            uri += c;
        } else {
            uri += '%';
            uri += k_hex[byte >> 4U];
            uri += k_hex[byte & 0x0FU];
        }
    }
    return uri;
}

nlohmann::json physical_location(const std::string& file, SourceLoc loc) {
    nlohmann::json location = {{"artifactLocation", {{"uri", uri_of(file)}}}};
    if (loc.is_known()) {
        location["region"] = region(loc);
    }
    return {{"physicalLocation", std::move(location)}};
}

nlohmann::json rules() {
    auto list = nlohmann::json::array();
    for (const auto& code : diagnostic_codes()) {
        list.push_back({{"id", code.code},
                        {"shortDescription", {{"text", code.summary}}},
                        {"defaultConfiguration", {{"level", sarif_level(code.severity)}}}});
    }
    return list;
}

std::size_t rule_index(const std::string& code) {
    const auto& codes = diagnostic_codes();
    auto it = std::find_if(codes.begin(), codes.end(),
                           [&](const DiagnosticCode& entry) { return entry.code == code; });
    return static_cast<std::size_t>(it - codes.begin());
}

nlohmann::json result(const std::string& file, const Diagnostic& diagnostic) {
    nlohmann::json json = {{"ruleId", diagnostic.code},
                           {"ruleIndex", rule_index(diagnostic.code)},
                           {"level", sarif_level(diagnostic.severity)},
                           {"message", {{"text", diagnostic.message}}},
                           {"locations", {physical_location(file, diagnostic.loc)}}};
    if (!diagnostic.notes.empty()) {
        auto related = nlohmann::json::array();
        for (std::size_t i = 0; i < diagnostic.notes.size(); ++i) {
            auto location = physical_location(file, diagnostic.notes[i].loc);
            location["id"] = i;
            location["message"] = {{"text", diagnostic.notes[i].message}};
            related.push_back(std::move(location));
        }
        json["relatedLocations"] = std::move(related);
    }
    return json;
}

}  // namespace

nlohmann::json render_sarif(const std::vector<FileDiagnostics>& files, const std::string& version) {
    auto results = nlohmann::json::array();
    for (const auto& file : files) {
        for (const auto& diagnostic : file.diagnostics) {
            results.push_back(result(file.file, diagnostic));
        }
    }
    nlohmann::json driver = {{"name", "chatctl"},
                             {"version", version},
                             {"informationUri", "man:chatctl-schema(1)"},
                             {"rules", rules()}};
    return {{"$schema", "https://json.schemastore.org/sarif-2.1.0.json"},
            {"version", "2.1.0"},
            {"runs",
             {{{"tool", {{"driver", std::move(driver)}}},
               {"columnKind", "unicodeCodePoints"},  // columns count characters, not UTF-16 units
               {"results", std::move(results)}}}}};
}

}  // namespace chat
