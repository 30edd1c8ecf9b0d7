#pragma once
/// Plain value types of a conversation/survey schema (SPEC §1–§2). No I/O here.
/// Every element keeps the SourceLoc it was read from (unknown when built in code or from the
/// database), so that checks can point at the file.

#include <chat/diagnostics.hpp>

#include <cstdint>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace chat {

enum class QuestionType {
    choice,
    multichoice,
    text,
    integer,
    floating,
    range,
    date,
    time,
    datetime,
    message,
    control,
    fork,
};

/// The file-format name of a type ("choice", "int", "float", ...).
std::string_view question_type_name(QuestionType type);
/// The type with that file-format name, if any.
std::optional<QuestionType> question_type_from_name(std::string_view name);
/// Every file-format type name, in declaration order.
const std::vector<std::string_view>& question_type_names();

/// choice and multichoice: answered by picking predefined answers, which route.
bool is_answered_by_choice(QuestionType type);
/// Types whose route is their own next_qid (all but choice, multichoice and fork).
bool routes_by_next_qid(QuestionType type);
/// Questions posted as messages (all but fork).
bool is_shown(QuestionType type);
/// message and fork: the engine moves past them without waiting for the member.
bool is_automatic(QuestionType type);

/// The engine runs at most this many automatic questions (messages, forks) per action and
/// rejects the action beyond (SPEC §7.3); the static checks report longer automatic chains.
inline constexpr std::size_t k_auto_step_limit = 1000;

/// Where a fork target's value leads, as the engine reads it: truncated toward zero like
/// Python's int(); below 0 the flow ends; a value no qid can have (beyond 64-bit integers, or
/// not finite) leads nowhere.
struct TargetQid {
    enum class Kind { end, question, nowhere };
    Kind kind = Kind::end;
    std::int64_t qid = -1;  // for Kind::question
};
TargetQid target_qid(double value);

/// One language's text; `language` is empty for a plain string (every language).
struct Translation {
    std::string language;
    std::string text;
    SourceLoc loc;  // of the text itself, so placeholders inside are located exactly
};

/// A text in one or more languages. A plain string in the file is one translation whose
/// language is empty ("the same text in every language").
struct LocalizedText {
    std::vector<Translation> translations;
    SourceLoc loc;

    bool is_plain() const {
        return translations.size() == 1 && translations.front().language.empty();
    }
};

/// `[variable, expression]`: assigns the expression's value to the variable.
struct VariableModification {
    std::string variable;
    std::string expression;
    SourceLoc variable_loc;
    SourceLoc expression_loc;
};

/// `[target, condition]` of a fork: when condition holds, go to int(target).
struct ForkRule {
    std::string target;
    std::string condition;
    SourceLoc loc;
    SourceLoc target_loc;
    SourceLoc condition_loc;
};

struct ObjectReference {
    std::string type;
    std::int64_t id = 0;
};

/// An attachment copied onto the messages spawned from a question.
struct AttachmentTemplate {
    std::string type;
    std::optional<std::string> title;
    std::optional<std::string> description;
    std::optional<std::string> url;
    nlohmann::json options;    // null when absent
    nlohmann::json thumbnail;  // null when absent
    std::optional<ObjectReference> object;
    SourceLoc loc;
    SourceLoc url_loc;
};

struct Answer {
    LocalizedText text;
    std::optional<std::int64_t> next_qid;
    bool exclusive = false;
    nlohmann::json meta;  // null when absent
    std::string comments;
    std::vector<VariableModification> variable_modifications;
    std::int64_t position = 0;  // index in the question's list
    SourceLoc loc;
    SourceLoc next_qid_loc;
    SourceLoc exclusive_loc;  // known when the file sets it
};

struct Group {
    std::string name;
    std::int64_t position = 0;
    SourceLoc loc;
    SourceLoc position_loc;
};

struct Question {
    std::int64_t qid = 0;
    std::int64_t position = 0;
    QuestionType type = QuestionType::text;
    LocalizedText text;
    std::optional<std::string> group;
    bool required = false;
    std::optional<std::string> show_as_type;
    nlohmann::json meta;  // null when absent
    std::string comments;
    std::optional<std::int64_t> next_qid;
    bool choice_open = false;
    std::optional<double> range_from;
    std::optional<double> range_to;
    std::vector<VariableModification> variable_modifications;
    std::vector<ForkRule> forking_rules;
    std::vector<Answer> answers;
    std::vector<AttachmentTemplate> attachments;

    /// Where each field was read from; unknown for fields the file does not set.
    struct Locations {
        SourceLoc self, qid, position, type, group, next_qid, choice_open, range_from, range_to,
            forking_rules, answers;
    } locs;
};

struct Schema {
    std::string name;
    std::string type;
    std::optional<std::int64_t> version;
    std::vector<std::string> languages{"en"};
    std::vector<Group> groups;
    std::vector<Question> questions;

    struct Locations {
        SourceLoc self, name, type, version, languages, questions;
    } locs;

    const std::string& default_language() const { return languages.front(); }
};

/// The entry question: the one with the lowest position (nullptr when there are none).
const Question* entry_question(const Schema& schema);

}  // namespace chat
