#include "schema/build_schema.hpp"

#include "schema/node_reader.hpp"

#include <chat/schema.hpp>

#include <algorithm>
#include <array>

namespace chat::schema {
namespace {

constexpr std::array<std::string_view, 6> k_schema_keys = {"name",      "type",   "version",
                                                           "languages", "groups", "questions"};
constexpr std::array<std::string_view, 2> k_group_keys = {"name", "position"};
constexpr std::array<std::string_view, 17> k_question_keys = {
    "qid",           "position",
    "type",          "text",
    "group",         "required",
    "show_as_type",  "meta",
    "comments",      "next_qid",
    "choice_open",   "range_from",
    "range_to",      "variable_modifications",
    "forking_rules", "answers",
    "attachments"};
constexpr std::array<std::string_view, 6> k_answer_keys = {
    "text", "next_qid", "exclusive", "meta", "comments", "variable_modifications"};
constexpr std::array<std::string_view, 7> k_attachment_keys = {
    "type", "title", "description", "url", "options", "thumbnail", "object"};
constexpr std::array<std::string_view, 2> k_object_keys = {"type", "id"};

constexpr std::size_t k_max_name_length = 100;

bool is_valid_schema_name(std::string_view name) {
    return !name.empty() && name.size() <= k_max_name_length &&
           std::all_of(name.begin(), name.end(), [](char c) {
               return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                      c == '_' || c == '.' || c == '-';
           });
}

class Builder {
public:
    Builder(const Config& config, Reporter& reporter) : m_config(config), m_reporter(reporter) {}

    Schema build(const Node& root) {
        Schema schema;
        schema.locs.self = loc_of(root);
        if (!expect_mapping(root, "the schema", m_reporter)) {
            return schema;
        }
        MappingReader reader(root, "schema", k_schema_keys, m_reporter);
        read_header(reader, schema);
        m_languages = schema.languages;
        if (const Node* groups = reader.sequence("groups")) {
            read_groups(*groups, schema);
        } else if (reader.find("groups")) {
            m_has_every_target = false;  // groups written, but not as a list
        }
        if (const Node* questions = reader.sequence("questions", true)) {
            schema.locs.questions = loc_of(*questions);
            read_questions(*questions, schema);
        }
        return schema;
    }

    bool has_every_target() const { return m_has_every_target; }

private:
    void read_header(const MappingReader& reader, Schema& schema) {
        if (auto name = reader.text("name", true)) {
            schema.name = *name;
            schema.locs.name = loc_of(*reader.find("name"));
            if (!is_valid_schema_name(*name)) {
                m_reporter.error(
                    schema.locs.name, "invalid-value",
                    "schema name '" + *name + "' must be 1 to 100 characters of A-Z a-z 0-9 _ . -");
            }
        }
        if (auto type = reader.text("type", true)) {
            schema.type = *type;
            schema.locs.type = loc_of(*reader.find("type"));
            const auto& types = m_config.schema_types;
            if (std::find(types.begin(), types.end(), *type) == types.end()) {
                m_reporter.error(
                    schema.locs.type, "unknown-schema-type",
                    "unknown schema type '" + *type + "'; configured types: " + join(types));
            }
        }
        if (auto version = reader.integer("version")) {
            schema.version = *version;
            schema.locs.version = loc_of(*reader.find("version"));
            if (*version < 1) {
                m_reporter.error(schema.locs.version, "invalid-value",
                                 "version must be 1 or more, found " + std::to_string(*version));
            }
        }
        if (const Node* languages = reader.sequence("languages")) {
            schema.locs.languages = loc_of(*languages);
            read_languages(*languages, schema);
        }
    }

    void read_languages(const Node& list, Schema& schema) {
        std::vector<std::string> languages;
        for (const auto& item : list.items) {
            if (item.kind != NodeKind::scalar || item.text.empty()) {
                m_reporter.error(loc_of(item), "wrong-type",
                                 "a language must be a language code, found " + describe(item));
            } else if (std::find(languages.begin(), languages.end(), item.text) !=
                       languages.end()) {
                m_reporter.error(loc_of(item), "invalid-value",
                                 "language '" + item.text + "' is listed twice");
            } else {
                languages.push_back(item.text);
            }
        }
        if (list.items.empty()) {
            m_reporter.error(loc_of(list), "invalid-value", "languages must list at least one");
        }
        if (!languages.empty()) {
            schema.languages = std::move(languages);
        }
    }

    void read_groups(const Node& list, Schema& schema) {
        for (std::size_t index = 0; index < list.items.size(); ++index) {
            const Node& item = list.items[index];
            if (!expect_mapping(item, "a group", m_reporter)) {
                m_has_every_target = false;
                continue;
            }
            MappingReader reader(item, "group", k_group_keys, m_reporter);
            auto name = reader.text("name", true);
            if (!name) {
                m_has_every_target = false;  // reported; a nameless group cannot be referred to
                continue;
            }
            Group group;
            group.loc = loc_of(item);
            group.name = std::move(*name);
            group.position = reader.integer("position").value_or(static_cast<std::int64_t>(index));
            group.position_loc =
                reader.find("position") ? loc_of(*reader.find("position")) : group.loc;
            schema.groups.push_back(std::move(group));
        }
    }

    void read_questions(const Node& list, Schema& schema) {
        if (list.items.empty()) {
            m_reporter.error(loc_of(list), "schema-empty", "the schema has no questions");
            return;
        }
        if (list.items.size() > k_max_questions) {
            m_reporter.error(loc_of(list), "invalid-value",
                             "the schema has " + std::to_string(list.items.size()) +
                                 " questions; at most " + std::to_string(k_max_questions) +
                                 " are allowed");
            return;
        }
        schema.questions.reserve(list.items.size());
        for (std::size_t index = 0; index < list.items.size(); ++index) {
            if (auto question = read_question(list.items[index], index)) {
                schema.questions.push_back(std::move(*question));
            } else {
                m_has_every_target = false;
            }
        }
    }

    std::optional<Question> read_question(const Node& item, std::size_t index) {
        if (!expect_mapping(item, "a question", m_reporter)) {
            return std::nullopt;
        }
        MappingReader reader(item, "question", k_question_keys, m_reporter);
        Question question;
        auto& locs = question.locs;
        locs.self = loc_of(item);
        auto qid = reader.integer("qid", true);
        auto type = read_question_type(reader);
        question.position = reader.integer("position").value_or(static_cast<std::int64_t>(index));
        question.text = read_text(reader, "text");
        question.group = reader.text("group");
        question.required = reader.boolean("required").value_or(false);
        question.show_as_type = reader.text("show_as_type");
        question.meta = json_field(reader, "meta");
        question.comments = reader.text("comments").value_or("");
        question.next_qid = reader.integer("next_qid");
        question.choice_open = reader.boolean("choice_open").value_or(false);
        question.range_from = reader.number("range_from");
        question.range_to = reader.number("range_to");
        question.variable_modifications = read_modifications(reader);
        question.forking_rules = read_forking_rules(reader);
        question.answers = read_answers(reader, qid);
        question.attachments = read_attachments(reader);
        locs.qid = field_loc(reader, "qid");
        locs.position = field_loc(reader, "position");
        locs.type = field_loc(reader, "type");
        locs.group = field_loc(reader, "group");
        locs.next_qid = field_loc(reader, "next_qid");
        locs.choice_open = field_loc(reader, "choice_open");
        locs.range_from = field_loc(reader, "range_from");
        locs.range_to = field_loc(reader, "range_to");
        locs.forking_rules = field_loc(reader, "forking_rules");
        locs.answers = field_loc(reader, "answers");
        if (qid && *qid < 0) {
            m_reporter.error(locs.qid, "invalid-value",
                             "qid must be 0 or more, found " + std::to_string(*qid));
            return std::nullopt;
        }
        if (!qid || !type) {
            return std::nullopt;
        }
        question.qid = *qid;
        question.type = *type;
        return question;
    }

    static SourceLoc field_loc(const MappingReader& reader, std::string_view key) {
        const Node* value = reader.find(key);
        return value ? loc_of(*value) : SourceLoc{};
    }

    std::optional<QuestionType> read_question_type(const MappingReader& reader) {
        auto name = reader.text("type", true);
        if (!name) {
            return std::nullopt;
        }
        auto type = question_type_from_name(*name);
        if (!type) {
            std::string message = "unknown question type '" + *name + "'";
            if (auto suggestion = nearest_word(*name, question_type_names())) {
                message += "; did you mean '" + std::string(*suggestion) + "'?";
            }
            m_reporter.error(loc_of(*reader.find("type")), "invalid-value", std::move(message));
        }
        return type;
    }

    LocalizedText read_text(const MappingReader& reader, std::string_view key) {
        LocalizedText text;
        const Node* value = reader.find(key);
        if (!value) {
            return text;
        }
        text.loc = loc_of(*value);
        if (value->kind == NodeKind::scalar) {
            text.translations.push_back({"", value->text, text.loc});
            return text;
        }
        if (value->kind != NodeKind::mapping) {
            m_reporter.error(text.loc, "wrong-type",
                             std::string(key) +
                                 " must be text or a map of language to text, found " +
                                 describe(*value));
            return text;
        }
        for (const auto& [language, translation] : value->entries) {
            if (std::find(m_languages.begin(), m_languages.end(), language.text) ==
                m_languages.end()) {
                m_reporter.error(loc_of(language), "invalid-value",
                                 "language '" + language.text +
                                     "' is not among the schema's languages (" + join(m_languages) +
                                     ")");
                continue;
            }
            if (translation.kind != NodeKind::scalar) {
                m_reporter.error(
                    loc_of(translation), "wrong-type",
                    "the " + language.text + " text must be text, found " + describe(translation));
                continue;
            }
            // An empty or null translation is a missing one (reported by the text checks).
            bool is_empty = classify(translation) == ScalarKind::null || translation.text.empty();
            if (!is_empty) {
                text.translations.push_back({language.text, translation.text, loc_of(translation)});
            }
        }
        return text;
    }

    static nlohmann::json json_field(const MappingReader& reader, std::string_view key) {
        const Node* value = reader.find(key);
        return value ? to_json(*value) : nlohmann::json();
    }

    // A pair written as a two-element list of scalars: [variable, expression], [target, rule].
    const Node* expect_pair(const Node& item, std::string_view what) {
        bool is_pair = item.kind == NodeKind::sequence && item.items.size() == 2 &&
                       item.items[0].kind == NodeKind::scalar &&
                       item.items[1].kind == NodeKind::scalar;
        if (!is_pair) {
            m_reporter.error(loc_of(item), "wrong-type",
                             std::string(what) + ", found " + describe(item));
            return nullptr;
        }
        return &item;
    }

    std::vector<VariableModification> read_modifications(const MappingReader& reader) {
        std::vector<VariableModification> modifications;
        const Node* list = reader.sequence("variable_modifications");
        if (!list) {
            return modifications;
        }
        for (const auto& item : list->items) {
            if (!expect_pair(item,
                             "a variable modification must be a list [variable, expression]")) {
                continue;
            }
            modifications.push_back({item.items[0].text, item.items[1].text, loc_of(item.items[0]),
                                     loc_of(item.items[1])});
        }
        return modifications;
    }

    std::vector<ForkRule> read_forking_rules(const MappingReader& reader) {
        std::vector<ForkRule> rules;
        const Node* list = reader.sequence("forking_rules");
        if (!list) {
            return rules;
        }
        for (const auto& item : list->items) {
            if (!expect_pair(item, "a forking rule must be a list [target, condition]")) {
                continue;
            }
            rules.push_back({item.items[0].text, item.items[1].text, loc_of(item),
                             loc_of(item.items[0]), loc_of(item.items[1])});
        }
        return rules;
    }

    std::vector<Answer> read_answers(const MappingReader& reader, std::optional<std::int64_t> qid) {
        std::vector<Answer> answers;
        const Node* list = reader.sequence("answers");
        if (!list) {
            return answers;
        }
        for (std::size_t index = 0; index < list->items.size(); ++index) {
            const Node& item = list->items[index];
            if (!expect_mapping(item, "an answer", m_reporter)) {
                continue;
            }
            std::string what = "answer " + std::to_string(index + 1);
            if (qid) {
                what += " of question " + std::to_string(*qid);
            }
            MappingReader answer_reader(item, what, k_answer_keys, m_reporter);
            Answer answer;
            answer.loc = loc_of(item);
            answer.position = static_cast<std::int64_t>(index);
            answer.text = read_text(answer_reader, "text");
            answer.next_qid = answer_reader.integer("next_qid", true);
            answer.next_qid_loc = field_loc(answer_reader, "next_qid");
            answer.exclusive = answer_reader.boolean("exclusive").value_or(false);
            answer.exclusive_loc = field_loc(answer_reader, "exclusive");
            answer.meta = json_field(answer_reader, "meta");
            answer.comments = answer_reader.text("comments").value_or("");
            answer.variable_modifications = read_modifications(answer_reader);
            answers.push_back(std::move(answer));
        }
        return answers;
    }

    std::vector<AttachmentTemplate> read_attachments(const MappingReader& reader) {
        std::vector<AttachmentTemplate> attachments;
        const Node* list = reader.sequence("attachments");
        if (!list) {
            return attachments;
        }
        for (const auto& item : list->items) {
            if (!expect_mapping(item, "an attachment", m_reporter)) {
                continue;
            }
            MappingReader attachment_reader(item, "attachment", k_attachment_keys, m_reporter);
            AttachmentTemplate attachment;
            attachment.loc = loc_of(item);
            attachment.type = attachment_reader.text("type", true).value_or("");
            attachment.title = attachment_reader.text("title");
            attachment.description = attachment_reader.text("description");
            attachment.url = attachment_reader.text("url");
            attachment.url_loc = field_loc(attachment_reader, "url");
            attachment.options = json_field(attachment_reader, "options");
            attachment.thumbnail = json_field(attachment_reader, "thumbnail");
            attachment.object = read_object(attachment_reader);
            attachments.push_back(std::move(attachment));
        }
        return attachments;
    }

    std::optional<ObjectReference> read_object(const MappingReader& reader) {
        const Node* value = reader.find("object");
        if (!value || !expect_mapping(*value, "object", m_reporter)) {
            return std::nullopt;
        }
        MappingReader object_reader(*value, "object", k_object_keys, m_reporter);
        auto type = object_reader.text("type", true);
        auto id = object_reader.integer("id", true);
        if (!type || !id) {
            return std::nullopt;
        }
        return ObjectReference{*type, *id};
    }

    const Config& m_config;
    Reporter& m_reporter;
    std::vector<std::string> m_languages;
    bool m_has_every_target = true;
};

}  // namespace

BuiltSchema build_schema(const Node& root, const Config& config, Reporter& reporter) {
    Builder builder(config, reporter);
    Schema schema = builder.build(root);
    return {std::move(schema), builder.has_every_target()};
}

}  // namespace chat::schema
