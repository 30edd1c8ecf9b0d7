#include <chat/schema_export.hpp>

#include "schema/yaml_emitter.hpp"

#include <algorithm>
#include <cmath>
#include <stdexcept>
#include <tuple>
#include <utility>
#include <vector>

namespace chat::schema {
namespace {

using Document = nlohmann::ordered_json;

// Groups, questions and answers all carry a position; files and comparisons use that order.
template <typename Element>
std::vector<const Element*> sorted_by_position(const std::vector<Element>& elements) {
    std::vector<const Element*> sorted;
    sorted.reserve(elements.size());
    for (const auto& element : elements) {
        sorted.push_back(&element);
    }
    std::stable_sort(sorted.begin(), sorted.end(),
                     [](const Element* a, const Element* b) { return a->position < b->position; });
    return sorted;
}

// ---- the document ---------------------------------------------------------------------------

Document text_document(const LocalizedText& text, const std::vector<std::string>& languages) {
    if (text.is_plain()) {
        return text.translations.front().text;
    }
    Document map = Document::object();
    for (const auto& language : languages) {
        for (const auto& translation : text.translations) {
            if (translation.language == language) {
                map[language] = translation.text;
            }
        }
    }
    std::vector<const Translation*> others;
    for (const auto& translation : text.translations) {
        if (std::find(languages.begin(), languages.end(), translation.language) ==
            languages.end()) {
            others.push_back(&translation);
        }
    }
    std::stable_sort(others.begin(), others.end(), [](const Translation* a, const Translation* b) {
        return a->language < b->language;
    });
    for (const Translation* translation : others) {
        map[translation->language] = translation->text;
    }
    return map;
}

// 0 and 10 read better than 0.0 and 10.0; the loader reads both back as the same double.
Document number_document(double value) {
    constexpr double k_two_to_63 = 9223372036854775808.0;
    bool is_whole_int64 = std::isfinite(value) && std::trunc(value) == value &&
                          value >= -k_two_to_63 && value < k_two_to_63;
    if (is_whole_int64) {
        return static_cast<std::int64_t>(value);
    }
    return value;
}

Document modifications_document(const std::vector<VariableModification>& modifications) {
    Document list = Document::array();
    for (const auto& modification : modifications) {
        list.push_back(Document::array({modification.variable, modification.expression}));
    }
    return list;
}

Document rules_document(const std::vector<ForkRule>& rules) {
    Document list = Document::array();
    for (const auto& rule : rules) {
        list.push_back(Document::array({rule.target, rule.condition}));
    }
    return list;
}

void put_text(Document& object, const char* key, const LocalizedText& text,
              const std::vector<std::string>& languages) {
    if (!text.translations.empty()) {
        object[key] = text_document(text, languages);
    }
}

void put_json(Document& object, const char* key, const nlohmann::json& value) {
    if (!value.is_null()) {
        object[key] = Document(value);
    }
}

void put_string(Document& object, const char* key, const std::optional<std::string>& value) {
    if (value) {
        object[key] = *value;
    }
}

void put_modifications(Document& object, const std::vector<VariableModification>& modifications) {
    if (!modifications.empty()) {
        object["variable_modifications"] = modifications_document(modifications);
    }
}

Document answer_document(const Answer& answer, const std::vector<std::string>& languages) {
    Document object = Document::object();
    put_text(object, "text", answer.text, languages);
    if (answer.next_qid) {
        object["next_qid"] = *answer.next_qid;
    }
    if (answer.exclusive) {
        object["exclusive"] = true;
    }
    put_json(object, "meta", answer.meta);
    if (!answer.comments.empty()) {
        object["comments"] = answer.comments;
    }
    put_modifications(object, answer.variable_modifications);
    return object;
}

Document attachment_document(const AttachmentTemplate& attachment) {
    Document object = Document::object();
    object["type"] = attachment.type;
    put_string(object, "title", attachment.title);
    put_string(object, "description", attachment.description);
    put_string(object, "url", attachment.url);
    put_json(object, "options", attachment.options);
    put_json(object, "thumbnail", attachment.thumbnail);
    if (attachment.object) {
        object["object"] = {{"type", attachment.object->type}, {"id", attachment.object->id}};
    }
    return object;
}

// Range bounds, routing and the lists at the end of a question.
void put_question_tail(Document& object, const Question& question,
                       const std::vector<std::string>& languages) {
    if (question.next_qid) {
        object["next_qid"] = *question.next_qid;
    }
    if (question.choice_open) {
        object["choice_open"] = true;
    }
    if (question.range_from) {
        object["range_from"] = number_document(*question.range_from);
    }
    if (question.range_to) {
        object["range_to"] = number_document(*question.range_to);
    }
    put_modifications(object, question.variable_modifications);
    if (!question.forking_rules.empty()) {
        object["forking_rules"] = rules_document(question.forking_rules);
    }
    if (!question.answers.empty()) {
        Document& answers = object["answers"] = Document::array();
        for (const Answer* answer : sorted_by_position(question.answers)) {
            answers.push_back(answer_document(*answer, languages));
        }
    }
    if (!question.attachments.empty()) {
        Document& attachments = object["attachments"] = Document::array();
        for (const auto& attachment : question.attachments) {
            attachments.push_back(attachment_document(attachment));
        }
    }
}

Document question_document(const Question& question, std::size_t index,
                           const std::vector<std::string>& languages) {
    Document object = Document::object();
    object["qid"] = question.qid;
    if (question.position != static_cast<std::int64_t>(index)) {
        object["position"] = question.position;
    }
    object["type"] = question_type_name(question.type);
    put_text(object, "text", question.text, languages);
    put_string(object, "group", question.group);
    if (question.required) {
        object["required"] = true;
    }
    put_string(object, "show_as_type", question.show_as_type);
    put_json(object, "meta", question.meta);
    if (!question.comments.empty()) {
        object["comments"] = question.comments;
    }
    put_question_tail(object, question, languages);
    return object;
}

Document groups_document(const std::vector<Group>& groups) {
    Document list = Document::array();
    std::size_t index = 0;
    for (const Group* group : sorted_by_position(groups)) {
        Document object = {{"name", group->name}};
        if (group->position != static_cast<std::int64_t>(index)) {
            object["position"] = group->position;
        }
        list.push_back(std::move(object));
        ++index;
    }
    return list;
}

std::string dump_json(const Document& document) {
    try {
        return document.dump(2, ' ', false) + "\n";
    } catch (const nlohmann::json::exception& error) {
        throw std::runtime_error(std::string("cannot write JSON: ") + error.what());
    }
}

// ---- content comparison ---------------------------------------------------------------------

// Like ==, but 1 and 1.0 differ: they are copied into messages as different JSON.
bool is_same_json(const nlohmann::json& a, const nlohmann::json& b) {
    std::vector<std::pair<const nlohmann::json*, const nlohmann::json*>> pending{{&a, &b}};
    while (!pending.empty()) {
        auto [left, right] = pending.back();
        pending.pop_back();
        if (left->is_number_float() != right->is_number_float()) {
            return false;
        }
        if (!left->is_structured() && !right->is_structured()) {
            if (*left != *right) {
                return false;
            }
            continue;
        }
        if (left->type() != right->type() || left->size() != right->size()) {
            return false;
        }
        // nlohmann::json keeps object keys sorted, so equal objects line up element by element.
        for (auto l = left->begin(), r = right->begin(); l != left->end(); ++l, ++r) {
            if (left->is_object() && l.key() != r.key()) {
                return false;
            }
            pending.emplace_back(&l.value(), &r.value());
        }
    }
    return true;
}

bool is_same_text(const LocalizedText& a, const LocalizedText& b) {
    auto sorted = [](const LocalizedText& text) {
        std::vector<std::pair<std::string_view, std::string_view>> pairs;
        for (const auto& translation : text.translations) {
            pairs.emplace_back(translation.language, translation.text);
        }
        std::sort(pairs.begin(), pairs.end());
        return pairs;
    };
    return sorted(a) == sorted(b);
}

bool is_same_modifications(const std::vector<VariableModification>& a,
                           const std::vector<VariableModification>& b) {
    return std::equal(a.begin(), a.end(), b.begin(), b.end(),
                      [](const VariableModification& x, const VariableModification& y) {
                          return x.variable == y.variable && x.expression == y.expression;
                      });
}

bool is_same_rules(const std::vector<ForkRule>& a, const std::vector<ForkRule>& b) {
    return std::equal(a.begin(), a.end(), b.begin(), b.end(),
                      [](const ForkRule& x, const ForkRule& y) {
                          return x.target == y.target && x.condition == y.condition;
                      });
}

bool is_same_answer(const Answer& a, const Answer& b) {
    return a.position == b.position && is_same_text(a.text, b.text) && a.next_qid == b.next_qid &&
           a.exclusive == b.exclusive && is_same_json(a.meta, b.meta) && a.comments == b.comments &&
           is_same_modifications(a.variable_modifications, b.variable_modifications);
}

bool is_same_object(const std::optional<ObjectReference>& a,
                    const std::optional<ObjectReference>& b) {
    if (!a || !b) {
        return a.has_value() == b.has_value();
    }
    return a->type == b->type && a->id == b->id;
}

bool is_same_attachment(const AttachmentTemplate& a, const AttachmentTemplate& b) {
    return a.type == b.type && a.title == b.title && a.description == b.description &&
           a.url == b.url && is_same_json(a.options, b.options) &&
           is_same_json(a.thumbnail, b.thumbnail) && is_same_object(a.object, b.object);
}

template <typename Element, typename Same>
bool is_same_list(const std::vector<Element>& a, const std::vector<Element>& b, Same same) {
    return std::equal(a.begin(), a.end(), b.begin(), b.end(), same);
}

template <typename Element, typename Same>
bool is_same_by_position(const std::vector<Element>& a, const std::vector<Element>& b, Same same) {
    auto sorted_a = sorted_by_position(a);
    auto sorted_b = sorted_by_position(b);
    return std::equal(sorted_a.begin(), sorted_a.end(), sorted_b.begin(), sorted_b.end(),
                      [&same](const Element* x, const Element* y) { return same(*x, *y); });
}

bool is_same_question_head(const Question& a, const Question& b) {
    return std::tie(a.qid, a.position, a.type, a.group, a.required, a.show_as_type, a.comments,
                    a.next_qid, a.choice_open, a.range_from, a.range_to) ==
               std::tie(b.qid, b.position, b.type, b.group, b.required, b.show_as_type, b.comments,
                        b.next_qid, b.choice_open, b.range_from, b.range_to) &&
           is_same_text(a.text, b.text) && is_same_json(a.meta, b.meta);
}

bool is_same_question(const Question& a, const Question& b) {
    return is_same_question_head(a, b) &&
           is_same_modifications(a.variable_modifications, b.variable_modifications) &&
           is_same_rules(a.forking_rules, b.forking_rules) &&
           is_same_by_position(a.answers, b.answers, is_same_answer) &&
           is_same_list(a.attachments, b.attachments, is_same_attachment);
}

bool is_same_group(const Group& a, const Group& b) {
    return a.name == b.name && a.position == b.position;
}

}  // namespace

nlohmann::ordered_json schema_document(const Schema& schema, bool include_version) {
    Document document = Document::object();
    document["name"] = schema.name;
    document["type"] = schema.type;
    if (include_version && schema.version) {
        document["version"] = *schema.version;
    }
    if (schema.languages != std::vector<std::string>{"en"}) {
        document["languages"] = schema.languages;
    }
    if (!schema.groups.empty()) {
        document["groups"] = groups_document(schema.groups);
    }
    Document& questions = document["questions"] = Document::array();
    std::size_t index = 0;
    for (const Question* question : sorted_by_position(schema.questions)) {
        questions.push_back(question_document(*question, index++, schema.languages));
    }
    return document;
}

std::string write_schema(const Schema& schema, ExportFormat format) {
    Document document = schema_document(schema, true);
    return format == ExportFormat::json ? dump_json(document) : write_yaml(document);
}

bool has_same_content(const Schema& a, const Schema& b) {
    return a.name == b.name && a.type == b.type && a.languages == b.languages &&
           is_same_by_position(a.groups, b.groups, is_same_group) &&
           is_same_by_position(a.questions, b.questions, is_same_question);
}

}  // namespace chat::schema
