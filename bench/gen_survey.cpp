// Writes a survey schema and matching response lines for the stateless `survey state`
// benchmark (SPEC §10, §14). The schema is made of sections of ten questions:
//   +0 choice (required): Good / Fine go on, "Skip this part" skips the section; sets `score`
//   +1 multichoice (open every other section): three answers adding 1 to `score`, one exclusive
//   +2 int (required), +3 range 0..10, +4 text, +5 date (required)
//   +6 fork: to +7 when score >= 3, else to +8
//   +7 text (required), +8 choice: Yes goes to +9, No skips it, +9 int
// Routes past the last question end the survey. Responses walk the schema as a person would:
// mostly valid answers (texts or positions, strings or numbers), some optional questions left
// out, about 5% invalid values and a few keys that name no question.
//
// usage: chat_bench_gen_survey schema QUESTIONS
//        chat_bench_gen_survey responses QUESTIONS COUNT [SEED]

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>

namespace {

constexpr int k_section_size = 10;
// Per value, so that on 50 questions about four responses in five have at least one error.
constexpr int k_invalid_percent = 5;
constexpr int k_unknown_key_percent = 3;  // per response

const char* const k_habits[] = {"Sleep", "Diet", "Exercise"};
const char* const k_texts[] = {
    "Nothing to add",
    "A bit tired after work",
    "Headache in the morning, better by noon",
    "Caf\\u00e9 every day, \\\"too much\\\" maybe",
    "Two lines:\\nfirst and second",
    "Zażółć gęślą jaźń",
};

// Where a route to `qid` leads in a schema of `questions` questions.
int target(int qid, int questions) {
    return qid < questions ? qid : -1;
}

void write_question(int qid, int questions) {
    int base = qid - qid % k_section_size;
    int part = base / k_section_size + 1;
    auto next = [&](int offset) { return target(base + offset, questions); };
    switch (qid - base) {
        case 0:
            std::printf(
                "  - {qid: %d, type: choice, required: true, text: \"How was part %d?\", answers: "
                "[\n"
                "      {text: Good, next_qid: %d, variable_modifications: [[score, \"2\"]]},\n"
                "      {text: Fine, next_qid: %d, variable_modifications: [[score, \"1\"]]},\n"
                "      {text: Skip this part, next_qid: %d, variable_modifications: [[score, "
                "\"0\"]]}]}\n",
                qid, part, next(1), next(1), next(10));
            return;
        case 1:
            std::printf(
                "  - {qid: %d, type: multichoice, choice_open: %s, text: \"What helped?\", "
                "answers: [\n",
                qid, part % 2 == 0 ? "true" : "false");
            for (const char* habit : k_habits) {
                std::printf(
                    "      {text: %s, next_qid: %d, variable_modifications: [[score, "
                    "\"score + 1\"]]},\n",
                    habit, next(2));
            }
            std::printf("      {text: None of these, exclusive: true, next_qid: %d}]}\n", next(2));
            return;
        case 2:
            std::printf(
                "  - {qid: %d, type: int, required: true, text: \"How many days?\", "
                "next_qid: %d}\n",
                qid, next(3));
            return;
        case 3:
            std::printf(
                "  - {qid: %d, type: range, range_from: 0, range_to: 10, text: \"Rate it\", "
                "next_qid: %d}\n",
                qid, next(4));
            return;
        case 4:
            std::printf("  - {qid: %d, type: text, text: \"Anything to add?\", next_qid: %d}\n",
                        qid, next(5));
            return;
        case 5:
            std::printf(
                "  - {qid: %d, type: date, required: true, text: \"Since when?\", "
                "next_qid: %d}\n",
                qid, next(6));
            return;
        case 6:
            std::printf(
                "  - {qid: %d, type: fork, forking_rules: [[\"%d\", \"score >= 3\"], "
                "[\"%d\", \"True\"]]}\n",
                qid, next(7), next(8));
            return;
        case 7:
            std::printf(
                "  - {qid: %d, type: text, required: true, text: \"Tell us more\", "
                "next_qid: %d}\n",
                qid, next(8));
            return;
        case 8:
            std::printf(
                "  - {qid: %d, type: choice, text: \"Shall we call you?\", answers: [\n"
                "      {text: \"Yes\", next_qid: %d},\n"
                "      {text: \"No\", next_qid: %d}]}\n",
                qid, next(9), next(10));
            return;
        default:
            std::printf("  - {qid: %d, type: int, text: \"Which extension?\", next_qid: %d}\n", qid,
                        next(10));
            return;
    }
}

void write_schema(int questions) {
    std::printf("name: survey-bench-%d\ntype: survey\nquestions:\n", questions);
    for (int qid = 0; qid < questions; ++qid) {
        write_question(qid, questions);
    }
}

// splitmix64: fast, and the same sequence on every platform for a seed.
class Random {
public:
    explicit Random(std::uint64_t seed) : m_state(seed) {}
    std::uint64_t next() {
        std::uint64_t z = (m_state += 0x9E3779B97F4A7C15ULL);
        z = (z ^ (z >> 30U)) * 0xBF58476D1CE4E5B9ULL;
        z = (z ^ (z >> 27U)) * 0x94D049BB133111EBULL;
        return z ^ (z >> 31U);
    }
    int below(int bound) { return static_cast<int>(next() % static_cast<std::uint64_t>(bound)); }
    bool percent(int chance) { return below(100) < chance; }

private:
    std::uint64_t m_state;
};

// Builds one response line, walking the schema's routes.
class ResponseWriter {
public:
    ResponseWriter(int questions, Random& random) : m_questions(questions), m_random(random) {}

    std::string line(long id) {
        m_line.clear();
        m_line += m_random.percent(20) ? "{\"id\":" + std::to_string(id)
                                       : "{\"id\":\"r-" + std::to_string(id) + "\"";
        m_line += ",\"answers\":{";
        m_is_first = true;
        for (int base = 0; base < m_questions; base += k_section_size) {
            write_section(base);
        }
        if (m_random.percent(k_unknown_key_percent)) {
            add_key(m_random.percent(50) ? "999999" : "q1");
            m_line += "\"x\"";
        }
        m_line += "}}\n";
        return m_line;
    }

private:
    void add_key(const std::string& key) {
        m_line += m_is_first ? "\"" : ",\"";
        m_is_first = false;
        m_line += key;
        m_line += "\":";
    }
    void add(int qid, const std::string& value) {
        if (qid >= m_questions) {
            return;
        }
        add_key(std::to_string(qid));
        m_line += m_random.percent(k_invalid_percent) ? invalid_value() : value;
    }
    std::string invalid_value() {
        static const char* const k_invalid[] = {"\"abc\"", "[7]", "\"2024-02-30\"", "true",
                                                "\"\"",    "11",  "[\"Maybe\"]",    "[0, 0]"};
        return k_invalid[m_random.below(8)];
    }
    std::string choice(const char* text, int position) {
        return m_random.percent(50) ? std::string("[\"") + text + "\"]"
                                    : "[" + std::to_string(position) + "]";
    }
    std::string text() { return std::string("\"") + k_texts[m_random.below(6)] + "\""; }
    std::string number(int bound) {
        std::string digits = std::to_string(m_random.below(bound));
        return m_random.percent(50) ? digits : "\"" + digits + "\"";
    }
    std::string date() {
        char text[16];
        std::snprintf(text, sizeof text, "\"20%02d-%02d-%02d\"", 10 + m_random.below(16),
                      1 + m_random.below(12), 1 + m_random.below(28));
        return text;
    }

    void write_section(int base) {
        int pick = m_random.below(100);
        if (pick < 10) {
            add(base, choice("Skip this part", 2));
            return;
        }
        int score = pick < 55 ? 2 : 1;
        add(base, pick < 55 ? choice("Good", 0) : choice("Fine", 1));
        score += write_habits(base + 1);
        add(base + 2, number(30));
        if (m_random.percent(80)) {
            add(base + 3, m_random.percent(70) ? number(11) : "7.5");
        }
        if (m_random.percent(50)) {
            add(base + 4, text());
        }
        add(base + 5, date());
        if (score >= 3) {
            add(base + 7, text());
        }
        bool wants_call = m_random.percent(30);
        add(base + 8, choice(wants_call ? "Yes" : "No", wants_call ? 0 : 1));
        if (wants_call) {
            add(base + 9, number(1000));
        }
    }

    // The multichoice answer; returns what it adds to the score.
    int write_habits(int qid) {
        if (m_random.percent(20)) {
            add(qid, choice("None of these", 3));
            return 0;
        }
        int first = m_random.below(3);
        std::string answers = "\"" + std::string(k_habits[first]) + "\"";
        int count = 1;
        if (m_random.percent(40)) {
            answers += "," + std::to_string((first + 1) % 3);
            ++count;
        }
        bool is_open = (qid / k_section_size + 1) % 2 == 0;
        if (is_open && m_random.percent(30)) {
            add(qid, "{\"answers\":[" + answers + "],\"text\":" + text() + "}");
        } else {
            add(qid, "[" + answers + "]");
        }
        return count;
    }

    int m_questions;
    Random& m_random;
    std::string m_line;
    bool m_is_first = true;
};

int usage() {
    std::fprintf(stderr,
                 "usage: chat_bench_gen_survey schema QUESTIONS\n"
                 "       chat_bench_gen_survey responses QUESTIONS COUNT [SEED]\n");
    return 2;
}

}  // namespace

int main(int argc, char** argv) {
    if (argc < 3) {
        return usage();
    }
    std::string command = argv[1];
    int questions = std::atoi(argv[2]);
    if (questions < 1) {
        return usage();
    }
    if (command == "schema" && argc == 3) {
        write_schema(questions);
        return 0;
    }
    if (command != "responses" || argc < 4 || argc > 5) {
        return usage();
    }
    long count = std::atol(argv[3]);
    Random random(argc == 5 ? std::strtoull(argv[4], nullptr, 10) : 1);
    ResponseWriter writer(questions, random);
    for (long id = 1; id <= count; ++id) {
        std::string line = writer.line(id);
        std::fwrite(line.data(), 1, line.size(), stdout);
    }
    return 0;
}
