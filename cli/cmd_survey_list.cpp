// chatctl survey list [--user U] [--limit N] [--offset M]

#include "commands.hpp"
#include "survey_output.hpp"
#include "text_table.hpp"

#include <limits>
#include <memory>

namespace chat::cli {
namespace {

void print_text(Context& context, const store::SurveyList& list) {
    TextTable table({"ID", "KEY", "USER", "SCHEMA", "COMPLETED", "VISIBLE", "UPDATED"});
    for (const auto& survey : list.surveys) {
        table.add({std::to_string(survey.id), survey.key.value_or("-"),
                   std::to_string(survey.user_id), survey.schema.label(),
                   survey.completed ? "yes" : "no", std::to_string(survey.visibility.size()),
                   survey.updated});
    }
    if (!list.surveys.empty()) {
        table.print(context.out);
    }
    if (!context.options.is_quiet) {
        context.err << plural(static_cast<std::int64_t>(list.surveys.size()), "survey") << " of "
                    << list.total << '\n';
    }
}

ExitCode run_list(const store::SurveyListFilter& filter, Context& context) {
    auto list = survey_store(context, store::Access::read).list(filter);
    if (context.wants_json()) {
        nlohmann::ordered_json document;
        document["surveys"] = nlohmann::ordered_json::array();
        for (const auto& survey : list.surveys) {
            document["surveys"].push_back(store::survey_json(survey, false));
        }
        document["total"] = list.total;
        document["offset"] = filter.offset;
        document["limit"] = filter.limit ? nlohmann::ordered_json(*filter.limit) : nullptr;
        context.out << json_text(document) << '\n';
    } else {
        print_text(context, list);
    }
    return ExitCode::success;
}

}  // namespace

void register_survey_list(CLI::App& survey, CommandTable& commands, Context& context) {
    auto filter = std::make_shared<store::SurveyListFilter>();
    auto* app = survey.add_subcommand("list", "List surveys by id");
    app->add_option("--user", filter->user_id, "Only this user's surveys")
        ->check(CLI::Range(std::int64_t{1}, std::numeric_limits<std::int64_t>::max()))
        ->option_text("ID");
    app->add_option("--limit", filter->limit, "At most N surveys")
        ->check(CLI::Range(std::int64_t{0}, std::numeric_limits<std::int64_t>::max()))
        ->option_text("N");
    app->add_option("--offset", filter->offset, "Skip the first M surveys")
        ->check(CLI::Range(std::int64_t{0}, std::numeric_limits<std::int64_t>::max()))
        ->option_text("M");
    commands.emplace_back(app, [filter, &context] { return run_list(*filter, context); });
}

}  // namespace chat::cli
