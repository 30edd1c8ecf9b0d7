// Writes a large, valid schema to stdout for benchmarks: sections of five questions (a choice
// whose answers add to a score, an int question, a message, a fork on the score, a text), each
// section resetting its score, so forks and variables are everywhere yet the state space stays
// realistic.
//
// usage: chat_bench_gen QUESTIONS [--json]
//   --json: the same schema as minified JSON, the whole file on one line (the worst case for
//   anything that walks lines)

#include <cstdio>
#include <cstdlib>
#include <string>

namespace {

constexpr int k_section_size = 5;

void write_yaml_section(int first) {
    int choice = first, number = first + 1, message = first + 2, fork = first + 3, text = first + 4,
        next = first + k_section_size;
    std::printf(
        "  - {qid: %d, type: choice, text: \"How was part %d?\", "
        "variable_modifications: [[score, \"0\"]], answers: [\n"
        "      {text: Good, next_qid: %d, variable_modifications: [[score, \"score + 2\"]]},\n"
        "      {text: Fine, next_qid: %d, variable_modifications: [[score, \"score + 1\"]]},\n"
        "      {text: Bad, next_qid: %d}]}\n",
        choice, choice, number, number, number);
    std::printf(
        "  - {qid: %d, type: int, text: \"How many times?\", next_qid: %d, "
        "variable_modifications: [[asked, \"asked + 1\"]]}\n",
        number, message);
    std::printf(
        "  - {qid: %d, type: message, text: \"Thanks, {{ user.first_name }}\", next_qid: %d}\n",
        message, fork);
    std::printf(
        "  - {qid: %d, type: fork, forking_rules: [[\"%d\", \"score >= 2\"], [\"%d\", "
        "\"True\"]]}\n",
        fork, next, text);
    std::printf("  - {qid: %d, type: text, text: \"What went wrong?\", next_qid: %d}\n", text,
                next);
}

void write_json_section(int first) {
    int choice = first, number = first + 1, message = first + 2, fork = first + 3, text = first + 4,
        next = first + k_section_size;
    std::printf(
        "{\"qid\":%d,\"type\":\"choice\",\"text\":\"How was part %d?\","
        "\"variable_modifications\":[[\"score\",\"0\"]],\"answers\":["
        "{\"text\":\"Good\",\"next_qid\":%d,\"variable_modifications\":[[\"score\","
        "\"score + 2\"]]},"
        "{\"text\":\"Fine\",\"next_qid\":%d,\"variable_modifications\":[[\"score\","
        "\"score + 1\"]]},"
        "{\"text\":\"Bad\",\"next_qid\":%d}]},",
        choice, choice, number, number, number);
    std::printf(
        "{\"qid\":%d,\"type\":\"int\",\"text\":\"How many times?\",\"next_qid\":%d,"
        "\"variable_modifications\":[[\"asked\",\"asked + 1\"]]},",
        number, message);
    std::printf(
        "{\"qid\":%d,\"type\":\"message\",\"text\":\"Thanks, {{ user.first_name }}\","
        "\"next_qid\":%d},",
        message, fork);
    std::printf(
        "{\"qid\":%d,\"type\":\"fork\",\"forking_rules\":[[\"%d\",\"score >= 2\"],"
        "[\"%d\",\"True\"]]},",
        fork, next, text);
    std::printf(
        "{\"qid\":%d,\"type\":\"text\",\"text\":\"What went wrong?\","
        "\"next_qid\":%d},",
        text, next);
}

}  // namespace

int main(int argc, char** argv) {
    bool is_json = argc == 3 && std::string(argv[2]) == "--json";
    if (argc < 2 || (argc == 3 && !is_json) || argc > 3) {
        std::fprintf(stderr, "usage: chat_bench_gen QUESTIONS [--json]\n");
        return 2;
    }
    int questions = std::atoi(argv[1]);
    int sections = questions / k_section_size;
    if (sections < 1) {
        std::fprintf(stderr, "chat_bench_gen: need at least %d questions\n", k_section_size);
        return 2;
    }
    // The last section's routes point one past the end: a final message closes the flow there.
    if (is_json) {
        std::printf("{\"name\":\"bench-%d\",\"type\":\"automated_flow\",\"questions\":[",
                    questions);
        for (int s = 0; s < sections; ++s) {
            write_json_section(s * k_section_size);
        }
        std::printf("{\"qid\":%d,\"type\":\"message\",\"text\":\"Done\",\"next_qid\":-1}]}\n",
                    sections * k_section_size);
        return 0;
    }
    std::printf("name: bench-%d\ntype: automated_flow\nquestions:\n", questions);
    for (int s = 0; s < sections; ++s) {
        write_yaml_section(s * k_section_size);
    }
    std::printf("  - {qid: %d, type: message, text: \"Done\", next_qid: -1}\n",
                sections * k_section_size);
    return 0;
}
