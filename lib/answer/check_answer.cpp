#include <chat/answer.hpp>
#include <chat/clock.hpp>

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstdlib>
#include <string>

namespace chat {
namespace {

constexpr std::string_view k_blank = " \t\r\n\f\v";

std::string_view trimmed(std::string_view text) {
    auto first = text.find_first_not_of(k_blank);
    if (first == std::string_view::npos) {
        return {};
    }
    return text.substr(first, text.find_last_not_of(k_blank) - first + 1);
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
    return std::any_of(answer.text.translations.begin(), answer.text.translations.end(),
                       [text](const Translation& translation) { return translation.text == text; });
}

// The index of the answer a choice names, if any.
std::optional<std::size_t> find_answer(const Question& question, const AnswerChoice& choice) {
    if (const auto* position = std::get_if<std::int64_t>(&choice)) {
        for (std::size_t index = 0; index < question.answers.size(); ++index) {
            if (question.answers[index].position == *position) {
                return index;
            }
        }
        return std::nullopt;
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
        return find_answer(question, AnswerChoice{position});
    }
    return std::nullopt;
}

void add_error(FieldErrors& errors, std::string_view field, std::string code) {
    auto it = errors.find(field);
    if (it == errors.end()) {
        it = errors.emplace(std::string(field), std::vector<std::string>{}).first;
    }
    it->second.push_back(std::move(code));
}

// The answers field of a choice/multichoice question; fills answer.chosen when it is valid.
std::optional<std::string> choice_error(const Question& question, const AnswerInput& input,
                                        CheckedAnswer& answer) {
    if (input.answers.empty()) {
        return "REQUIRED";
    }
    for (const auto& choice : input.answers) {
        auto index = find_answer(question, choice);
        if (!index ||
            std::find(answer.chosen.begin(), answer.chosen.end(), *index) != answer.chosen.end()) {
            return "WRONG_VALUE";  // not this question's answer, or the same answer twice
        }
        answer.chosen.push_back(*index);
    }
    if (question.type == QuestionType::choice && answer.chosen.size() > 1) {
        return "TOO_MANY";
    }
    bool has_exclusive =
        std::any_of(answer.chosen.begin(), answer.chosen.end(),
                    [&](std::size_t index) { return question.answers[index].exclusive; });
    if (has_exclusive && answer.chosen.size() > 1) {
        return "EXCLUSIVE";
    }
    std::sort(answer.chosen.begin(), answer.chosen.end(), [&](std::size_t a, std::size_t b) {
        return question.answers[a].position < question.answers[b].position;
    });
    return std::nullopt;
}

void check_choice(const Question& question, const AnswerInput& input, CheckedAnswer& answer,
                  FieldErrors& errors) {
    bool has_text = input.text && !trimmed(*input.text).empty();
    if (has_text && !question.choice_open) {
        add_error(errors, "text", "WRONG_STATE");
    }
    if (auto error = choice_error(question, input, answer)) {
        add_error(errors, "answers", std::move(*error));
    }
    if (has_text) {
        answer.text.emplace(*input.text);
    }
}

void check_typed(const Question& question, const AnswerInput& input, CheckedAnswer& answer,
                 FieldErrors& errors) {
    if (!input.answers.empty()) {
        add_error(errors, "answers", "WRONG_STATE");
    }
    if (!input.text || trimmed(*input.text).empty()) {
        add_error(errors, "text", "REQUIRED");
    } else if (!has_answer_form(question, *input.text)) {
        add_error(errors, "text", "WRONG_VALUE");
    } else {
        answer.text.emplace(*input.text);
    }
}

}  // namespace

bool has_answer_form(const Question& question, std::string_view text) {
    text = trimmed(text);
    if (text.empty()) {
        return false;
    }
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

FieldErrors check_answer(const Question& question, const AnswerInput& input,
                         CheckedAnswer& answer) {
    answer.chosen.clear();
    answer.text.reset();
    FieldErrors errors;
    if (is_answered_by_choice(question.type)) {
        check_choice(question, input, answer, errors);
    } else if (question.type == QuestionType::message || question.type == QuestionType::control ||
               question.type == QuestionType::fork) {
        add_error(errors, "question", "WRONG_STATE");
    } else {
        check_typed(question, input, answer, errors);
    }
    if (!errors.empty()) {
        answer.chosen.clear();
        answer.text.reset();
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

nlohmann::json field_errors_json(const FieldErrors& errors) {
    auto json = nlohmann::json::object();
    for (const auto& [field, codes] : errors) {
        json[field] = codes;
    }
    return json;
}

std::string describe_field_errors(const FieldErrors& errors) {
    std::string text;
    for (const auto& [field, codes] : errors) {
        for (const auto& code : codes) {
            if (!text.empty()) {
                text += "; ";
            }
            text += field + ": " + code;
        }
    }
    return text;
}

}  // namespace chat
