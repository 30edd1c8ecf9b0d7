// chatctl survey answer SURVEY --qid Q (--text T | --answer A...) [--replace]

#include "commands.hpp"
#include "survey_output.hpp"

#include <limits>
#include <memory>

namespace chat::cli {
namespace {

struct AnswerOptions {
    std::string survey;
    std::int64_t qid = 0;
    std::optional<std::string> text;
    std::vector<std::string> answers;
    bool replace = false;
};

ExitCode run_answer(const AnswerOptions& options, Context& context) {
    store::SurveyAnswer answer;
    answer.qid = options.qid;
    answer.replace = options.replace;
    if (options.text) {
        answer.input.text = *options.text;
    }
    for (const auto& text : options.answers) {
        answer.input.answers.emplace_back(std::string_view(text));
    }
    auto survey = survey_store(context, store::Access::write)
                      .answer(store::SurveyReference::parse(options.survey), answer);
    print_survey(context, survey);
    return ExitCode::success;
}

}  // namespace

void register_survey_answer(CLI::App& survey, CommandTable& commands, Context& context) {
    auto options = std::make_shared<AnswerOptions>();
    auto* app = survey.add_subcommand("answer", "Answer one question of a survey");
    add_survey_argument(*app, options->survey);
    app->add_option("--qid", options->qid, "The question answered")
        ->required()
        ->check(CLI::Range(std::int64_t{0}, std::numeric_limits<std::int64_t>::max()))
        ->option_text("Q");
    app->add_option("--text", options->text,
                    "The answer's text (choice questions: the free text of choice_open)")
        ->option_text("T");
    app->add_option("--answer", options->answers,
                    "A chosen answer: its text in any language, or its position (repeat for "
                    "multichoice)")
        ->option_text("A")
        ->allow_extra_args(false);
    app->add_flag("--replace", options->replace, "Replace an existing answer to the question");
    commands.emplace_back(app, [options, &context] { return run_answer(*options, context); });
}

}  // namespace chat::cli
