#pragma once
// The families of static checks of SPEC §4; each reports through the context's reporter.

#include "schema/reporter.hpp"

#include <chat/config.hpp>
#include <chat/model.hpp>
#include <chat/source_text.hpp>

#include <string>
#include <string_view>

namespace chat::schema {

struct CheckContext {
    const Schema& schema;
    const Config& config;
    const SourceText& source;
    Reporter& reporter;
};

/// "question 3 (choice)": how messages name a question.
std::string describe_question(const Question& question);

/// The location of byte `offset` inside a scalar `value` read at `value_loc`: exact when the
/// source shows the value verbatim on one line (plain or quoted), else the value's own start.
SourceLoc locate_inside(const SourceText& source, SourceLoc value_loc, std::string_view value,
                        std::size_t offset);

/// Routing and type-specific fields: next_qid, answers, choice_open, exclusive, range bounds,
/// forking rules.
void check_question_fields(const CheckContext& context);
/// Missing texts, missing translations and unknown {{ }} placeholders.
void check_texts(const CheckContext& context);
/// Attachment template types and their required fields.
void check_attachments(const CheckContext& context);
/// Uniqueness of qids, positions and group names; groups and next_qids that name nothing.
void check_references(const CheckContext& context);

}  // namespace chat::schema
