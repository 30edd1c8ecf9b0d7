#include "schema/checks.hpp"

namespace chat::schema {
namespace {

SourceLoc or_self(SourceLoc loc, const Question& question) {
    return loc.is_known() ? loc : question.locs.self;
}

void check_routing(const Question& question, Reporter& reporter) {
    if (routes_by_next_qid(question.type) && !question.next_qid) {
        reporter.error(question.locs.self, "next-qid-missing",
                       describe_question(question) + " has no next_qid (use -1 to end the flow)");
    }
    if (!routes_by_next_qid(question.type) && question.next_qid) {
        std::string reason =
            question.type == QuestionType::fork ? "its forking rules route" : "its answers route";
        reporter.warning(question.locs.next_qid, "next-qid-not-allowed",
                         "next_qid of " + describe_question(question) + " is ignored: " + reason);
    }
}

void check_answers(const Question& question, Reporter& reporter) {
    if (is_answered_by_choice(question.type)) {
        if (question.answers.empty() && !reporter.has_error_at(question.locs.answers)) {
            reporter.error(or_self(question.locs.answers, question), "answers-missing",
                           describe_question(question) + " has no answers");
        }
    } else if (!question.answers.empty()) {
        reporter.error(question.locs.answers, "answers-not-allowed",
                       describe_question(question) + " takes no answers");
    }
    if (question.choice_open && !is_answered_by_choice(question.type)) {
        reporter.error(question.locs.choice_open, "choice-open-not-allowed",
                       "choice_open is only for choice and multichoice questions, not " +
                           describe_question(question));
    }
    for (const auto& answer : question.answers) {
        if (answer.exclusive && question.type != QuestionType::multichoice) {
            reporter.warning(answer.exclusive_loc, "exclusive-not-allowed",
                             "exclusive only matters on multichoice questions, not " +
                                 describe_question(question));
        }
    }
}

void check_range(const Question& question, Reporter& reporter) {
    if (question.type != QuestionType::range) {
        return;
    }
    if (!question.range_from || !question.range_to) {
        reporter.error(question.locs.self, "range-bounds",
                       describe_question(question) + " needs both range_from and range_to");
        return;
    }
    if (*question.range_from > *question.range_to) {
        reporter.error(
            question.locs.range_from, "range-bounds",
            "range_from of " + describe_question(question) + " is greater than its range_to");
    }
}

void check_forking_rules(const Question& question, Reporter& reporter) {
    bool is_fork = question.type == QuestionType::fork;
    if (is_fork && question.forking_rules.empty()) {
        reporter.error(or_self(question.locs.forking_rules, question), "forking-rules-missing",
                       describe_question(question) + " has no forking rules");
    }
    if (!is_fork && !question.forking_rules.empty()) {
        reporter.error(
            question.locs.forking_rules, "forking-rules-not-allowed",
            "forking rules are only for fork questions, not " + describe_question(question));
    }
}

}  // namespace

std::string describe_question(const Question& question) {
    return "question " + std::to_string(question.qid) + " (" +
           std::string(question_type_name(question.type)) + ")";
}

void check_question_fields(const CheckContext& context) {
    for (const auto& question : context.schema.questions) {
        check_routing(question, context.reporter);
        check_answers(question, context.reporter);
        check_range(question, context.reporter);
        check_forking_rules(question, context.reporter);
    }
}

}  // namespace chat::schema
