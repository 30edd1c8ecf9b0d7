#include <chat/diagnostics.hpp>

#include <algorithm>

namespace chat {

std::string_view severity_name(Severity severity) {
    switch (severity) {
        case Severity::error:
            return "error";
        case Severity::warning:
            return "warning";
        case Severity::note:
            return "note";
    }
    return "error";
}

void CollectingSink::report(Diagnostic diagnostic) {
    m_diagnostics.push_back(std::move(diagnostic));
}

const std::vector<DiagnosticCode>& diagnostic_codes() {
    using enum Severity;
    static const std::vector<DiagnosticCode> codes = {
        {"syntax", error, "the file is not valid YAML/JSON"},
        {"unknown-key", error, "a key the format does not have"},
        {"missing-field", error, "a required field is absent"},
        {"wrong-type", error, "a field has the wrong kind of value"},
        {"invalid-value", error, "a value out of its domain"},
        {"unknown-schema-type", error, "type is not among the configured schema types"},
        {"duplicate-qid", error, "two questions share a qid"},
        {"duplicate-position", error, "two questions or groups share a position"},
        {"duplicate-group", error, "two groups share a name"},
        {"unknown-group", error, "group names no group"},
        {"unknown-next-qid", error, "a next_qid or literal fork target names no question"},
        {"next-qid-missing", error, "a question that needs next_qid has none"},
        {"next-qid-not-allowed", warning, "next_qid on choice/multichoice (answers route) or fork"},
        {"answers-missing", error, "a choice or multichoice question without answers"},
        {"answers-not-allowed", error, "answers on a question type that takes none"},
        {"choice-open-not-allowed", error, "choice_open outside choice/multichoice"},
        {"exclusive-not-allowed", warning, "exclusive outside multichoice"},
        {"range-bounds", error, "range without both bounds, or range_from > range_to"},
        {"forking-rules-missing", error, "a fork without forking rules"},
        {"forking-rules-not-allowed", error, "forking rules on a question that is not a fork"},
        {"expression-syntax", error, "an expression does not parse"},
        {"invalid-variable-name", error, "the target of a modification is not a name"},
        {"variable-never-set", warning, "a variable is read but no modification sets it"},
        {"text-missing", error, "a shown question or an answer without text"},
        {"missing-translation", warning, "a text lacks a language listed in languages"},
        {"unknown-placeholder", warning, "a {{ }} placeholder with an unknown root"},
        {"unreachable-question", error, "no path from the entry question reaches it"},
        {"unreachable-fork-rule", warning, "a fork rule that no reachable variable state selects"},
        {"no-exit", error, "from this reachable question no path reaches the end"},
        {"endless-auto-loop", error,
         "a cycle of message/fork questions the engine would run forever"},
        {"unproven-auto-loop", warning,
         "a cycle of automatic questions whose termination is undecided"},
        {"schema-empty", error, "the schema has no questions"},
    };
    return codes;
}

}  // namespace chat
