#include "schema/checks.hpp"
#include "schema/node_reader.hpp"

#include <chat/attachment_rules.hpp>

namespace chat::schema {
namespace {

// Reports the rule an attachment template breaks (the rules are shared with sending messages),
// located at the template or at its url.
void check_attachment(const CheckContext& context, const AttachmentTemplate& attachment,
                      const Question& question) {
    if (attachment.type.empty()) {
        return;  // reported where the template is read
    }
    auto problem = attachment_problem(attachment, context.config.attachments);
    if (!problem) {
        return;
    }
    switch (problem->kind) {
        case AttachmentProblem::Kind::missing_field:
            context.reporter.error(attachment.loc, "missing-field",
                                   attachment.type + " attachment of " +
                                       describe_question(question) + " has no '" + problem->field +
                                       "'");
            break;
        case AttachmentProblem::Kind::wrong_url:
            context.reporter.error(attachment.url_loc, "invalid-value", problem->message);
            break;
        case AttachmentProblem::Kind::unknown_type: {
            std::string known = "image, youtube, object_reference";
            for (const auto& [name, type] : context.config.attachments.custom) {
                known += ", " + name;
            }
            context.reporter.error(attachment.loc, "invalid-value",
                                   "unknown attachment type '" + attachment.type + "' on " +
                                       describe_question(question) + "; expected " + known);
            break;
        }
    }
}

}  // namespace

void check_attachments(const CheckContext& context) {
    for (const auto& question : context.schema.questions) {
        for (const auto& attachment : question.attachments) {
            check_attachment(context, attachment, question);
        }
    }
}

}  // namespace chat::schema
