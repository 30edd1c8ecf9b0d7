// check_answer and its helpers (SPEC §2 table, §7.2): every question type, every field code, the
// priority between codes, answers named by position or by text, and the stored message text.

#include <chat/answer.hpp>

#include <doctest/doctest.h>

#include <cstdint>
#include <initializer_list>
#include <limits>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

using chat::Answer;
using chat::AnswerChoice;
using chat::AnswerInput;
using chat::CheckedAnswer;
using chat::FieldErrors;
using chat::LocalizedText;
using chat::Question;
using chat::QuestionType;
using chat::Translation;

namespace {

// A plain text (the same in every language).
LocalizedText plain(std::string text) {
    LocalizedText localized;
    Translation translation;
    translation.text = std::move(text);
    localized.translations.push_back(std::move(translation));
    return localized;
}

// A text in several languages: {{"en", "Yes"}, {"pl", "Tak"}}.
LocalizedText translated(std::initializer_list<std::pair<const char*, const char*>> texts) {
    LocalizedText localized;
    for (const auto& [language, text] : texts) {
        Translation translation;
        translation.language = language;
        translation.text = text;
        localized.translations.push_back(std::move(translation));
    }
    return localized;
}

Question typed(QuestionType type) {
    Question question;
    question.qid = 1;
    question.type = type;
    question.text = plain("Question?");
    question.next_qid = 2;
    return question;
}

Question range(double from, double to) {
    Question question = typed(QuestionType::range);
    question.range_from = from;
    question.range_to = to;
    return question;
}

struct AnswerSpec {
    LocalizedText text;
    std::optional<std::int64_t> next_qid;
    bool exclusive = false;
};

// A choice/multichoice question; answer positions are their indexes, as stored.
Question with_answers(QuestionType type, std::vector<AnswerSpec> specs, bool open = false) {
    Question question;
    question.qid = 1;
    question.type = type;
    question.text = plain("Pick");
    question.choice_open = open;
    for (std::size_t index = 0; index < specs.size(); ++index) {
        Answer answer;
        answer.text = std::move(specs[index].text);
        answer.next_qid = specs[index].next_qid;
        answer.exclusive = specs[index].exclusive;
        answer.position = static_cast<std::int64_t>(index);
        question.answers.push_back(std::move(answer));
    }
    return question;
}

// Yes/No/Maybe: Yes and No in English and Polish, Maybe plain.
Question yes_no_maybe(QuestionType type = QuestionType::choice, bool open = false) {
    return with_answers(type,
                        {{translated({{"en", "Yes"}, {"pl", "Tak"}}), 10, false},
                         {translated({{"en", "No"}, {"pl", "Nie"}}), 11, false},
                         {plain("Maybe"), 12, false}},
                        open);
}

// A, B, C and an exclusive "None" (multichoice unless told).
Question abc_none(QuestionType type = QuestionType::multichoice) {
    return with_answers(type, {{plain("A"), 20, false},
                               {plain("B"), 21, false},
                               {plain("C"), 22, false},
                               {plain("None"), -1, true}});
}

// The errors of one check, as "field: CODE; field: CODE" ("" when valid).
std::string errors_of(const Question& question, std::optional<std::string_view> text,
                      std::vector<AnswerChoice> answers = {}) {
    CheckedAnswer answer;
    AnswerInput input{text, std::move(answers)};
    return chat::describe_field_errors(chat::check_answer(question, input, answer));
}

// The chosen indexes of a valid check, or {999} when invalid.
std::vector<std::size_t> chosen_of(const Question& question, std::vector<AnswerChoice> answers,
                                   std::optional<std::string_view> text = std::nullopt) {
    CheckedAnswer answer;
    AnswerInput input{text, std::move(answers)};
    if (!chat::check_answer(question, input, answer).empty()) {
        return {999};
    }
    return answer.chosen;
}

std::string digits(std::size_t count, char digit = '9') {
    return std::string(count, digit);
}

struct FormCase {
    std::string text;
    bool valid;
};

// Checks each case both through has_answer_form and through check_answer.
void check_forms(const Question& question, const std::vector<FormCase>& cases) {
    for (const auto& form_case : cases) {
        CAPTURE(form_case.text);
        CHECK(chat::has_answer_form(question, form_case.text) == form_case.valid);
        CHECK(errors_of(question, form_case.text) == (form_case.valid ? "" : "text: WRONG_VALUE"));
    }
}

const std::vector<QuestionType> k_typed = {
    QuestionType::text, QuestionType::integer, QuestionType::floating, QuestionType::range,
    QuestionType::date, QuestionType::time,    QuestionType::datetime,
};

// A text each typed question accepts.
std::string valid_text_for(QuestionType type) {
    switch (type) {
        case QuestionType::date:
            return "2024-05-01";
        case QuestionType::time:
            return "10:00";
        case QuestionType::datetime:
            return "2024-05-01T10:00";
        default:
            return "5";
    }
}

Question typed_for(QuestionType type) {
    return type == QuestionType::range ? range(0, 10) : typed(type);
}

}  // namespace

// --- typed questions: forms ---------------------------------------------------------------------

TEST_CASE("check_answer: int takes an optional sign and digits, spaces trimmed, any length") {
    check_forms(typed(QuestionType::integer), {
                                                  {"0", true},
                                                  {"42", true},
                                                  {"-42", true},
                                                  {"+42", true},
                                                  {"-0", true},
                                                  {"007", true},
                                                  {"  7  ", true},
                                                  {"\t7\n", true},
                                                  {" -7\r\n", true},
                                                  {digits(100), true},
                                                  {"-" + digits(400), true},
                                                  {"+" + digits(30, '1'), true},
                                                  {"+", false},
                                                  {"-", false},
                                                  {"--1", false},
                                                  {"+-1", false},
                                                  {"-+1", false},
                                                  {"- 1", false},
                                                  {"1 000", false},
                                                  {"1,000", false},
                                                  {"1_000", false},
                                                  {"1.0", false},
                                                  {"1.", false},
                                                  {"1e3", false},
                                                  {"0x10", false},
                                                  {"abc", false},
                                                  {"12a", false},
                                                  {"a12", false},
                                                  {digits(50) + "x", false},
                                                  {"\xef\xbc\x91", false},  // a fullwidth digit one
                                              });
}

TEST_CASE("check_answer: float takes finite decimals with exponents, not nan, inf or overflow") {
    check_forms(typed(QuestionType::floating),
                {
                    {"0", true},
                    {"1", true},
                    {"-1", true},
                    {"+1", true},
                    {"1.5", true},
                    {"-1.5", true},
                    {".5", true},
                    {"-.5", true},
                    {"+.5", true},
                    {"5.", true},
                    {"-5.", true},
                    {"1e3", true},
                    {"1E3", true},
                    {"1e+3", true},
                    {"1e-3", true},
                    {"1.5e10", true},
                    {".5e1", true},
                    {"5.e1", true},
                    {"007.50", true},
                    {"  2.5  ", true},
                    {"\t-2.5\n", true},
                    {"1e308", true},
                    {"1.7976931348623157e308", true},
                    {"1e-999", true},   // underflow: a value near zero, fine
                    {"-1e-999", true},  // underflow
                    {"4e-320", true},   // subnormal
                    {"0." + digits(400, '0') + "1", true},
                    {digits(400, '0') + "1.5", true},
                    {"1e0000000000000000000000003", true},
                    {"1e-0000000000000000000000001", true},
                    {"1e-99999999999999999999999", true},  // underflow, huge exponent
                    {"1e99999999999999999999999", false},  // overflow, huge exponent
                    {"3.14159265358979323846264338327950288419716939937510", true},
                    {"1e999", false},  // overflow
                    {"-1e999", false},
                    {"1e309", false},
                    {"1" + digits(400, '0'), false},  // overflow without an exponent
                    {"1e", false},
                    {"1e+", false},
                    {"1e-", false},
                    {"1e3.5", false},
                    {"e3", false},
                    {".", false},
                    {"-.", false},
                    {".e1", false},
                    {"+", false},
                    {"-", false},
                    {"nan", false},
                    {"NaN", false},
                    {"-nan", false},
                    {"inf", false},
                    {"-inf", false},
                    {"+inf", false},
                    {"Infinity", false},
                    {"0x1p3", false},
                    {"0x10", false},
                    {"1,5", false},
                    {"1.5.5", false},
                    {"1..5", false},
                    {"--1", false},
                    {"+-1", false},
                    {"1 e3", false},
                    {"1.5f", false},
                    {"1_000", false},
                    {"1 000", false},
                    {"abc", false},
                });
}

TEST_CASE("check_answer: range bounds are inclusive, 0 is a bound like any other") {
    SUBCASE("1..10") {
        check_forms(range(1, 10), {
                                      {"1", true},
                                      {"10", true},
                                      {"5.5", true},
                                      {"1e1", true},
                                      {"1.0", true},
                                      {" 3 ", true},
                                      {".5e1", true},
                                      {"0.999", false},
                                      {"10.0001", false},
                                      {"11", false},
                                      {"-1", false},
                                      {"0", false},
                                      {"1e999", false},
                                      {"nan", false},
                                      {"inf", false},
                                      {"abc", false},
                                      {"5 5", false},
                                  });
    }
    SUBCASE("0..0") {
        check_forms(range(0, 0), {
                                     {"0", true},
                                     {"-0", true},
                                     {"0.0", true},
                                     {"0e5", true},
                                     {"1e-999", true},  // underflows to zero
                                     {"0.0001", false},
                                     {"-0.0001", false},
                                     {"1", false},
                                 });
    }
    SUBCASE("-5..0") {
        check_forms(range(-5, 0), {
                                      {"-5", true},
                                      {"0", true},
                                      {"-2.5", true},
                                      {"-5.0001", false},
                                      {"0.1", false},
                                  });
    }
    SUBCASE("0..100") {
        check_forms(range(0, 100), {
                                       {"0", true},
                                       {"100", true},
                                       {"1e2", true},
                                       {"-1", false},
                                       {"100.5", false},
                                   });
    }
}

TEST_CASE("check_answer: date is YYYY-MM-DD on the calendar") {
    check_forms(typed(QuestionType::date), {
                                               {"2024-02-29", true},
                                               {"2000-02-29", true},
                                               {"2023-02-28", true},
                                               {"1999-12-31", true},
                                               {"2024-01-01", true},
                                               {"2024-04-30", true},
                                               {" 2024-01-01 ", true},
                                               {"2023-02-29", false},
                                               {"1900-02-29", false},
                                               {"2024-02-30", false},
                                               {"2024-04-31", false},
                                               {"2024-13-01", false},
                                               {"2024-00-10", false},
                                               {"2024-01-00", false},
                                               {"2024-01-32", false},
                                               {"2024-1-01", false},
                                               {"2024-01-1", false},
                                               {"24-01-01", false},
                                               {"2024/01/01", false},
                                               {"20240101", false},
                                               {"2024-01-01x", false},
                                               {"2024-01-01T10:00", false},
                                               {"2024-01-01 10:00", false},
                                               {"2024-01-01Z", false},
                                               {"10:00", false},
                                               {"today", false},
                                           });
}

TEST_CASE("check_answer: time is HH:MM or HH:MM:SS on a 24-hour clock, no fraction") {
    check_forms(typed(QuestionType::time),
                {
                    {"00:00", true},         {"23:59", true},     {"12:30", true},
                    {"00:00:00", true},      {"23:59:59", true},  {"12:30:00", true},
                    {" 08:05 ", true},       {"24:00", false},    {"24:00:00", false},
                    {"23:60", false},        {"23:59:60", false}, {"12:30:00.5", false},
                    {"12:30:00.000", false}, {"12:30.5", false},  {"12:30:00.", false},
                    {"8:05", false},         {"08:5", false},     {"12", false},
                    {"12:", false},          {"12:30:", false},   {"12:30:0", false},
                    {"1230", false},         {"12-30", false},    {"12:30Z", false},
                    {"12:30+02:00", false},  {"12:30 PM", false}, {"2024-01-01T12:30", false},
                    {"2024-01-01", false},
                });
}

TEST_CASE("check_answer: datetime needs a date and a time, zone optional") {
    check_forms(typed(QuestionType::datetime), {
                                                   {"2024-01-01T10:00", true},
                                                   {"2024-01-01 10:00", true},
                                                   {"2024-01-01T10:00:30", true},
                                                   {"2024-01-01T10:00:30.123", true},
                                                   {"2024-01-01T10:00:30.5", true},
                                                   {"2024-01-01T10:00Z", true},
                                                   {"2024-01-01T10:00:00Z", true},
                                                   {"2024-01-01T10:00+02:00", true},
                                                   {"2024-01-01T10:00-05:30", true},
                                                   {"2024-01-01T10:00:00.5+02:00", true},
                                                   {"2024-01-01 10:00:00.123Z", true},
                                                   {"2024-02-29T00:00", true},
                                                   {"2024-12-31T23:59:59", true},
                                                   {" 2024-01-01T10:00Z ", true},
                                                   {"2024-01-01", false},  // a bare date
                                                   {" 2024-01-01 ", false},
                                                   {"2024-01-01T", false},
                                                   {"2024-01-01 ", false},
                                                   {"2024-01-01T10", false},
                                                   {"2024-01-01T24:00", false},
                                                   {"2024-01-01T10:60", false},
                                                   {"2024-01-01T10:00:60", false},
                                                   {"2023-02-29T10:00", false},
                                                   {"2024-01-01T10:00+0200", false},
                                                   {"2024-01-01T10:00+02", false},
                                                   {"2024-01-01T10:00+24:00", false},
                                                   {"2024-01-01T10:00 Z", false},
                                                   {"2024-01-01T10:00Z+02:00", false},
                                                   {"2024-01-01T10:00:00.", false},
                                                   {"2024-01-01t10:00", false},
                                                   {"2024-01-01T10:00z", false},
                                                   {"2024-01-01  10:00", false},
                                                   {"2024-01-01X10:00", false},
                                                   {"10:00", false},
                                                   {"10:00Z", false},
                                                   {"2024-1-01T10:00", false},
                                               });
}

// The form of SPEC §2 (`YYYY-MM-DD[T ]HH:MM[:SS[.fff]]` with `±HH:MM`) says nothing of the
// instant the zone leads to; these texts have that form.
TEST_CASE("check_answer: datetime at the edges of the calendar with a zone keeps its form") {
    const auto question = typed(QuestionType::datetime);
    CHECK(errors_of(question, "9999-12-31T23:59-01:00") == "");
    CHECK(errors_of(question, "0000-01-01T00:00+00:01") == "");
}

TEST_CASE("check_answer: text takes any non-blank text") {
    check_forms(typed(QuestionType::text), {
                                               {"a", true},
                                               {"  a  ", true},
                                               {"0", true},
                                               {"zażółć", true},
                                               {"line\nline", true},
                                           });
}

// --- typed questions: codes ---------------------------------------------------------------------

TEST_CASE("check_answer: typed questions report REQUIRED, WRONG_VALUE and answers WRONG_STATE") {
    for (auto type : k_typed) {
        CAPTURE(chat::question_type_name(type));
        const auto question = typed_for(type);
        const std::string good = valid_text_for(type);
        CHECK(errors_of(question, good) == "");
        CHECK(errors_of(question, std::nullopt) == "text: REQUIRED");
        CHECK(errors_of(question, "") == "text: REQUIRED");
        CHECK(errors_of(question, "   ") == "text: REQUIRED");
        CHECK(errors_of(question, " \t\r\n\f\v") == "text: REQUIRED");
        if (type != QuestionType::text) {
            CHECK(errors_of(question, "not a value") == "text: WRONG_VALUE");
        }
        // Answers given: answers WRONG_STATE, and the text is still checked.
        CHECK(errors_of(question, good, {std::int64_t{0}}) == "answers: WRONG_STATE");
        CHECK(errors_of(question, good, {std::string_view("A")}) == "answers: WRONG_STATE");
        CHECK(errors_of(question, std::nullopt, {std::int64_t{0}}) ==
              "answers: WRONG_STATE; text: REQUIRED");
        CHECK(errors_of(question, "  ", {std::int64_t{0}}) ==
              "answers: WRONG_STATE; text: REQUIRED");
        if (type != QuestionType::text) {
            CHECK(errors_of(question, "not a value", {std::int64_t{0}}) ==
                  "answers: WRONG_STATE; text: WRONG_VALUE");
        }
    }
}

TEST_CASE("check_answer: a valid typed answer keeps the text as given, an invalid one nothing") {
    const auto question = typed(QuestionType::integer);
    CheckedAnswer answer;
    std::string text = " 42 ";
    CHECK(chat::check_answer(question, AnswerInput{text, {}}, answer).empty());
    REQUIRE(answer.text);
    CHECK(*answer.text == " 42 ");
    CHECK(answer.chosen.empty());
    text = "x";  // the answer owns its text
    CHECK(*answer.text == " 42 ");

    // The same CheckedAnswer reused for an invalid answer is emptied.
    CHECK_FALSE(
        chat::check_answer(question, AnswerInput{std::string_view("4.2"), {}}, answer).empty());
    CHECK_FALSE(answer.text);
    CHECK(answer.chosen.empty());
}

TEST_CASE("check_answer: message, control and fork questions take no answer") {
    for (auto type : {QuestionType::message, QuestionType::control, QuestionType::fork}) {
        CAPTURE(chat::question_type_name(type));
        Question question = typed(type);
        CHECK(errors_of(question, std::nullopt) == "question: WRONG_STATE");
        CHECK(errors_of(question, "") == "question: WRONG_STATE");
        CHECK(errors_of(question, "ok") == "question: WRONG_STATE");
        CHECK(errors_of(question, "ok", {std::int64_t{0}}) == "question: WRONG_STATE");
        CHECK_FALSE(chat::has_answer_form(question, "ok"));

        CheckedAnswer answer;
        auto errors = chat::check_answer(question, AnswerInput{std::string_view("ok"), {}}, answer);
        CHECK(errors == FieldErrors{{"question", {"WRONG_STATE"}}});
        CHECK_FALSE(answer.text);
    }
}

// --- choice and multichoice ---------------------------------------------------------------------

namespace {
struct ChoiceCase {
    const char* name;
    std::optional<std::string_view> text;
    std::vector<AnswerChoice> answers;
    std::string errors;
    std::vector<std::size_t> chosen;  // when valid
};

void check_choices(const Question& question, const std::vector<ChoiceCase>& cases) {
    for (const auto& choice_case : cases) {
        CAPTURE(std::string(choice_case.name));
        CHECK(errors_of(question, choice_case.text, choice_case.answers) == choice_case.errors);
        if (choice_case.errors.empty()) {
            CHECK(chosen_of(question, choice_case.answers, choice_case.text) == choice_case.chosen);
        }
    }
}

constexpr std::int64_t operator""_at(unsigned long long position) {
    return static_cast<std::int64_t>(position);
}
}  // namespace

TEST_CASE("check_answer: choice takes exactly one answer, by position or by any translation") {
    using namespace std::string_view_literals;
    check_choices(
        yes_no_maybe(),
        {
            {"first by position", std::nullopt, {0_at}, "", {0}},
            {"last by position", std::nullopt, {2_at}, "", {2}},
            {"by English text", std::nullopt, {"No"sv}, "", {1}},
            {"by Polish text", std::nullopt, {"Tak"sv}, "", {0}},
            {"by plain text", std::nullopt, {"Maybe"sv}, "", {2}},
            {"no answer", std::nullopt, {}, "answers: REQUIRED", {}},
            {"position past the end", std::nullopt, {3_at}, "answers: WRONG_VALUE", {}},
            {"negative position", std::nullopt, {std::int64_t{-1}}, "answers: WRONG_VALUE", {}},
            {"huge position",
             std::nullopt,
             {std::numeric_limits<std::int64_t>::max()},
             "answers: WRONG_VALUE",
             {}},
            {"lowest position",
             std::nullopt,
             {std::numeric_limits<std::int64_t>::min()},
             "answers: WRONG_VALUE",
             {}},
            {"text in another case", std::nullopt, {"yes"sv}, "answers: WRONG_VALUE", {}},
            {"text with a space before", std::nullopt, {" Yes"sv}, "answers: WRONG_VALUE", {}},
            {"text with a space after", std::nullopt, {"Yes "sv}, "answers: WRONG_VALUE", {}},
            {"empty text", std::nullopt, {""sv}, "answers: WRONG_VALUE", {}},
            {"two answers", std::nullopt, {0_at, 1_at}, "answers: TOO_MANY", {}},
            {"three answers", std::nullopt, {0_at, 1_at, 2_at}, "answers: TOO_MANY", {}},
            {"two answers by text", std::nullopt, {"Tak"sv, "No"sv}, "answers: TOO_MANY", {}},
            {"the same position twice", std::nullopt, {1_at, 1_at}, "answers: WRONG_VALUE", {}},
            {"the same answer by position and text",
             std::nullopt,
             {0_at, "Yes"sv},
             "answers: WRONG_VALUE",
             {}},
            {"the same answer in two languages",
             std::nullopt,
             {"Yes"sv, "Tak"sv},
             "answers: WRONG_VALUE",
             {}},
            {"WRONG_VALUE before TOO_MANY", std::nullopt, {0_at, 7_at}, "answers: WRONG_VALUE", {}},
            {"WRONG_VALUE before TOO_MANY, bad first",
             std::nullopt,
             {7_at, 0_at},
             "answers: WRONG_VALUE",
             {}},
            {"unknown text among two", std::nullopt, {1_at, "Nope"sv}, "answers: WRONG_VALUE", {}},
            {"blank text is no text", "   "sv, {1_at}, "", {1}},
            {"empty text is no text", ""sv, {1_at}, "", {1}},
        });
}

TEST_CASE("check_answer: a text naming no answer but made of digits is a position") {
    using namespace std::string_view_literals;
    check_choices(yes_no_maybe(QuestionType::multichoice),
                  {
                      {"digits", std::nullopt, {"0"sv}, "", {0}},
                      {"digits and a position", std::nullopt, {"2"sv, 1_at}, "", {1, 2}},
                      {"leading zeros", std::nullopt, {"002"sv}, "", {2}},
                      {"past the end", std::nullopt, {"3"sv}, "answers: WRONG_VALUE", {}},
                      {"signed", std::nullopt, {"+1"sv}, "answers: WRONG_VALUE", {}},
                      {"negative", std::nullopt, {"-1"sv}, "answers: WRONG_VALUE", {}},
                      {"spaces", std::nullopt, {" 1"sv}, "answers: WRONG_VALUE", {}},
                      {"trailing junk", std::nullopt, {"1x"sv}, "answers: WRONG_VALUE", {}},
                      {"decimal", std::nullopt, {"1.0"sv}, "answers: WRONG_VALUE", {}},
                      {"beyond 64 bits",
                       std::nullopt,
                       {"99999999999999999999"sv},
                       "answers: WRONG_VALUE",
                       {}},
                      {"the same answer as digits and as a position",
                       std::nullopt,
                       {"0"sv, 0_at},
                       "answers: WRONG_VALUE",
                       {}},
                      {"the same answer as digits and as text",
                       std::nullopt,
                       {"1"sv, "Nie"sv},
                       "answers: WRONG_VALUE",
                       {}},
                  });
    // An answer whose text is digits is named by its text first.
    const auto numbered =
        with_answers(QuestionType::multichoice,
                     {{plain("2"), 1, false}, {plain("0"), 2, false}, {plain("7"), 3, false}});
    CHECK(chosen_of(numbered, {"0"sv}) == std::vector<std::size_t>{1});
    CHECK(chosen_of(numbered, {"2"sv}) == std::vector<std::size_t>{0});
    CHECK(chosen_of(numbered, {"1"sv}) == std::vector<std::size_t>{1});  // no text "1": position 1
    CHECK(chosen_of(numbered, {"7"sv, 2_at}) == std::vector<std::size_t>{999});  // answer 2 twice
    CHECK(chosen_of(numbered, {"2"sv, 2_at}) == std::vector<std::size_t>{0, 2});
}

TEST_CASE("check_answer: text on a choice without choice_open is WRONG_STATE, answers checked") {
    using namespace std::string_view_literals;
    for (auto type : {QuestionType::choice, QuestionType::multichoice}) {
        CAPTURE(chat::question_type_name(type));
        const auto question = yes_no_maybe(type);
        CHECK(errors_of(question, "free"sv, {0_at}) == "text: WRONG_STATE");
        CHECK(errors_of(question, " free "sv, {"Nie"sv}) == "text: WRONG_STATE");
        CHECK(errors_of(question, "free"sv, {}) == "answers: REQUIRED; text: WRONG_STATE");
        CHECK(errors_of(question, "free"sv, {9_at}) == "answers: WRONG_VALUE; text: WRONG_STATE");
        CHECK(errors_of(question, "free"sv, {0_at, 0_at}) ==
              "answers: WRONG_VALUE; text: WRONG_STATE");
        CHECK(chosen_of(question, {0_at}, "free"sv) == std::vector<std::size_t>{999});
    }
    CHECK(errors_of(yes_no_maybe(), "free"sv, {0_at, 1_at}) ==
          "answers: TOO_MANY; text: WRONG_STATE");
    CHECK(errors_of(abc_none(), "free"sv, {0_at, 3_at}) == "answers: EXCLUSIVE; text: WRONG_STATE");
}

TEST_CASE("check_answer: an open choice takes free text beside its answers") {
    using namespace std::string_view_literals;
    const auto question = yes_no_maybe(QuestionType::choice, true);
    CheckedAnswer answer;
    CHECK(chat::check_answer(question, AnswerInput{"because"sv, {1_at}}, answer).empty());
    CHECK(answer.chosen == std::vector<std::size_t>{1});
    REQUIRE(answer.text);
    CHECK(*answer.text == "because");

    // Blank text: no text kept.
    CHECK(chat::check_answer(question, AnswerInput{"  "sv, {1_at}}, answer).empty());
    CHECK_FALSE(answer.text);

    // Still one answer at least, and at most one on a choice.
    CHECK(errors_of(question, "because"sv, {}) == "answers: REQUIRED");
    CHECK(errors_of(question, "because"sv, {0_at, 1_at}) == "answers: TOO_MANY");
    CHECK(errors_of(question, "because"sv, {5_at}) == "answers: WRONG_VALUE");
    CHECK(errors_of(with_answers(QuestionType::multichoice, {{plain("A"), 1, false}}, true), "x"sv,
                    {0_at}) == "");
}

TEST_CASE("check_answer: multichoice takes several answers, an exclusive one only alone") {
    using namespace std::string_view_literals;
    check_choices(
        abc_none(),
        {
            {"one", std::nullopt, {1_at}, "", {1}},
            {"two", std::nullopt, {0_at, 2_at}, "", {0, 2}},
            {"two in reverse, kept in position order", std::nullopt, {2_at, 0_at}, "", {0, 2}},
            {"three mixed", std::nullopt, {"C"sv, 0_at, "B"sv}, "", {0, 1, 2}},
            {"the exclusive alone", std::nullopt, {3_at}, "", {3}},
            {"the exclusive by text", std::nullopt, {"None"sv}, "", {3}},
            {"no answer", std::nullopt, {}, "answers: REQUIRED", {}},
            {"exclusive after another", std::nullopt, {0_at, 3_at}, "answers: EXCLUSIVE", {}},
            {"exclusive before another", std::nullopt, {3_at, 0_at}, "answers: EXCLUSIVE", {}},
            {"exclusive with all",
             std::nullopt,
             {0_at, 1_at, 2_at, 3_at},
             "answers: EXCLUSIVE",
             {}},
            {"the same twice", std::nullopt, {0_at, 0_at}, "answers: WRONG_VALUE", {}},
            {"the exclusive twice: WRONG_VALUE before EXCLUSIVE",
             std::nullopt,
             {3_at, 3_at},
             "answers: WRONG_VALUE",
             {}},
            {"unknown with the exclusive: WRONG_VALUE before EXCLUSIVE",
             std::nullopt,
             {3_at, 9_at},
             "answers: WRONG_VALUE",
             {}},
            {"unknown first", std::nullopt, {9_at, 0_at}, "answers: WRONG_VALUE", {}},
            {"the same by text and position",
             std::nullopt,
             {"A"sv, 0_at},
             "answers: WRONG_VALUE",
             {}},
        });
}

TEST_CASE("check_answer: on a choice, TOO_MANY comes before EXCLUSIVE") {
    const auto question = abc_none(QuestionType::choice);
    CHECK(errors_of(question, std::nullopt, {0_at, 3_at}) == "answers: TOO_MANY");
    CHECK(errors_of(question, std::nullopt, {3_at}) == "");
}

TEST_CASE("check_answer: an answer's text may be shared across languages of other answers") {
    using namespace std::string_view_literals;
    // Named by text, an answer matches any of its translations exactly, whatever the language.
    const auto question =
        with_answers(QuestionType::multichoice,
                     {{translated({{"en", "Red"}, {"pl", "Czerwony"}, {"de", "Rot"}}), 1, false},
                      {translated({{"en", "Blue"}, {"pl", "Niebieski"}}), 2, false}});
    CHECK(chosen_of(question, {"Rot"sv}) == std::vector<std::size_t>{0});
    CHECK(chosen_of(question, {"Niebieski"sv, "Czerwony"sv}) == std::vector<std::size_t>{0, 1});
    CHECK(errors_of(question, std::nullopt, {"rot"sv}) == "answers: WRONG_VALUE");
    CHECK(errors_of(question, std::nullopt, {"Red, Blue"sv}) == "answers: WRONG_VALUE");
}

TEST_CASE("check_answer: a failed choice leaves nothing chosen in a reused CheckedAnswer") {
    const auto question = abc_none();
    CheckedAnswer answer;
    REQUIRE(chat::check_answer(question, AnswerInput{std::nullopt, {0_at, 1_at}}, answer).empty());
    CHECK(answer.chosen == std::vector<std::size_t>{0, 1});
    CHECK_FALSE(
        chat::check_answer(question, AnswerInput{std::nullopt, {2_at, 3_at}}, answer).empty());
    CHECK(answer.chosen.empty());
    CHECK_FALSE(answer.text);
    REQUIRE(chat::check_answer(question, AnswerInput{std::nullopt, {2_at}}, answer).empty());
    CHECK(answer.chosen == std::vector<std::size_t>{2});
}

TEST_CASE("check_answer: has_answer_form is false for choices and blank texts") {
    CHECK_FALSE(chat::has_answer_form(yes_no_maybe(), "Yes"));
    CHECK_FALSE(chat::has_answer_form(abc_none(), "A"));
    CHECK_FALSE(chat::has_answer_form(typed(QuestionType::text), ""));
    CHECK_FALSE(chat::has_answer_form(typed(QuestionType::text), " \t"));
    CHECK(chat::has_answer_form(typed(QuestionType::text), " x "));
    // A range question without bounds (validate rejects it) takes nothing.
    CHECK_FALSE(chat::has_answer_form(typed(QuestionType::range), "1"));
}

// --- next_qid_after ----------------------------------------------------------------------------

namespace {
std::int64_t next_after(const Question& question, std::vector<AnswerChoice> answers,
                        std::optional<std::string_view> text = std::nullopt) {
    CheckedAnswer answer;
    REQUIRE(chat::check_answer(question, AnswerInput{text, std::move(answers)}, answer).empty());
    return chat::next_qid_after(question, answer);
}
}  // namespace

TEST_CASE("check_answer: next_qid_after follows the chosen answer with the lowest position") {
    using namespace std::string_view_literals;
    CHECK(next_after(yes_no_maybe(), {0_at}) == 10);
    CHECK(next_after(yes_no_maybe(), {"Nie"sv}) == 11);
    CHECK(next_after(yes_no_maybe(), {2_at}) == 12);
    CHECK(next_after(abc_none(), {2_at, 1_at}) == 21);
    CHECK(next_after(abc_none(), {"C"sv, "A"sv, "B"sv}) == 20);
    CHECK(next_after(abc_none(), {3_at}) == -1);

    // An answer leading to qid 0, and one without next_qid.
    const auto question =
        with_answers(QuestionType::multichoice, {{plain("to end"), std::nullopt, false},
                                                 {plain("to zero"), 0, false},
                                                 {plain("to five"), 5, false}});
    CHECK(next_after(question, {2_at, 1_at}) == 0);
    CHECK(next_after(question, {1_at, 0_at}) == -1);
    CHECK(next_after(question, {2_at}) == 5);
}

TEST_CASE("check_answer: next_qid_after of a typed question is its next_qid") {
    auto question = typed(QuestionType::integer);
    question.next_qid = 7;
    CHECK(next_after(question, {}, "3") == 7);
    question.next_qid = 0;
    CHECK(next_after(question, {}, "3") == 0);
    question.next_qid = -1;
    CHECK(next_after(question, {}, "3") == -1);
    question.next_qid.reset();
    CHECK(next_after(question, {}, "3") == -1);

    // A choice question's own next_qid is ignored: its answers route.
    auto choice = yes_no_maybe();
    choice.next_qid = 99;
    CHECK(next_after(choice, {1_at}) == 11);
}

// --- message texts -----------------------------------------------------------------------------

TEST_CASE(
    "check_answer: text_in_language prefers the language, then the fallback, then the first") {
    const auto both = translated({{"en", "Yes"}, {"pl", "Tak"}});
    CHECK(chat::text_in_language(both, "pl", "en") == "Tak");
    CHECK(chat::text_in_language(both, "en", "pl") == "Yes");
    CHECK(chat::text_in_language(both, "de", "en") == "Yes");
    CHECK(chat::text_in_language(both, "de", "pl") == "Tak");
    CHECK(chat::text_in_language(both, "de", "fr") == "Yes");
    CHECK(chat::text_in_language(both, "", "") == "Yes");

    const auto reversed = translated({{"pl", "Tak"}, {"en", "Yes"}});
    CHECK(chat::text_in_language(reversed, "en", "pl") == "Yes");
    CHECK(chat::text_in_language(reversed, "de", "en") == "Yes");
    CHECK(chat::text_in_language(reversed, "de", "fr") == "Tak");

    const auto single = plain("Same");
    CHECK(chat::text_in_language(single, "pl", "en") == "Same");
    CHECK(chat::text_in_language(single, "de", "fr") == "Same");

    CHECK(chat::text_in_language(LocalizedText{}, "en", "en") == "");
}

namespace {
std::string message_text(const Question& question, std::vector<AnswerChoice> answers,
                         std::optional<std::string_view> text, std::string_view language,
                         std::string_view fallback = "en") {
    CheckedAnswer answer;
    REQUIRE(chat::check_answer(question, AnswerInput{text, std::move(answers)}, answer).empty());
    return chat::answer_message_text(question, answer, language, fallback);
}
}  // namespace

TEST_CASE("check_answer: answer_message_text joins the chosen texts in position order") {
    using namespace std::string_view_literals;
    const auto multi = yes_no_maybe(QuestionType::multichoice, true);
    CHECK(message_text(multi, {0_at}, std::nullopt, "en") == "Yes");
    CHECK(message_text(multi, {0_at}, std::nullopt, "pl") == "Tak");
    CHECK(message_text(multi, {2_at, 0_at}, std::nullopt, "pl") == "Tak, Maybe");
    CHECK(message_text(multi, {2_at, 1_at, 0_at}, std::nullopt, "en") == "Yes, No, Maybe");
    // Named in Polish, shown in the member's language.
    CHECK(message_text(multi, {"Nie"sv, "Tak"sv}, std::nullopt, "en") == "Yes, No");
    // A language the answers lack: the fallback (the schema's default), else the first.
    CHECK(message_text(multi, {1_at}, std::nullopt, "de", "pl") == "Nie");
    CHECK(message_text(multi, {1_at}, std::nullopt, "de", "en") == "No");
    CHECK(message_text(multi, {1_at}, std::nullopt, "de", "fr") == "No");
    // The free text comes last.
    CHECK(message_text(multi, {1_at, 0_at}, "because"sv, "pl") == "Tak, Nie, because");
    CHECK(message_text(yes_no_maybe(QuestionType::choice, true), {"Maybe"sv}, "not sure"sv, "pl") ==
          "Maybe, not sure");
}

// --- error rendering ---------------------------------------------------------------------------

TEST_CASE("check_answer: field errors as JSON and as a sentence") {
    FieldErrors errors{{"text", {"WRONG_STATE"}}, {"answers", {"REQUIRED"}}};
    CHECK(chat::field_errors_json(errors).dump() ==
          R"({"answers":["REQUIRED"],"text":["WRONG_STATE"]})");
    CHECK(chat::describe_field_errors(errors) == "answers: REQUIRED; text: WRONG_STATE");
    CHECK(chat::field_errors_json({}).dump() == "{}");
    CHECK(chat::describe_field_errors({}) == "");

    CheckedAnswer answer;
    auto found = chat::check_answer(typed(QuestionType::integer),
                                    AnswerInput{std::string_view("x"), {}}, answer);
    CHECK(chat::field_errors_json(found).dump() == R"({"text":["WRONG_VALUE"]})");
}
