// chatctl survey delete-answer SURVEY --qid Q

#include "commands.hpp"
#include "survey_output.hpp"

#include <limits>
#include <memory>

namespace chat::cli {
namespace {

struct DeleteOptions {
    std::string survey;
    std::int64_t qid = 0;
};

ExitCode run_delete(const DeleteOptions& options, Context& context) {
    auto survey = survey_store(context, store::Access::write)
                      .delete_answer(store::SurveyReference::parse(options.survey), options.qid);
    print_survey(context, survey);
    return ExitCode::success;
}

}  // namespace

void register_survey_delete_answer(CLI::App& survey, CommandTable& commands, Context& context) {
    auto options = std::make_shared<DeleteOptions>();
    auto* app = survey.add_subcommand("delete-answer", "Delete the answer to one question");
    add_survey_argument(*app, options->survey);
    app->add_option("--qid", options->qid, "The question whose answer goes")
        ->required()
        ->check(CLI::Range(std::int64_t{0}, std::numeric_limits<std::int64_t>::max()))
        ->option_text("Q");
    commands.emplace_back(app, [options, &context] { return run_delete(*options, context); });
}

}  // namespace chat::cli
