#include "schema/checks.hpp"
#include "schema/placeholders.hpp"

#include <algorithm>
#include <unordered_set>

namespace chat::schema {
namespace {

bool is_blank(std::string_view text) {
    return text.find_first_not_of(" \t\r\n") == std::string_view::npos;
}

bool has_text(const LocalizedText& text) {
    return std::any_of(text.translations.begin(), text.translations.end(),
                       [](const auto& translation) { return !is_blank(translation.text); });
}

class TextChecker {
public:
    explicit TextChecker(const CheckContext& context) : m_context(context) {
        for (const auto& question : context.schema.questions) {
            m_qids.insert(question.qid);
        }
    }

    void check_question(const Question& question) {
        if (is_shown(question.type)) {
            check_text(question.text, question.locs.self, describe_question(question));
        }
        for (const auto& answer : question.answers) {
            check_text(answer.text, answer.loc,
                       "answer " + std::to_string(answer.position + 1) + " of " +
                           describe_question(question));
        }
    }

private:
    void check_text(const LocalizedText& text, SourceLoc owner, const std::string& owner_name) {
        if (!has_text(text)) {
            if (m_context.reporter.has_error_at(text.loc)) {
                return;  // the value was already reported (e.g. a list instead of text)
            }
            m_context.reporter.error(text.loc.is_known() ? text.loc : owner, "text-missing",
                                     owner_name + " has no text");
            return;
        }
        check_translations(text, owner_name);
        for (const auto& translation : text.translations) {
            check_placeholders(translation.loc, translation.text);
        }
    }

    void check_translations(const LocalizedText& text, const std::string& owner_name) {
        if (text.is_plain()) {
            return;  // a plain string is the same text in every language
        }
        for (const auto& language : m_context.schema.languages) {
            bool is_present = std::any_of(
                text.translations.begin(), text.translations.end(),
                [&](const auto& translation) { return translation.language == language; });
            if (!is_present) {
                m_context.reporter.warning(
                    text.loc, "missing-translation",
                    "the text of " + owner_name + " has no '" + language + "' translation");
            }
        }
    }

    void check_placeholders(SourceLoc text_loc, const std::string& text) {
        auto has_qid = [this](std::int64_t qid) { return m_qids.contains(qid); };
        for (const auto& placeholder : find_placeholders(text)) {
            std::string reason = placeholder.error.empty()
                                     ? unknown_path_reason(placeholder, has_qid)
                                     : placeholder.error;
            if (reason.empty()) {
                continue;
            }
            m_context.reporter.warning(
                locate_inside(m_context.source, text_loc, text, placeholder.offset),
                "unknown-placeholder", "placeholder cannot be filled: " + reason);
        }
    }

    const CheckContext& m_context;
    std::unordered_set<std::int64_t> m_qids;
};

}  // namespace

void check_texts(const CheckContext& context) {
    TextChecker checker(context);
    for (const auto& question : context.schema.questions) {
        checker.check_question(question);
    }
}

}  // namespace chat::schema
