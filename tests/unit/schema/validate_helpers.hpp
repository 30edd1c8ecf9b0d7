#pragma once
// Runs the validator on an inline YAML text and renders each diagnostic as one line
// "LINE:COL: severity: message [code]", so tests compare whole findings at a glance.

#include <chat/schema.hpp>

#include <doctest/doctest.h>

#include <string>
#include <vector>

namespace chat::test {

inline std::vector<std::string> validate_text(const std::string& text, const char* file_name,
                                              schema::FileFormat format, const Config& config) {
    SourceText source(text);
    CollectingSink sink;
    schema::validate_schema(source, file_name, format, config, sink);
    std::vector<std::string> lines;
    for (const auto& d : sink.diagnostics()) {
        lines.push_back(std::to_string(d.loc.line) + ":" + std::to_string(d.loc.column) + ": " +
                        std::string(severity_name(d.severity)) + ": " + d.message + " [" + d.code +
                        "]");
        for (const auto& note : d.notes) {
            lines.push_back("  note: " + note.message);
        }
    }
    return lines;
}

inline std::vector<std::string> validate_yaml(const std::string& text, const Config& config = {}) {
    return validate_text(text, "t.yaml", schema::FileFormat::yaml, config);
}

inline std::vector<std::string> validate_json(const std::string& text, const Config& config = {}) {
    return validate_text(text, "t.json", schema::FileFormat::json, config);
}

using Lines = std::vector<std::string>;

}  // namespace chat::test

// Prints the findings one per line when a comparison fails.
template <>
struct doctest::StringMaker<std::vector<std::string>> {
    static doctest::String convert(const std::vector<std::string>& lines) {
        std::string text = "\n";
        for (const auto& line : lines) {
            text += "    " + line + "\n";
        }
        return text.c_str();
    }
};
