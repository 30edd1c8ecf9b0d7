#pragma once
// What the survey commands share: reading a survey reference and printing a survey.

#include "context.hpp"

#include <chat/survey_store.hpp>

namespace chat::cli {

/// The survey with its state and answers: text, or {"survey": {...}} with --format json.
void print_survey(Context& context, const store::StoredSurvey& survey);

store::SurveyStore survey_store(Context& context, store::Access access);

/// The option and the help text every command that names one survey uses.
CLI::Option* add_survey_argument(CLI::App& app, std::string& survey);

}  // namespace chat::cli
