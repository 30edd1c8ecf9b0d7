#include <chat/answer.hpp>
#include <chat/clock.hpp>

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstdlib>
#include <stdexcept>
#include <string>

namespace chat {
namespace {

// " \t\n\v\f\r": surrounding spaces are ignored.
bool is_blank(char c) {
    return c == ' ' || (c >= '\t' && c <= '\r');
}

std::string_view trimmed(std::string_view text) {
    if (text.empty() || (!is_blank(text.front()) && !is_blank(text.back()))) {
        return text;  // the usual case, decided at once
    }
    std::size_t first = 0;
    std::size_t end = text.size();
    while (first < end && is_blank(text[first])) {
        ++first;
    }
    while (end > first && is_blank(text[end - 1])) {
        --end;
    }
    return text.substr(first, end - first);
}

// is_answered_by_choice, inline: a call into the shared library per answer shows in profiles.
bool is_choice_type(QuestionType type) {
    return type == QuestionType::choice || type == QuestionType::multichoice;
}

bool is_digit(char c) {
    return c >= '0' && c <= '9';
}

// Moves past a run of digits; true when there was at least one.
bool skip_digits(std::string_view text, std::size_t& pos) {
    std::size_t first = pos;
    while (pos < text.size() && is_digit(text[pos])) {
        ++pos;
    }
    return pos > first;
}

void skip_sign(std::string_view text, std::size_t& pos) {
    if (pos < text.size() && (text[pos] == '+' || text[pos] == '-')) {
        ++pos;
    }
}

bool is_integer_form(std::string_view text) {
    std::size_t pos = 0;
    skip_sign(text, pos);
    return skip_digits(text, pos) && pos == text.size();
}

// The value of a whole number of at most 15 digits, which a double holds exactly (so it is what
// from_chars would give, sooner): most range answers are such numbers.
std::optional<double> small_whole_number(std::string_view text) {
    constexpr std::size_t k_exact_digits = 15;
    std::size_t pos = 0;
    skip_sign(text, pos);
    if (text.size() - pos > k_exact_digits) {
        return std::nullopt;
    }
    std::int64_t value = 0;
    for (std::size_t i = pos; i < text.size(); ++i) {
        if (!is_digit(text[i])) {
            return std::nullopt;
        }
        value = value * 10 + (text[i] - '0');
    }
    return text.front() == '-' ? -static_cast<double>(value) : static_cast<double>(value);
}

// A finite decimal number: [sign] (digits [. digits] | . digits) [e [sign] digits].
std::optional<double> decimal_value(std::string_view text) {
    std::size_t pos = 0;
    skip_sign(text, pos);
    bool has_whole = skip_digits(text, pos);
    bool has_fraction = false;
    if (pos < text.size() && text[pos] == '.') {
        ++pos;
        has_fraction = skip_digits(text, pos);
    }
    if (!has_whole && !has_fraction) {
        return std::nullopt;
    }
    if (pos < text.size() && (text[pos] == 'e' || text[pos] == 'E')) {
        ++pos;
        skip_sign(text, pos);
        if (!skip_digits(text, pos)) {
            return std::nullopt;
        }
    }
    if (pos != text.size()) {
        return std::nullopt;
    }
    if (auto whole = small_whole_number(text)) {
        return whole;
    }
    // from_chars takes no leading '+'; the form is already checked, so skip it.
    std::string_view digits = text.front() == '+' ? text.substr(1) : text;
    double value = 0;
    auto [end, error] = std::from_chars(digits.data(), digits.data() + digits.size(), value);
    if (error == std::errc::result_out_of_range) {
        // from_chars leaves the value alone when out of range; strtod tells overflow (infinite,
        // not a finite number) from underflow (a value near zero, which is fine).
        value = std::strtod(std::string(digits).c_str(), nullptr);
    } else if (error != std::errc{} || end != digits.data() + digits.size()) {
        return std::nullopt;
    }
    if (!std::isfinite(value)) {
        return std::nullopt;
    }
    return value;
}

bool is_in_range(const Question& question, std::string_view text) {
    auto value = decimal_value(text);
    return value && question.range_from && question.range_to && *value >= *question.range_from &&
           *value <= *question.range_to;
}

bool names_answer(const Answer& answer, std::string_view text) {
    // Sizes and first bytes first: most translations differ there, and comparing them inline
    // saves a call to memcmp per translation.
    return std::any_of(answer.text.translations.begin(), answer.text.translations.end(),
                       [text](const Translation& translation) {
                           const std::string& candidate = translation.text;
                           return candidate.size() == text.size() &&
                                  (text.empty() || candidate.front() == text.front()) &&
                                  std::string_view(candidate) == text;
                       });
}

constexpr std::size_t k_no_answer = static_cast<std::size_t>(-1);

// The index of the first answer at `position`, else k_no_answer. Backwards and to the end, so
// that the first match wins without a branch on where it is: such a branch mispredicts.
std::size_t find_position(const Question& question, std::int64_t position) {
    std::size_t found = k_no_answer;
    for (std::size_t index = question.answers.size(); index-- > 0;) {
        found = question.answers[index].position == position ? index : found;
    }
    return found;
}

// The index of the answer a choice names, else k_no_answer.
std::size_t find_answer(const Question& question, const AnswerChoice& choice) {
    if (const auto* position = std::get_if<std::int64_t>(&choice)) {
        return find_position(question, *position);
    }
    auto text = std::get<std::string_view>(choice);
    for (std::size_t index = 0; index < question.answers.size(); ++index) {
        if (names_answer(question.answers[index], text)) {
            return index;
        }
    }
    // A whole number that names no answer text is a position, so that a command line
    // (--answer 2) can name answers by position too.
    std::int64_t position = 0;
    auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), position);
    if (error == std::errc{} && end == text.data() + text.size() && !text.empty() &&
        is_digit(text.front())) {
        return find_position(question, position);
    }
    return k_no_answer;
}

// has_answer_form of a text already trimmed and not empty.
bool has_trimmed_answer_form(const Question& question, std::string_view text) {
    switch (question.type) {
        case QuestionType::text:
            return true;
        case QuestionType::integer:
            return is_integer_form(text);
        case QuestionType::floating:
            return decimal_value(text).has_value();
        case QuestionType::range:
            return is_in_range(question, text);
        case QuestionType::date:
            return is_calendar_date(text);
        case QuestionType::time:
            return is_time_of_day(text);
        case QuestionType::datetime:
            return is_datetime_text(text);
        case QuestionType::choice:
        case QuestionType::multichoice:
        case QuestionType::message:
        case QuestionType::control:
        case QuestionType::fork:
            return false;
    }
    return false;
}

// The code of the answers field of a choice/multichoice question, if any; fills
// answer.chosen when there is none.
const char* choice_error(const Question& question, const AnswerInput& input,
                         CheckedAnswer& answer) {
    if (input.answers.empty()) {
        return "REQUIRED";
    }
    for (const auto& choice : input.answers) {
        std::size_t index = find_answer(question, choice);
        if (index == k_no_answer ||
            std::find(answer.chosen.begin(), answer.chosen.end(), index) != answer.chosen.end()) {
            return "WRONG_VALUE";  // not this question's answer, or the same answer twice
        }
        answer.chosen.push_back(index);
    }
    if (answer.chosen.size() == 1) {
        return nullptr;  // most answers: nothing to compare, nothing to order
    }
    if (question.type == QuestionType::choice) {
        return "TOO_MANY";
    }
    bool has_exclusive =
        std::any_of(answer.chosen.begin(), answer.chosen.end(),
                    [&](std::size_t index) { return question.answers[index].exclusive; });
    if (has_exclusive) {
        return "EXCLUSIVE";
    }
    std::sort(answer.chosen.begin(), answer.chosen.end(), [&](std::size_t a, std::size_t b) {
        return question.answers[a].position < question.answers[b].position;
    });
    return nullptr;
}

// Each check returns the text to keep when the answer is valid: check_answer copies it once,
// into the string the answer already holds.
std::optional<std::string_view> check_choice(const Question& question, const AnswerInput& input,
                                             CheckedAnswer& answer, FieldErrors& errors) {
    bool has_text = input.text && !trimmed(*input.text).empty();
    if (has_text && !question.choice_open) {
        errors.add("text", "WRONG_STATE");
    }
    if (const char* error = choice_error(question, input, answer)) {
        errors.add("answers", error);
    }
    return has_text ? input.text : std::nullopt;
}

std::optional<std::string_view> check_typed(const Question& question, const AnswerInput& input,
                                            FieldErrors& errors) {
    if (!input.answers.empty()) {
        errors.add("answers", "WRONG_STATE");
    }
    std::string_view text = input.text ? trimmed(*input.text) : std::string_view{};
    if (text.empty()) {
        errors.add("text", "REQUIRED");
    } else if (!has_trimmed_answer_form(question, text)) {
        errors.add("text", "WRONG_VALUE");
    }
    return input.text;
}

}  // namespace

bool has_answer_form(const Question& question, std::string_view text) {
    text = trimmed(text);
    return !text.empty() && has_trimmed_answer_form(question, text);
}

FieldErrors check_answer(const Question& question, const AnswerInput& input,
                         CheckedAnswer& answer) {
    answer.chosen.clear();
    FieldErrors errors;
    std::optional<std::string_view> text;
    if (is_choice_type(question.type)) {
        text = check_choice(question, input, answer, errors);
    } else if (question.type == QuestionType::message || question.type == QuestionType::control ||
               question.type == QuestionType::fork) {
        errors.add("question", "WRONG_STATE");
    } else {
        text = check_typed(question, input, errors);
    }
    if (!errors.empty()) {
        answer.chosen.clear();
        answer.text.reset();
    } else if (!text) {
        answer.text.reset();
    } else if (answer.text) {
        answer.text->assign(*text);  // keeps the string's storage: no allocation per answer
    } else {
        answer.text.emplace(*text);
    }
    return errors;
}

std::int64_t next_qid_after(const Question& question, const CheckedAnswer& answer) {
    if (is_answered_by_choice(question.type)) {
        return answer.chosen.empty()
                   ? -1
                   : question.answers[answer.chosen.front()].next_qid.value_or(-1);
    }
    return question.next_qid.value_or(-1);
}

const std::string& text_in_language(const LocalizedText& text, std::string_view language,
                                    std::string_view fallback_language) {
    static const std::string k_empty;
    const Translation* fallback = nullptr;
    for (const auto& translation : text.translations) {
        if (translation.language.empty() || translation.language == language) {
            return translation.text;
        }
        if (translation.language == fallback_language) {
            fallback = &translation;
        }
    }
    if (fallback) {
        return fallback->text;
    }
    return text.translations.empty() ? k_empty : text.translations.front().text;
}

std::string answer_message_text(const Question& question, const CheckedAnswer& answer,
                                std::string_view language, std::string_view fallback_language) {
    std::string text;
    for (std::size_t index : answer.chosen) {
        if (!text.empty()) {
            text += ", ";
        }
        text += text_in_language(question.answers[index].text, language, fallback_language);
    }
    if (answer.text) {
        if (!text.empty()) {
            text += ", ";
        }
        text += *answer.text;
    }
    return text;
}

FieldErrors::FieldErrors(std::initializer_list<Field> fields) {
    for (const auto& [field, codes] : fields) {
        for (std::string_view code : codes) {
            add(field, code);
        }
    }
}

void FieldErrors::add(std::string_view field, std::string_view code) {
    if (m_size == k_capacity) {
        throw std::length_error("FieldErrors: more than " + std::to_string(k_capacity) + " codes");
    }
    // After the last entry of the same or an earlier field: fields in name order, codes in
    // the order added.
    std::size_t at = m_size;
    while (at > 0 && field < m_entries[at - 1].field) {
        m_entries[at] = m_entries[at - 1];
        --at;
    }
    m_entries[at] = FieldError{field, code};
    ++m_size;
}

nlohmann::json field_errors_json(const FieldErrors& errors) {
    auto json = nlohmann::json::object();
    for (const auto& [field, code] : errors) {
        json[std::string(field)].push_back(code);
    }
    return json;
}

std::string describe_field_errors(const FieldErrors& errors) {
    std::string text;
    for (const auto& [field, code] : errors) {
        if (!text.empty()) {
            text += "; ";
        }
        text.append(field).append(": ").append(code);
    }
    return text;
}

}  // namespace chat
