#include "survey_output.hpp"

#include "text_table.hpp"

namespace chat::cli {
namespace {

std::string qid_list(const std::vector<std::int64_t>& qids) {
    std::string text;
    for (auto qid : qids) {
        text += (text.empty() ? "" : ", ") + std::to_string(qid);
    }
    return text.empty() ? "none" : text;
}

std::string variables_text(const nlohmann::json& variables) {
    std::string text;
    for (const auto& [name, value] : variables.items()) {
        text += (text.empty() ? "" : ", ") + name + " = " + value.dump();
    }
    return text.empty() ? "none" : text;
}

std::string item_text(const store::SurveyItem& item) {
    std::string text;
    for (const auto& answer : item.answer_texts) {
        text += (text.empty() ? "" : ", ") + answer;
    }
    if (item.text) {
        text += (text.empty() ? "" : ", ") + *item.text;
    }
    return text;
}

void print_text(Context& context, const store::StoredSurvey& survey) {
    auto& out = context.out;
    out << "survey " << survey.id;
    if (survey.key) {
        out << " (" << *survey.key << ")";
    }
    out << "  " << survey.schema.label() << "  user " << survey.user_id << '\n';
    out << "completed: " << (survey.completed ? "yes" : "no") << '\n';
    out << "visible: " << qid_list(survey.visibility) << '\n';
    out << "hidden answers: " << qid_list(survey.hidden_answers) << '\n';
    out << "variables: " << variables_text(survey.variables) << '\n';
    if (survey.items.empty()) {
        out << "answers: none\n";
        return;
    }
    out << "answers:\n";
    TextTable table({"  QID", "ANSWER"});
    for (const auto& item : survey.items) {
        table.add({"  " + std::to_string(item.qid), item_text(item)});
    }
    table.print(out);
}

}  // namespace

void print_survey(Context& context, const store::StoredSurvey& survey) {
    if (context.wants_json()) {
        nlohmann::ordered_json document;
        document["survey"] = store::survey_json(survey, true);
        context.out << json_text(document) << '\n';
    } else {
        print_text(context, survey);
    }
}

store::SurveyStore survey_store(Context& context, store::Access access) {
    return store::SurveyStore(context.database(access), context.clock(), context.config());
}

CLI::Option* add_survey_argument(CLI::App& app, std::string& survey) {
    return app.add_option("SURVEY", survey, "The survey's id, or the key it was created with")
        ->required();
}

}  // namespace chat::cli
