// chatctl schema show NAME[@VERSION] : a stored version's facts and its questions.

#include "commands.hpp"
#include "schema_output.hpp"
#include "text_table.hpp"

#include <chat/schema_export.hpp>
#include <chat/utf8.hpp>

#include <memory>

namespace chat::cli {
namespace {

constexpr std::size_t k_text_column_characters = 60;

std::string default_text(const LocalizedText& text, const std::string& language) {
    for (const auto& translation : text.translations) {
        if (translation.language.empty() || translation.language == language) {
            return translation.text;
        }
    }
    return text.translations.empty() ? "" : text.translations.front().text;
}

// One line of at most k_text_column_characters characters.
std::string cell_text(std::string text) {
    for (char& c : text) {
        c = (c == '\n' || c == '\t' || c == '\r') ? ' ' : c;
    }
    if (utf8_length(text) <= k_text_column_characters) {
        return text;
    }
    return text.substr(0, utf8_byte_offset(text, k_text_column_characters - 3)) + "...";
}

std::string route_of(const Question& question) {
    if (question.type == QuestionType::fork) {
        return "fork";
    }
    if (question.type == QuestionType::choice || question.type == QuestionType::multichoice) {
        return "answers";
    }
    return question.next_qid ? std::to_string(*question.next_qid) : "-";
}

void print_text(Context& context, const store::StoredSchema& stored) {
    const auto& version = stored.version;
    const Schema& schema = stored.schema;
    auto& out = context.out;
    out << version.label() << "  " << version.type << "  " << store::status_name(version.status)
        << '\n';
    std::string languages;
    for (const auto& language : version.languages) {
        languages += (languages.empty() ? "" : ", ") + language;
    }
    out << "languages: " << languages << '\n';
    out << "created: " << version.created << "  updated: " << version.updated
        << "  published: " << version.published.value_or("never") << '\n';
    out << "used by: " << plural(stored.usage.members, "member") << ", "
        << plural(stored.usage.surveys, "survey") << ", "
        << plural(stored.usage.messages, "stored message") << '\n';
    out << "groups: " << schema.groups.size() << "  questions: " << schema.questions.size() << '\n';
    out << '\n';
    TextTable table({"QID", "TYPE", "GROUP", "NEXT", "TEXT"});
    for (const auto& question : schema.questions) {
        table.add({std::to_string(question.qid), std::string(question_type_name(question.type)),
                   question.group.value_or("-"), route_of(question),
                   cell_text(default_text(question.text, schema.default_language()))});
    }
    table.print(out);
}

ExitCode run_show(const std::string& reference_text, Context& context) {
    auto reference = read_reference(context, reference_text);
    auto stored = schema_store(context, store::Access::read).load(reference);
    if (context.wants_json()) {
        nlohmann::ordered_json document;
        document["schema"] = version_json(stored.version);
        document["used_by"] = {{"members", stored.usage.members},
                               {"surveys", stored.usage.surveys},
                               {"messages", stored.usage.messages}};
        document["content"] = schema::schema_document(stored.schema, true);
        context.out << json_text(document) << '\n';
    } else {
        print_text(context, stored);
    }
    return ExitCode::success;
}

}  // namespace

void register_schema_show(CLI::App& schema, CommandTable& commands, Context& context) {
    auto reference = std::make_shared<std::string>();
    auto* app = schema.add_subcommand("show", "Show a stored version and its questions");
    app->add_option("NAME[@VERSION]", *reference, "The version (default: the published one)")
        ->required();
    commands.emplace_back(app, [reference, &context] { return run_show(*reference, context); });
}

}  // namespace chat::cli
