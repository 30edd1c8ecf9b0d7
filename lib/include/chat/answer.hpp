#pragma once
/// Checking an answer against its question (SPEC §7.2), shared by conversations and surveys so
/// that both report the same codes for the same input. Pure functions of the question and the
/// input: no storage, no clock.

#include <chat/model.hpp>

#include <algorithm>
#include <array>
#include <cstddef>
#include <cstdint>
#include <initializer_list>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

namespace chat {

/// One chosen answer as a user names it: its `position` (0-based index in the question's
/// answers, as stored) or its text in any language of the schema. A text that names no answer
/// but is a whole number (digits only) is read as a position.
using AnswerChoice = std::variant<std::int64_t, std::string_view>;

/// What a user submitted for one question. Views: the caller keeps the texts alive.
struct AnswerInput {
    std::optional<std::string_view> text;
    std::vector<AnswerChoice> answers;
};

/// One code of one field, e.g. {"text", "WRONG_VALUE"}.
struct FieldError {
    std::string_view field;
    std::string_view code;

    bool operator==(const FieldError&) const = default;
};

/// Field name -> codes, e.g. {"text": ["WRONG_VALUE"]}. Empty when the answer is valid.
/// Fields: "text", "answers" and, for a question that takes no answer, "question".
/// Iterates over FieldError entries ordered by field name, the codes of a field in the order
/// they were added. Names and codes are views of static texts (string literals, as the codes
/// of SPEC §7.2 are), held inline: checking an answer allocates nothing, also when it fails.
class FieldErrors {
public:
    /// Most entries a FieldErrors holds; check_answer gives at most two.
    static constexpr std::size_t k_capacity = 4;

    /// {"text", {"WRONG_VALUE"}}: a field and its codes, to write errors as a literal.
    struct Field {
        std::string_view field;
        std::initializer_list<std::string_view> codes;
    };

    FieldErrors() = default;
    /// FieldErrors{{"text", {"WRONG_VALUE"}}, {"answers", {"REQUIRED"}}}.
    FieldErrors(std::initializer_list<Field> fields);

    /// Adds `code` to `field`. Throws std::length_error beyond k_capacity entries.
    void add(std::string_view field, std::string_view code);

    bool empty() const { return m_size == 0; }
    /// The number of entries (codes), not of fields.
    std::size_t size() const { return m_size; }
    const FieldError* begin() const { return m_entries.data(); }
    const FieldError* end() const { return m_entries.data() + m_size; }

    bool operator==(const FieldErrors& other) const {
        return std::equal(begin(), end(), other.begin(), other.end());
    }

private:
    std::array<FieldError, k_capacity> m_entries{};
    std::size_t m_size = 0;
};

/// A valid answer, ready to be stored.
struct CheckedAnswer {
    std::vector<std::size_t> chosen;  // indexes into Question::answers, ascending
    std::optional<std::string> text;  // the text as given (choice: the free text, if any)
};

/// Checks `input` against `question` (any type but message, control and fork, which take no
/// answer: {"question": ["WRONG_STATE"]}). Fills `answer` and returns no errors when valid.
/// Reuses `answer`'s storage, so a caller checking many answers allocates little.
FieldErrors check_answer(const Question& question, const AnswerInput& input, CheckedAnswer& answer);

/// Whether `text` has the form a question of `type` accepts (SPEC §2 table); for range, also
/// within the bounds of `question`. Surrounding spaces are ignored. Blank text has no form.
bool has_answer_form(const Question& question, std::string_view text);

/// Where the flow goes after a valid answer: the next_qid of the chosen answer with the
/// lowest position for choice questions, the question's next_qid otherwise (-1 when absent).
std::int64_t next_qid_after(const Question& question, const CheckedAnswer& answer);

/// The text a message answering `question` stores: the chosen answers' texts in `language`
/// (else the schema's default, `fallback_language`) joined by ", ", then the free text.
std::string answer_message_text(const Question& question, const CheckedAnswer& answer,
                                std::string_view language, std::string_view fallback_language);

/// A text in `language`, else in `fallback_language`, else its first translation.
const std::string& text_in_language(const LocalizedText& text, std::string_view language,
                                    std::string_view fallback_language);

/// {"text": ["WRONG_VALUE"]} as JSON.
nlohmann::json field_errors_json(const FieldErrors& errors);

/// "text: WRONG_VALUE; answers: REQUIRED", for messages to people.
std::string describe_field_errors(const FieldErrors& errors);

}  // namespace chat
