#include <chat/model.hpp>

#include <algorithm>
#include <array>
#include <cmath>

namespace chat {
namespace {

struct TypeName {
    QuestionType type;
    std::string_view name;
};

constexpr std::array<TypeName, 12> k_type_names = {{
    {QuestionType::choice, "choice"},
    {QuestionType::multichoice, "multichoice"},
    {QuestionType::text, "text"},
    {QuestionType::integer, "int"},
    {QuestionType::floating, "float"},
    {QuestionType::range, "range"},
    {QuestionType::date, "date"},
    {QuestionType::time, "time"},
    {QuestionType::datetime, "datetime"},
    {QuestionType::message, "message"},
    {QuestionType::control, "control"},
    {QuestionType::fork, "fork"},
}};

}  // namespace

std::string_view question_type_name(QuestionType type) {
    for (const auto& entry : k_type_names) {
        if (entry.type == type) {
            return entry.name;
        }
    }
    return "text";
}

std::optional<QuestionType> question_type_from_name(std::string_view name) {
    for (const auto& entry : k_type_names) {
        if (entry.name == name) {
            return entry.type;
        }
    }
    return std::nullopt;
}

const std::vector<std::string_view>& question_type_names() {
    static const std::vector<std::string_view> names = [] {
        std::vector<std::string_view> result;
        for (const auto& entry : k_type_names) {
            result.push_back(entry.name);
        }
        return result;
    }();
    return names;
}

bool is_answered_by_choice(QuestionType type) {
    return type == QuestionType::choice || type == QuestionType::multichoice;
}

bool routes_by_next_qid(QuestionType type) {
    return !is_answered_by_choice(type) && type != QuestionType::fork;
}

bool is_shown(QuestionType type) {
    return type != QuestionType::fork;
}

TargetQid target_qid(double value) {
    if (!std::isfinite(value)) {
        return {TargetQid::Kind::nowhere, -1};
    }
    double whole = std::trunc(value);
    if (whole < 0) {
        return {TargetQid::Kind::end, -1};
    }
    // 2^63 is the first value an int64 cannot hold; the comparison is exact in doubles.
    if (whole >= 9223372036854775808.0) {
        return {TargetQid::Kind::nowhere, -1};
    }
    return {TargetQid::Kind::question, static_cast<std::int64_t>(whole)};
}

bool is_automatic(QuestionType type) {
    return type == QuestionType::message || type == QuestionType::fork;
}

const Question* entry_question(const Schema& schema) {
    auto lowest = std::min_element(
        schema.questions.begin(), schema.questions.end(),
        [](const Question& a, const Question& b) { return a.position < b.position; });
    return lowest == schema.questions.end() ? nullptr : &*lowest;
}

}  // namespace chat
